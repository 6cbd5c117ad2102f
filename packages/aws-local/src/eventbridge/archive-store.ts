import { compileEventPattern, MAX_EVENT_PATTERN_LENGTH, type CompiledEventPattern } from "../event-pattern/index";
import {
  checkName,
  ConstraintViolations,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
} from "./errors";
import type { EventBusLookup } from "./event-bus-registry";
import type { EventEnvelope } from "./event-envelope";
import type { AcceptedEvent } from "./event-journal";
import { archiveNameOf, type EventBridgeArns } from "./eventbridge-arns";
import {
  ARCHIVE_STATES,
  type ArchiveStateResponse,
  type ArchiveSummary,
  type CreateArchiveRequest,
  type DescribeArchiveResponse,
  type ListArchivesRequest,
  type ListArchivesResponse,
  type UpdateArchiveRequest,
} from "./eventbridge-shapes";
import { paginate } from "./pagination";
import { optional } from "./optional-field";

export const MAX_ARCHIVE_NAME_LENGTH = 48;
export const MAX_ARCHIVE_DESCRIPTION_LENGTH = 512;
const DAY_MS = 86_400_000;

/** One archived event: the envelope exactly as the bus built it, and when the bus received it. */
export interface ArchivedEvent {
  readonly event: EventEnvelope;
  /** `event.time` in epoch milliseconds (whole seconds: the envelope has no milliseconds). */
  readonly eventTimeMs: number;
  readonly ingestionTime: Date;
  /** What the event counts in the archive (see `computeArchivedSize`); SizeBytes is their sum. */
  readonly sizeBytes: number;
}

/** An archive's settings as plain JSON data, for persistence. */
export interface ArchiveDefinition {
  readonly name: string;
  readonly eventBusName: string;
  readonly description?: string;
  readonly eventPattern?: string;
  readonly retentionDays: number;
  /** ISO-8601. */
  readonly creationTime: string;
}

/** Where archive changes are written when the bridge has a data directory. */
export interface ArchivePersistence {
  saveDefinitions(definitions: readonly ArchiveDefinition[]): void;
  appendEvent(archiveName: string, event: ArchivedEvent): void;
  rewriteEvents(archiveName: string, events: readonly ArchivedEvent[]): void;
  deleteEvents(archiveName: string): void;
}

/** What a replay needs to know about its archive. */
export interface ArchiveReference {
  readonly name: string;
  readonly arn: string;
  readonly eventBusName: string;
  readonly retentionDays: number;
}

export interface ArchiveStoreOptions {
  readonly arns: EventBridgeArns;
  /** Finds the existing bus an `EventSourceArn` names (`ResourceNotFoundException` otherwise). */
  readonly eventBuses: Pick<EventBusLookup, "requireEventBus">;
  readonly now: () => number;
  readonly warn: (message: string) => void;
  readonly persistence?: ArchivePersistence | undefined;
}

interface ArchiveRecord {
  readonly name: string;
  readonly eventBusName: string;
  description?: string;
  eventPattern?: string;
  compiledPattern?: CompiledEventPattern;
  retentionDays: number;
  readonly creationTime: Date;
  /** In arrival order (not event-time order: publishers choose `Time`). */
  events: ArchivedEvent[];
  sizeBytes: number;
}

/**
 * The archives of all buses and the events in them. [semantics §6]
 *
 * Differences from AWS, on purpose: an event is archived synchronously when PutEvents accepts it (AWS may take
 * several minutes and advises waiting 10 minutes before replaying), and EventCount/SizeBytes are exact at every
 * call (AWS reconciles them every 24 hours). Retention counts from the event's `time`, so an event whose `time` is
 * already older than RetentionDays is not archived, and a replay window that ends before the retention cut-off can
 * never contain an event.
 */
export class ArchiveStore {
  private readonly archives = new Map<string, ArchiveRecord>();

  constructor(private readonly options: ArchiveStoreOptions) {}

  create(request: CreateArchiveRequest): ArchiveStateResponse {
    const violations = new ConstraintViolations();
    checkName(violations, request.ArchiveName, "archiveName", MAX_ARCHIVE_NAME_LENGTH);
    checkLength(violations, request.EventSourceArn, "eventSourceArn", 1, 1600);
    checkArchiveSettings(violations, request);
    violations.throwIfAny();
    const compiledPattern = request.EventPattern === undefined ? undefined : compileEventPattern(request.EventPattern);
    const eventBusName = this.options.eventBuses.requireEventBus(request.EventSourceArn);
    if (this.archives.has(request.ArchiveName)) {
      throw new EventBridgeResourceAlreadyExistsError(`Archive ${request.ArchiveName} already exists.`); // [LS-AWS]
    }
    const archive: ArchiveRecord = {
      name: request.ArchiveName,
      eventBusName,
      ...optional("description", request.Description),
      ...optional("eventPattern", request.EventPattern),
      ...optional("compiledPattern", compiledPattern),
      retentionDays: request.RetentionDays ?? 0,
      creationTime: new Date(this.options.now()),
      events: [],
      sizeBytes: 0,
    };
    this.archives.set(archive.name, archive);
    this.options.persistence?.rewriteEvents(archive.name, []);
    this.saveDefinitions();
    return this.stateOf(archive);
  }

  describe(archiveName: string): DescribeArchiveResponse {
    const archive = this.require(archiveName);
    this.dropExpired(archive);
    return {
      ArchiveArn: this.options.arns.archive(archive.name),
      ArchiveName: archive.name,
      EventSourceArn: this.options.arns.eventBus(archive.eventBusName),
      ...optional("Description", archive.description),
      ...optional("EventPattern", archive.eventPattern),
      State: "ENABLED",
      RetentionDays: archive.retentionDays,
      SizeBytes: archive.sizeBytes,
      EventCount: archive.events.length,
      CreationTime: archive.creationTime,
    };
  }

  /** Archives in name order, filtered by name prefix, source bus and state. An unknown source bus is an error. [LS-AWS] */
  list(request: ListArchivesRequest = {}): ListArchivesResponse {
    if (request.State !== undefined && !ARCHIVE_STATES.includes(request.State)) {
      const violations = new ConstraintViolations();
      violations.add(request.State, "state", `Member must satisfy enum value set: [${ARCHIVE_STATES.join(", ")}]`);
      violations.throwIfAny();
    }
    const eventBusName =
      request.EventSourceArn === undefined
        ? undefined
        : this.options.eventBuses.requireEventBus(request.EventSourceArn);
    const archives = [...this.archives.values()]
      .filter((archive) => request.NamePrefix === undefined || archive.name.startsWith(request.NamePrefix))
      .filter((archive) => eventBusName === undefined || archive.eventBusName === eventBusName)
      // Every local archive is ENABLED.
      .filter(() => request.State === undefined || request.State === "ENABLED")
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(archives, request);
    return {
      Archives: page.items.map((archive) => this.summaryOf(archive)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** Changes the description, pattern (for events from now on) or retention (applied at once). */
  update(request: UpdateArchiveRequest): ArchiveStateResponse {
    const violations = new ConstraintViolations();
    checkName(violations, request.ArchiveName, "archiveName", MAX_ARCHIVE_NAME_LENGTH);
    checkArchiveSettings(violations, request);
    violations.throwIfAny();
    if (
      request.Description === undefined &&
      request.EventPattern === undefined &&
      request.RetentionDays === undefined
    ) {
      throw new EventBridgeValidationError(
        "At least one of EventPattern, RetentionDays or Description must be provided.",
      ); // [LS-AWS]
    }
    // AWS answered InternalException for an unknown archive here (LS-AWS 2024-05); the clearer error is kept.
    const archive = this.require(request.ArchiveName);
    const compiledPattern = request.EventPattern === undefined ? undefined : compileEventPattern(request.EventPattern);
    if (request.Description !== undefined) archive.description = request.Description;
    if (request.EventPattern !== undefined && compiledPattern) {
      archive.eventPattern = request.EventPattern;
      archive.compiledPattern = compiledPattern;
    }
    if (request.RetentionDays !== undefined) archive.retentionDays = request.RetentionDays;
    this.saveDefinitions();
    this.dropExpired(archive);
    return this.stateOf(archive);
  }

  /** Deletes the archive and its events. */
  delete(archiveName: string): void {
    const archive = this.require(archiveName);
    this.archives.delete(archive.name);
    this.options.persistence?.deleteEvents(archive.name);
    this.saveDefinitions();
  }

  /**
   * Archives an accepted event in every archive of its bus whose pattern it matches. Replayed events (with
   * `replay-name`) are never archived: AWS's managed archive rule adds `"replay-name": [{"exists": false}]`.
   * [semantics §6]
   */
  record(accepted: AcceptedEvent): void {
    if (this.archives.size === 0 || accepted.event["replay-name"] !== undefined) return;
    let eventTimeMs: number | undefined;
    for (const archive of this.archives.values()) {
      if (archive.eventBusName !== accepted.eventBusName || !this.patternMatches(archive, accepted.event)) continue;
      eventTimeMs ??= Date.parse(accepted.event.time);
      const cutoff = this.retentionCutoff(archive);
      if (cutoff !== undefined && eventTimeMs < cutoff) continue;
      const archived: ArchivedEvent = {
        event: accepted.event,
        eventTimeMs,
        ingestionTime: accepted.ingestionTime,
        sizeBytes: accepted.archivedSizeBytes,
      };
      archive.events.push(archived);
      archive.sizeBytes += archived.sizeBytes;
      this.options.persistence?.appendEvent(archive.name, archived);
    }
  }

  /** The archive an `EventSourceArn` of StartReplay names, if it exists. */
  findByArn(archiveArn: string): ArchiveReference | undefined {
    const archive = this.archives.get(archiveNameOf(archiveArn));
    if (!archive || this.options.arns.archive(archive.name) !== archiveArn) return undefined;
    return this.referenceOf(archive);
  }

  find(archiveName: string): ArchiveReference | undefined {
    const archive = this.archives.get(archiveName);
    return archive && this.referenceOf(archive);
  }

  /**
   * The events with `startMs <= time < endMs`, oldest event time first (ties in arrival order), after dropping
   * expired events. The result is a snapshot: later events do not join it.
   */
  eventsInWindow(archiveName: string, startMs: number, endMs: number): ArchivedEvent[] {
    const archive = this.require(archiveName);
    this.dropExpired(archive);
    return archive.events
      .filter((archived) => archived.eventTimeMs >= startMs && archived.eventTimeMs < endMs)
      .sort((a, b) => a.eventTimeMs - b.eventTimeMs);
  }

  /** The event time before which the archive keeps nothing (`undefined` when it keeps events forever). */
  retentionCutoffOf(archiveName: string): number | undefined {
    return this.retentionCutoff(this.require(archiveName));
  }

  /** Drops the events older than their archive's retention from every archive; returns how many were dropped. */
  dropAllExpired(): number {
    let dropped = 0;
    for (const archive of this.archives.values()) dropped += this.dropExpired(archive);
    return dropped;
  }

  /** Restores an archive and its events from the data directory (no persistence writes). */
  restore(definition: ArchiveDefinition, events: readonly ArchivedEvent[]): void {
    const creationTime = new Date(definition.creationTime);
    this.archives.set(definition.name, {
      name: definition.name,
      eventBusName: definition.eventBusName,
      ...optional("description", definition.description),
      ...optional("eventPattern", definition.eventPattern),
      ...optional(
        "compiledPattern",
        definition.eventPattern === undefined ? undefined : compileEventPattern(definition.eventPattern),
      ),
      retentionDays: definition.retentionDays,
      creationTime: Number.isNaN(creationTime.getTime()) ? new Date(this.options.now()) : creationTime,
      events: [...events],
      sizeBytes: events.reduce((sum, archived) => sum + archived.sizeBytes, 0),
    });
  }

  definitions(): ArchiveDefinition[] {
    return [...this.archives.values()].map((archive) => ({
      name: archive.name,
      eventBusName: archive.eventBusName,
      ...optional("description", archive.description),
      ...optional("eventPattern", archive.eventPattern),
      retentionDays: archive.retentionDays,
      creationTime: archive.creationTime.toISOString(),
    }));
  }

  private dropExpired(archive: ArchiveRecord): number {
    const cutoff = this.retentionCutoff(archive);
    if (cutoff === undefined) return 0;
    const kept = archive.events.filter((archived) => archived.eventTimeMs >= cutoff);
    const dropped = archive.events.length - kept.length;
    if (dropped === 0) return 0;
    archive.events = kept;
    archive.sizeBytes = kept.reduce((sum, archived) => sum + archived.sizeBytes, 0);
    this.options.persistence?.rewriteEvents(archive.name, kept);
    return dropped;
  }

  private retentionCutoff(archive: ArchiveRecord): number | undefined {
    return archive.retentionDays > 0 ? this.options.now() - archive.retentionDays * DAY_MS : undefined;
  }

  private patternMatches(archive: ArchiveRecord, event: EventEnvelope): boolean {
    if (!archive.compiledPattern) return true;
    try {
      return archive.compiledPattern.matches(event);
    } catch (error) {
      this.options.warn(
        `Archive ${archive.name} failed to evaluate its pattern on event ${event.id}: ${String(error)}`,
      );
      return false;
    }
  }

  private require(archiveName: string): ArchiveRecord {
    const archive = this.archives.get(archiveName);
    if (!archive) throw new EventBridgeResourceNotFoundError(`Archive ${archiveName} does not exist.`); // [LS-AWS]
    return archive;
  }

  private referenceOf(archive: ArchiveRecord): ArchiveReference {
    return {
      name: archive.name,
      arn: this.options.arns.archive(archive.name),
      eventBusName: archive.eventBusName,
      retentionDays: archive.retentionDays,
    };
  }

  private stateOf(archive: ArchiveRecord): ArchiveStateResponse {
    return {
      ArchiveArn: this.options.arns.archive(archive.name),
      State: "ENABLED",
      CreationTime: archive.creationTime,
    };
  }

  private summaryOf(archive: ArchiveRecord): ArchiveSummary {
    this.dropExpired(archive);
    return {
      ArchiveName: archive.name,
      EventSourceArn: this.options.arns.eventBus(archive.eventBusName),
      State: "ENABLED",
      RetentionDays: archive.retentionDays,
      SizeBytes: archive.sizeBytes,
      EventCount: archive.events.length,
      CreationTime: archive.creationTime,
    };
  }

  private saveDefinitions(): void {
    this.options.persistence?.saveDefinitions(this.definitions());
  }
}

function checkArchiveSettings(
  violations: ConstraintViolations,
  request: { readonly Description?: string; readonly EventPattern?: string; readonly RetentionDays?: number },
): void {
  if (request.Description !== undefined && request.Description.length > MAX_ARCHIVE_DESCRIPTION_LENGTH) {
    violations.add(
      request.Description,
      "description",
      `Member must have length less than or equal to ${MAX_ARCHIVE_DESCRIPTION_LENGTH}`,
    );
  }
  if (request.EventPattern !== undefined && request.EventPattern.length > MAX_EVENT_PATTERN_LENGTH) {
    violations.add(
      request.EventPattern,
      "eventPattern",
      `Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
    );
  }
  if (request.RetentionDays !== undefined && request.RetentionDays < 0) {
    violations.add(String(request.RetentionDays), "retentionDays", "Member must have value greater than or equal to 0");
  }
}

function checkLength(
  violations: ConstraintViolations,
  value: string,
  memberPath: string,
  min: number,
  max: number,
): void {
  if (value.length < min) violations.add(value, memberPath, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) violations.add(value, memberPath, `Member must have length less than or equal to ${max}`);
}
