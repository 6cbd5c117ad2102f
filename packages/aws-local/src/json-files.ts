import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";

/**
 * Writes `value` as JSON so that readers only ever see the old or the new file: the text goes to a temporary file
 * beside it, which is then renamed over the target (rename is atomic on one file system). This survives a process
 * crash at any point; it does not fsync, so it is not hardened against power loss.
 */
export function writeJsonFileAtomically(path: string, value: unknown): void {
  writeTextFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function writeTextFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text, "utf8");
  renameSync(temporary, path);
}

/** Failure to read a data file the local EventBridge wrote; names the file so it can be fixed or removed. */
export class DataFileError extends Error {
  override readonly name = "DataFileError";
  readonly code = "DataFileError";

  constructor(
    readonly path: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${problem}`, options);
  }
}

/**
 * Reads a JSON file written by {@link writeJsonFileAtomically}; `undefined` when it does not exist.
 *
 * @throws DataFileError when it is not valid JSON (atomic writes make that a sign of outside damage, and carrying on
 *   would overwrite whatever is left of it).
 */
export function readJsonFile(path: string): unknown {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataFileError(
      path,
      `is not valid JSON (${error instanceof Error ? error.message : String(error)}). ` +
        "Restore it from a backup or delete it to start without its contents.",
      { cause: error },
    );
  }
}

export interface JsonLinesContent<T> {
  readonly records: T[];
  /** Lines that were skipped (not JSON, or rejected by the parser); each was reported with a warning. */
  readonly skippedLines: number;
  /** False when the file has a last line without a newline (a partial write); appending must not continue it. */
  readonly endsCleanly: boolean;
}

/**
 * An append-only JSON Lines file (one JSON value per line). Appends are buffered and written together on the next
 * turn of the event loop, or at once by {@link flush}; {@link rewrite} replaces the whole file atomically (compaction).
 */
export class JsonLinesFile {
  private buffer: string[] = [];
  private flushScheduled = false;

  /** `onFlushError` hears about a failed deferred flush (a synchronous {@link flush} throws instead). */
  constructor(
    readonly path: string,
    private readonly onFlushError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Reads every record. A line that is not JSON, or that `parse` rejects by returning `undefined` or throwing, is
   * skipped with a warning naming the file and the line number, so a torn last write never stops start-up.
   */
  read<T>(parse: (value: unknown) => T | undefined, warn: (message: string) => void): JsonLinesContent<T> {
    if (!existsSync(this.path)) return { records: [], skippedLines: 0, endsCleanly: true };
    const text = readFileSync(this.path, "utf8");
    const lines = text.split("\n");
    const records: T[] = [];
    let skippedLines = 0;
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      let record: T | undefined;
      let problem = "it is not valid JSON (a partial write?)";
      try {
        record = parse(JSON.parse(line) as unknown);
        problem = "its content is not a valid record";
      } catch (error) {
        if (!(error instanceof SyntaxError))
          problem = `its content is not a valid record (${error instanceof Error ? error.message : String(error)})`;
      }
      if (record === undefined) {
        skippedLines += 1;
        warn(`Skipped line ${index + 1} of ${this.path}: ${problem}.`);
        return;
      }
      records.push(record);
    });
    return { records, skippedLines, endsCleanly: text === "" || text.endsWith("\n") };
  }

  /** Queues one record; it reaches the file on the next turn of the event loop or on {@link flush}. */
  append(record: unknown): void {
    this.buffer.push(`${JSON.stringify(record)}\n`);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (error) {
        this.onFlushError(error);
      }
    });
  }

  /** Writes the queued records now. On failure they stay queued for the next flush. */
  flush(): void {
    if (this.buffer.length === 0) return;
    const text = this.buffer.join("");
    appendFileSync(this.path, text, "utf8");
    this.buffer = [];
  }

  /** Replaces the file with exactly `records` (queued appends are dropped: `records` must include them). */
  rewrite(records: Iterable<unknown>): void {
    this.buffer = [];
    let text = "";
    for (const record of records) text += `${JSON.stringify(record)}\n`;
    writeTextFileAtomically(this.path, text);
  }

  /** Deletes the file and drops queued appends. */
  delete(): void {
    this.buffer = [];
    rmSync(this.path, { force: true });
  }
}
