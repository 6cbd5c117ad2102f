import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { ArchiveDefinition, ArchivedEvent, ArchivePersistence } from "./archive-store";
import type { DeadLetter } from "./dead-letter-store";
import type { EventEnvelope } from "./event-envelope";
import { DataFileError, JsonLinesFile, readJsonFile, writeJsonFileAtomically } from "../json-files";
import type { EventBridgeConfiguration } from "./eventbridge-configuration";
import type { ReplayDefinition } from "./replay-runner";

/**
 * The files of a data directory:
 *
 * - `configuration.json`: buses, rules and targets (the `exportConfiguration` format), rewritten on every change;
 * - `archives.json`: archive definitions, rewritten on every change;
 * - `archives/<archive name>.jsonl`: the archived events, one `{"ingestionTime","sizeBytes","event"}` per line,
 *   appended as events arrive and rewritten when retention drops events;
 * - `replays.json`: every replay with its state, rewritten on every state change;
 * - `dead-letters.jsonl`: `{"added": <dead letter>}` and `{"removed": "<id>"}` lines, compacted at start-up.
 *
 * JSON files are replaced atomically (temporary file, then rename). Appends are buffered for one turn of the event
 * loop and flushed by `flush()` (which `LocalEventBridge.close()` calls), so a crash can lose the last few
 * milliseconds of archived events or dead letters but never corrupts earlier ones; a torn last line is skipped with
 * a warning at the next start.
 */
export const DATA_FILES = {
  configuration: "configuration.json",
  archives: "archives.json",
  archiveEvents: "archives",
  replays: "replays.json",
  deadLetters: "dead-letters.jsonl",
} as const;

const FORMAT_VERSION = 1;

/** What a data directory holds, read back at start-up. */
export interface DataDirectoryContent {
  readonly configuration?: EventBridgeConfiguration;
  readonly archives: readonly { readonly definition: ArchiveDefinition; readonly events: ArchivedEvent[] }[];
  readonly replays: readonly ReplayDefinition[];
  readonly deadLetters: readonly DeadLetter[];
}

/** Reads and writes the local EventBridge's state in one directory (one process at a time). */
export class EventBridgeDataDirectory implements ArchivePersistence {
  private readonly archiveFiles = new Map<string, JsonLinesFile>();
  private readonly deadLetterFile: JsonLinesFile;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {
    mkdirSync(join(path, DATA_FILES.archiveEvents), { recursive: true });
    this.deadLetterFile = new JsonLinesFile(join(path, DATA_FILES.deadLetters), (error) =>
      this.reportFlushError(error),
    );
  }

  get configurationPath(): string {
    return join(this.path, DATA_FILES.configuration);
  }

  /** Reads everything; skips (with a warning) unreadable lines of the JSON Lines files and repairs those files. */
  load(): DataDirectoryContent {
    const configuration = readJsonFile(this.configurationPath) as EventBridgeConfiguration | undefined;
    const archives = this.readArchiveDefinitions().map((definition) => ({
      definition,
      events: this.readArchiveEvents(definition.name),
    }));
    return {
      ...(configuration === undefined ? {} : { configuration }),
      archives,
      replays: this.readReplays(),
      deadLetters: this.readDeadLetters(),
    };
  }

  saveConfiguration(configuration: EventBridgeConfiguration): void {
    writeJsonFileAtomically(this.configurationPath, configuration);
  }

  saveDefinitions(definitions: readonly ArchiveDefinition[]): void {
    writeJsonFileAtomically(join(this.path, DATA_FILES.archives), {
      formatVersion: FORMAT_VERSION,
      archives: definitions,
    });
  }

  appendEvent(archiveName: string, archived: ArchivedEvent): void {
    this.archiveFile(archiveName).append(archivedEventLine(archived));
  }

  rewriteEvents(archiveName: string, events: readonly ArchivedEvent[]): void {
    this.archiveFile(archiveName).rewrite(events.map(archivedEventLine));
  }

  deleteEvents(archiveName: string): void {
    this.archiveFile(archiveName).delete();
    this.archiveFiles.delete(archiveName);
  }

  saveReplays(definitions: readonly ReplayDefinition[]): void {
    writeJsonFileAtomically(join(this.path, DATA_FILES.replays), {
      formatVersion: FORMAT_VERSION,
      replays: definitions,
    });
  }

  appendDeadLetter(deadLetter: DeadLetter): void {
    this.deadLetterFile.append({ added: deadLetter });
  }

  removeDeadLetter(id: string): void {
    this.deadLetterFile.append({ removed: id });
  }

  /** Rewrites the dead-letter file with exactly `deadLetters` (drops the history of removals). */
  compactDeadLetters(deadLetters: readonly DeadLetter[]): void {
    this.deadLetterFile.rewrite(deadLetters.map((added) => ({ added })));
  }

  /** Writes buffered appends now. */
  flush(): void {
    for (const file of this.archiveFiles.values()) file.flush();
    this.deadLetterFile.flush();
  }

  private reportFlushError(error: unknown): void {
    this.warn(
      `Could not write to the data directory ${this.path}: ${error instanceof Error ? error.message : String(error)}. ` +
        "The records stay in memory and are written at the next flush.",
    );
  }

  private archiveFile(archiveName: string): JsonLinesFile {
    let file = this.archiveFiles.get(archiveName);
    if (!file) {
      file = new JsonLinesFile(join(this.path, DATA_FILES.archiveEvents, `${archiveName}.jsonl`), (error) =>
        this.reportFlushError(error),
      );
      this.archiveFiles.set(archiveName, file);
    }
    return file;
  }

  private readArchiveDefinitions(): ArchiveDefinition[] {
    const path = join(this.path, DATA_FILES.archives);
    const content = readJsonFile(path);
    if (content === undefined) return [];
    const archives = versionedList(path, content, "archives");
    return archives.map((item, index) => {
      if (
        !isObject(item) ||
        typeof item.name !== "string" ||
        typeof item.eventBusName !== "string" ||
        typeof item.retentionDays !== "number" ||
        typeof item.creationTime !== "string" ||
        !optionalString(item.description) ||
        !optionalString(item.eventPattern)
      ) {
        throw new DataFileError(path, `archives[${index}] is not a valid archive definition.`);
      }
      return item as unknown as ArchiveDefinition;
    });
  }

  private readArchiveEvents(archiveName: string): ArchivedEvent[] {
    const file = this.archiveFile(archiveName);
    const content = file.read(parseArchivedEvent, this.warn);
    if (content.skippedLines > 0 || !content.endsCleanly) file.rewrite(content.records.map(archivedEventLine));
    return content.records;
  }

  private readReplays(): ReplayDefinition[] {
    const path = join(this.path, DATA_FILES.replays);
    const content = readJsonFile(path);
    if (content === undefined) return [];
    return versionedList(path, content, "replays").map((item, index) => {
      if (
        !isObject(item) ||
        typeof item.name !== "string" ||
        typeof item.state !== "string" ||
        typeof item.archiveArn !== "string" ||
        typeof item.eventBusName !== "string" ||
        !isObject(item.destination) ||
        typeof item.eventStartTime !== "string" ||
        typeof item.eventEndTime !== "string" ||
        typeof item.replayStartTime !== "string"
      ) {
        throw new DataFileError(path, `replays[${index}] is not a valid replay.`);
      }
      return item as unknown as ReplayDefinition;
    });
  }

  private readDeadLetters(): DeadLetter[] {
    const content = this.deadLetterFile.read(parseDeadLetterRecord, this.warn);
    const letters = new Map<string, DeadLetter>();
    for (const record of content.records) {
      if ("removed" in record) letters.delete(record.removed);
      else letters.set(record.added.id, record.added);
    }
    return [...letters.values()];
  }
}

function archivedEventLine(archived: ArchivedEvent): unknown {
  return { ingestionTime: archived.ingestionTime.toISOString(), sizeBytes: archived.sizeBytes, event: archived.event };
}

function parseArchivedEvent(value: unknown): ArchivedEvent | undefined {
  if (!isObject(value) || typeof value.ingestionTime !== "string" || typeof value.sizeBytes !== "number")
    return undefined;
  const event = value.event;
  if (!isObject(event) || typeof event.id !== "string" || typeof event.time !== "string" || !isObject(event.detail))
    return undefined;
  const eventTimeMs = Date.parse(event.time);
  const ingestionTime = new Date(value.ingestionTime);
  if (Number.isNaN(eventTimeMs) || Number.isNaN(ingestionTime.getTime())) return undefined;
  return { event: event as unknown as EventEnvelope, eventTimeMs, ingestionTime, sizeBytes: value.sizeBytes };
}

type DeadLetterRecord = { readonly added: DeadLetter } | { readonly removed: string };

function parseDeadLetterRecord(value: unknown): DeadLetterRecord | undefined {
  if (!isObject(value)) return undefined;
  if (typeof value.removed === "string") return { removed: value.removed };
  const letter = value.added;
  if (
    !isObject(letter) ||
    typeof letter.id !== "string" ||
    !isObject(letter.event) ||
    typeof letter.ruleName !== "string" ||
    typeof letter.targetId !== "string" ||
    typeof letter.targetArn !== "string" ||
    typeof letter.ingestionTime !== "string" ||
    typeof letter.time !== "string"
  ) {
    return undefined;
  }
  const ingestionTime = new Date(letter.ingestionTime);
  const time = new Date(letter.time);
  if (Number.isNaN(ingestionTime.getTime()) || Number.isNaN(time.getTime())) return undefined;
  return { added: { ...(letter as unknown as DeadLetter), ingestionTime, time } };
}

function versionedList(path: string, content: unknown, member: string): unknown[] {
  if (!isObject(content) || content.formatVersion !== FORMAT_VERSION || !Array.isArray(content[member])) {
    throw new DataFileError(path, `expected {"formatVersion": ${FORMAT_VERSION}, "${member}": [...]}.`);
  }
  return content[member] as unknown[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}
