import type { ArchiveStore } from "./archive-store";
import {
  checkName,
  ConstraintViolations,
  EventBridgeIllegalStatusError,
  EventBridgeLimitExceededError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
  LIMIT_EXCEEDED_MESSAGE,
} from "./errors";
import type { EventBusLookup } from "./event-bus-registry";
import { withReplayName, type EventEnvelope } from "./event-envelope";
import type { AcceptedEvent } from "./event-journal";
import type { EventRouter } from "./event-routing";
import { archiveNameOf, type EventBridgeArns } from "./eventbridge-arns";
import {
  REPLAY_STATES,
  type CancelReplayResponse,
  type DescribeReplayResponse,
  type ListReplaysRequest,
  type ListReplaysResponse,
  type ReplayDestination,
  type ReplayState,
  type ReplaySummary,
  type StartReplayRequest,
  type StartReplayResponse,
} from "./eventbridge-shapes";
import { paginate } from "./pagination";
import type { PendingWork } from "./pending-work";
import { optional } from "./optional-field";

/** At most 10 replays may be active (STARTING, RUNNING or CANCELLING) per account and Region. [semantics §7] */
export const MAX_ACTIVE_REPLAYS = 10;
export const MAX_REPLAY_NAME_LENGTH = 64;
/** Replays walk the archive in 1-minute windows of event time. [semantics §7, DOC replay] */
export const REPLAY_WINDOW_MS = 60_000;
/** Events handed to delivery between two yields to the event loop. */
export const DEFAULT_REPLAY_BATCH_SIZE = 500;
/**
 * How long a replay stays STARTING before it runs. AWS takes minutes, so a CancelReplay right after StartReplay finds
 * it active and an eleventh StartReplay meets the limit; a short hold keeps both observable locally. [semantics §7]
 */
export const DEFAULT_REPLAY_START_DELAY_MS = 250;

const ACTIVE_STATES: ReadonlySet<ReplayState> = new Set(["STARTING", "RUNNING", "CANCELLING"]);

/** How far a replay got, for a progress bar. */
export interface ReplayProgress {
  readonly replayName: string;
  readonly state: ReplayState;
  /** Events handed to the bus's rules so far. */
  readonly eventsReplayed: number;
  /** Events of the archive in the replay's time window (0 until the replay is RUNNING). */
  readonly eventsTotal: number;
  /** The event time of the last replayed event. */
  readonly eventLastReplayedTime?: Date;
}

export type ReplayProgressListener = (progress: ReplayProgress) => void;

/** A replay as plain JSON data, for persistence (times are ISO-8601). */
export interface ReplayDefinition {
  readonly name: string;
  readonly description?: string;
  readonly archiveArn: string;
  readonly archiveName: string;
  readonly eventBusName: string;
  readonly destination: ReplayDestination;
  readonly eventStartTime: string;
  readonly eventEndTime: string;
  readonly state: ReplayState;
  readonly stateReason?: string;
  readonly replayStartTime: string;
  readonly replayEndTime?: string;
  readonly eventLastReplayedTime?: string;
  readonly eventsReplayed: number;
  readonly eventsTotal: number;
}

export interface ReplayRunnerOptions {
  readonly archives: ArchiveStore;
  readonly arns: EventBridgeArns;
  /** The bus `Destination.Arn` names, whether it still exists, and its rules' ARNs (for `FilterArns`). */
  readonly eventBuses: EventBusLookup;
  /** Routes each replayed event to the bus's rules (only those in `FilterArns` when given), like a live event. */
  readonly router: Pick<EventRouter, "route" | "matchingRules">;
  readonly pending: PendingWork;
  readonly now: () => number;
  readonly batchSize: number;
  /** Pause between windows; 0 replays as fast as possible. */
  readonly windowPauseMs: number;
  /** How long a replay stays STARTING before it runs (CancelReplay ends the wait at once). */
  readonly startDelayMs: number;
  readonly persistence?: { saveReplays(definitions: readonly ReplayDefinition[]): void } | undefined;
}

interface ReplayRecord {
  readonly name: string;
  readonly description?: string;
  readonly archiveArn: string;
  readonly archiveName: string;
  readonly eventBusName: string;
  readonly destination: ReplayDestination;
  readonly eventStartTime: Date;
  readonly eventEndTime: Date;
  state: ReplayState;
  stateReason?: string;
  readonly replayStartTime: Date;
  replayEndTime?: Date;
  eventLastReplayedTime?: Date;
  eventsReplayed: number;
  eventsTotal: number;
  /** Ends the start delay or a pause between windows early (set while the runner waits). */
  wake?: () => void;
  readonly waiters: ((description: DescribeReplayResponse) => void)[];
}

/**
 * StartReplay, DescribeReplay, ListReplays and CancelReplay, and the runner that re-sends archived events.
 *
 * A replay answers STARTING and stays so for `startDelayMs`, then runs asynchronously: RUNNING while it hands the events of the window to the bus
 * in event-time order, 1-minute window after window, yielding to the event loop between windows and every
 * `batchSize` events; then COMPLETED, or CANCELLED after CancelReplay, or FAILED with a StateReason. A replay is
 * COMPLETED once every event was handed to delivery; deliveries (and their retries) finish on their own, as on AWS.
 * Each replayed event is the archived envelope with `replay-name` (same `id`), delivered only to the rules in
 * `FilterArns` (every rule of the bus when absent), each still applying its pattern and state.
 */
export class ReplayRunner {
  private readonly replays = new Map<string, ReplayRecord>();
  private readonly progressListeners = new Set<ReplayProgressListener>();

  constructor(private readonly options: ReplayRunnerOptions) {}

  start(request: StartReplayRequest): StartReplayResponse {
    const violations = new ConstraintViolations();
    checkName(violations, request.ReplayName, "replayName", MAX_REPLAY_NAME_LENGTH);
    if (request.Description !== undefined && request.Description.length > 512) {
      violations.add(request.Description, "description", "Member must have length less than or equal to 512");
    }
    checkArnLength(violations, request.EventSourceArn, "eventSourceArn");
    checkArnLength(violations, request.Destination.Arn, "destination.arn");
    for (const [index, arn] of (request.Destination.FilterArns ?? []).entries()) {
      checkArnLength(violations, arn, `destination.filterArns.${index + 1}.member`);
    }
    violations.throwIfAny();
    const startMs = timeOf(request.EventStartTime);
    const endMs = timeOf(request.EventEndTime);
    if (!(startMs < endMs)) {
      throw new EventBridgeValidationError(
        "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
      ); // [LS-AWS]
    }
    const archive = this.options.archives.findByArn(request.EventSourceArn);
    if (!archive) {
      throw new EventBridgeValidationError(
        `Parameter EventSourceArn is not valid. Reason: Archive ${archiveNameOf(request.EventSourceArn)} does not exist.`,
      ); // [LS-AWS]
    }
    const eventBusName = this.options.eventBuses.requireEventBus(request.Destination.Arn); // [LS-AWS: unknown bus first]
    if (eventBusName !== archive.eventBusName) {
      throw new EventBridgeValidationError(
        "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
      ); // [LS-AWS]
    }
    if (this.replays.has(request.ReplayName)) {
      throw new EventBridgeResourceAlreadyExistsError(`Replay ${request.ReplayName} already exists.`); // [LS-AWS]
    }
    const filterArns = request.Destination.FilterArns;
    if (filterArns !== undefined) this.checkFilterArns(filterArns, eventBusName);
    const cutoff = this.options.archives.retentionCutoffOf(archive.name);
    if (cutoff !== undefined && endMs <= cutoff) {
      // Local wording: nothing in the window can still be in the archive.
      throw new EventBridgeValidationError(
        `Parameter EventEndTime is not valid. Reason: The replay window ends at ${new Date(endMs).toISOString()}, but archive ` +
          `${archive.name} keeps events for ${archive.retentionDays} days (event time), so it holds nothing before ` +
          `${new Date(cutoff).toISOString()}. Choose a window that ends after that.`,
      );
    }
    if ([...this.replays.values()].filter((replay) => ACTIVE_STATES.has(replay.state)).length >= MAX_ACTIVE_REPLAYS) {
      throw new EventBridgeLimitExceededError(LIMIT_EXCEEDED_MESSAGE); // [LS-AWS]
    }
    const replay: ReplayRecord = {
      name: request.ReplayName,
      ...optional("description", request.Description),
      archiveArn: archive.arn,
      archiveName: archive.name,
      eventBusName,
      destination: { Arn: request.Destination.Arn, ...optional("FilterArns", filterArns && [...filterArns]) },
      eventStartTime: new Date(startMs),
      eventEndTime: new Date(endMs),
      state: "STARTING",
      replayStartTime: new Date(this.options.now()),
      eventsReplayed: 0,
      eventsTotal: 0,
      waiters: [],
    };
    this.replays.set(replay.name, replay);
    this.save();
    void this.run(replay);
    return {
      ReplayArn: this.options.arns.replay(replay.name),
      State: replay.state,
      ReplayStartTime: replay.replayStartTime,
    };
  }

  describe(replayName: string): DescribeReplayResponse {
    return this.describeRecord(this.require(replayName));
  }

  /** Replays in name order, filtered by name prefix, state and archive ARN. */
  list(request: ListReplaysRequest = {}): ListReplaysResponse {
    if (request.State !== undefined && !REPLAY_STATES.includes(request.State)) {
      const violations = new ConstraintViolations();
      violations.add(request.State, "state", `Member must satisfy enum value set: [${REPLAY_STATES.join(", ")}]`);
      violations.throwIfAny();
    }
    const replays = [...this.replays.values()]
      .filter((replay) => request.NamePrefix === undefined || replay.name.startsWith(request.NamePrefix))
      .filter((replay) => request.State === undefined || replay.state === request.State)
      .filter((replay) => request.EventSourceArn === undefined || replay.archiveArn === request.EventSourceArn)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = paginate(replays, request);
    return {
      Replays: page.items.map((replay) => this.summaryOf(replay)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** Asks a STARTING or RUNNING replay to stop: CANCELLING now, CANCELLED once the runner notices (at once). */
  cancel(replayName: string): CancelReplayResponse {
    const replay = this.require(replayName);
    if (replay.state !== "STARTING" && replay.state !== "RUNNING") {
      // moto's wording; AWS's text for this case is unverified.
      throw new EventBridgeIllegalStatusError(`Replay ${replayName} is not in a valid state for this operation.`);
    }
    replay.state = "CANCELLING";
    this.save();
    this.report(replay);
    replay.wake?.();
    return { ReplayArn: this.options.arns.replay(replay.name), State: replay.state };
  }

  progressOf(replayName: string): ReplayProgress {
    return this.progressRecord(this.require(replayName));
  }

  /** Calls `listener` on every state change and after every batch of a running replay; returns the unsubscribe function. */
  onProgress(listener: ReplayProgressListener): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Resolves with the replay's description once it is COMPLETED, CANCELLED or FAILED. */
  whenEnded(replayName: string): Promise<DescribeReplayResponse> {
    const replay = this.require(replayName);
    if (!ACTIVE_STATES.has(replay.state)) return Promise.resolve(this.describeRecord(replay));
    return new Promise((resolve) => replay.waiters.push(resolve));
  }

  /** Fails the active replays that `affected` selects (their bus or archive was deleted, or the bridge closes). */
  failActive(
    affected: (replay: { readonly eventBusName: string; readonly archiveName: string }) => boolean,
    reason: string,
  ): void {
    for (const replay of this.replays.values()) {
      if (ACTIVE_STATES.has(replay.state) && affected(replay)) this.end(replay, "FAILED", reason);
    }
  }

  /**
   * What a replay of this window would send: the archived events (oldest first) with the enabled rules each would
   * reach, only rules in `ruleArns` when given. Nothing is delivered.
   */
  preview(
    archiveName: string,
    start: Date,
    end: Date,
    ruleArns?: readonly string[],
  ): { event: EventEnvelope; ruleNames: string[] }[] {
    const archive = this.options.archives.find(archiveName);
    if (!archive) throw new EventBridgeResourceNotFoundError(`Archive ${archiveName} does not exist.`);
    const only = ruleArns ? new Set(ruleArns) : undefined;
    return this.options.archives.eventsInWindow(archiveName, start.getTime(), end.getTime()).map(({ event }) => ({
      event,
      ruleNames: [...this.options.router.matchingRules(archive.eventBusName, event, only)].map((rule) => rule.name),
    }));
  }

  /**
   * Restores replays from the data directory. One that was still active when the previous process stopped is
   * FAILED: its runner is gone, and re-running it could deliver events twice.
   */
  restore(definitions: readonly ReplayDefinition[]): void {
    for (const definition of definitions) {
      const active = ACTIVE_STATES.has(definition.state);
      this.replays.set(definition.name, {
        name: definition.name,
        ...optional("description", definition.description),
        archiveArn: definition.archiveArn,
        archiveName: definition.archiveName,
        eventBusName: definition.eventBusName,
        destination: definition.destination,
        eventStartTime: new Date(definition.eventStartTime),
        eventEndTime: new Date(definition.eventEndTime),
        state: active ? "FAILED" : definition.state,
        ...optional(
          "stateReason",
          active
            ? `The local EventBridge stopped while the replay was ${definition.state}; start a new replay to finish it.`
            : definition.stateReason,
        ),
        replayStartTime: new Date(definition.replayStartTime),
        ...optional(
          "replayEndTime",
          definition.replayEndTime === undefined
            ? active
              ? new Date(this.options.now())
              : undefined
            : new Date(definition.replayEndTime),
        ),
        ...optional(
          "eventLastReplayedTime",
          definition.eventLastReplayedTime === undefined ? undefined : new Date(definition.eventLastReplayedTime),
        ),
        eventsReplayed: definition.eventsReplayed,
        eventsTotal: definition.eventsTotal,
        waiters: [],
      });
    }
  }

  definitions(): ReplayDefinition[] {
    return [...this.replays.values()].map((replay) => ({
      name: replay.name,
      ...optional("description", replay.description),
      archiveArn: replay.archiveArn,
      archiveName: replay.archiveName,
      eventBusName: replay.eventBusName,
      destination: replay.destination,
      eventStartTime: replay.eventStartTime.toISOString(),
      eventEndTime: replay.eventEndTime.toISOString(),
      state: replay.state,
      ...optional("stateReason", replay.stateReason),
      replayStartTime: replay.replayStartTime.toISOString(),
      ...optional("replayEndTime", replay.replayEndTime?.toISOString()),
      ...optional("eventLastReplayedTime", replay.eventLastReplayedTime?.toISOString()),
      eventsReplayed: replay.eventsReplayed,
      eventsTotal: replay.eventsTotal,
    }));
  }

  private async run(replay: ReplayRecord): Promise<void> {
    const endWork = this.options.pending.begin();
    try {
      await this.pause(replay, this.options.startDelayMs);
      if (this.stopped(replay)) return;
      this.changeState(replay, "RUNNING");
      const events = this.options.archives.eventsInWindow(
        replay.archiveName,
        replay.eventStartTime.getTime(),
        replay.eventEndTime.getTime(),
      );
      replay.eventsTotal = events.length;
      this.report(replay);
      const filterArns = replay.destination.FilterArns && new Set(replay.destination.FilterArns);
      let windowEnd: number | undefined;
      let sinceYield = 0;
      for (const archived of events) {
        if (windowEnd === undefined || archived.eventTimeMs >= windowEnd) {
          if (windowEnd !== undefined) {
            this.report(replay);
            await this.pause(replay, this.options.windowPauseMs);
            sinceYield = 0;
            if (this.stopped(replay)) return;
          }
          windowEnd = Math.floor(archived.eventTimeMs / REPLAY_WINDOW_MS) * REPLAY_WINDOW_MS + REPLAY_WINDOW_MS;
          if (!this.options.eventBuses.hasEventBus(replay.eventBusName)) {
            this.end(replay, "FAILED", `Event bus ${replay.eventBusName} does not exist.`);
            return;
          }
        }
        this.options.router.route(this.replayedEvent(replay, archived.event), filterArns);
        replay.eventsReplayed += 1;
        replay.eventLastReplayedTime = new Date(archived.eventTimeMs);
        sinceYield += 1;
        if (sinceYield >= this.options.batchSize) {
          this.report(replay);
          await yieldToEventLoop();
          sinceYield = 0;
          if (this.stopped(replay)) return;
        }
      }
      this.end(replay, "COMPLETED");
    } catch (error) {
      if (ACTIVE_STATES.has(replay.state)) {
        this.end(replay, "FAILED", `The replay failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } finally {
      endWork();
    }
  }

  /** True when the replay must not go on: cancelled (it becomes CANCELLED now) or already ended by someone else. */
  private stopped(replay: ReplayRecord): boolean {
    if (replay.state === "CANCELLING") {
      this.end(replay, "CANCELLED");
      return true;
    }
    return !ACTIVE_STATES.has(replay.state);
  }

  /** Waits `ms` (just yields when 0); CancelReplay, a failure or closing the bridge ends the wait early. */
  private pause(replay: ReplayRecord, ms: number): Promise<void> {
    if (ms <= 0) return yieldToEventLoop();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        delete replay.wake;
        resolve();
      }, ms);
      replay.wake = () => {
        clearTimeout(timer);
        delete replay.wake;
        resolve();
      };
    });
  }

  private changeState(replay: ReplayRecord, state: ReplayState): void {
    replay.state = state;
    this.save();
    this.report(replay);
  }

  private end(replay: ReplayRecord, state: "COMPLETED" | "CANCELLED" | "FAILED", reason?: string): void {
    replay.state = state;
    if (reason !== undefined) replay.stateReason = reason;
    replay.replayEndTime = new Date(this.options.now());
    replay.wake?.();
    this.save();
    this.report(replay);
    const description = this.describeRecord(replay);
    for (const resolve of replay.waiters.splice(0)) resolve(description);
  }

  private checkFilterArns(filterArns: readonly string[], eventBusName: string): void {
    const known = new Set(this.options.eventBuses.ruleArnsOf(eventBusName));
    const unknown = filterArns.filter((arn) => !known.has(arn));
    if (unknown.length > 0) {
      // Local wording in AWS's "Parameter X is not valid. Reason: ..." form; AWS's answer for this case is unverified.
      throw new EventBridgeValidationError(
        `Parameter Destination.FilterArns is not valid. Reason: Rule ${unknown.join(", ")} does not exist on event bus ${eventBusName}.`,
      );
    }
  }

  /** The replayed copy of an archived event, as its bus receives it now. */
  private replayedEvent(replay: ReplayRecord, event: EventEnvelope): AcceptedEvent {
    return {
      event: withReplayName(event, replay.name),
      eventBusName: replay.eventBusName,
      eventBusArn: this.options.arns.eventBus(replay.eventBusName),
      ingestionTime: new Date(this.options.now()),
      sizeBytes: 0,
      archivedSizeBytes: 0,
    };
  }

  private require(replayName: string): ReplayRecord {
    const replay = this.replays.get(replayName);
    if (!replay) throw new EventBridgeResourceNotFoundError(`Replay ${replayName} does not exist.`); // [LS-AWS]
    return replay;
  }

  private describeRecord(replay: ReplayRecord): DescribeReplayResponse {
    return {
      ReplayName: replay.name,
      ReplayArn: this.options.arns.replay(replay.name),
      ...optional("Description", replay.description),
      State: replay.state,
      ...optional("StateReason", replay.stateReason),
      EventSourceArn: replay.archiveArn,
      Destination: {
        Arn: replay.destination.Arn,
        ...optional("FilterArns", replay.destination.FilterArns && [...replay.destination.FilterArns]),
      },
      EventStartTime: replay.eventStartTime,
      EventEndTime: replay.eventEndTime,
      ...optional("EventLastReplayedTime", replay.eventLastReplayedTime),
      ReplayStartTime: replay.replayStartTime,
      ...optional("ReplayEndTime", replay.replayEndTime),
    };
  }

  private summaryOf(replay: ReplayRecord): ReplaySummary {
    return {
      ReplayName: replay.name,
      EventSourceArn: replay.archiveArn,
      State: replay.state,
      ...optional("StateReason", replay.stateReason),
      EventStartTime: replay.eventStartTime,
      EventEndTime: replay.eventEndTime,
      ...optional("EventLastReplayedTime", replay.eventLastReplayedTime),
      ReplayStartTime: replay.replayStartTime,
      ...optional("ReplayEndTime", replay.replayEndTime),
    };
  }

  private progressRecord(replay: ReplayRecord): ReplayProgress {
    return {
      replayName: replay.name,
      state: replay.state,
      eventsReplayed: replay.eventsReplayed,
      eventsTotal: replay.eventsTotal,
      ...optional("eventLastReplayedTime", replay.eventLastReplayedTime),
    };
  }

  private report(replay: ReplayRecord): void {
    if (this.progressListeners.size === 0) return;
    const progress = this.progressRecord(replay);
    for (const listener of this.progressListeners) {
      try {
        listener(progress);
      } catch {
        // A broken progress bar must not stop the replay.
      }
    }
  }

  private save(): void {
    this.options.persistence?.saveReplays(this.definitions());
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function timeOf(time: number | Date): number {
  return time instanceof Date ? time.getTime() : time * 1000;
}

function checkArnLength(violations: ConstraintViolations, arn: string, memberPath: string): void {
  if (arn.length < 1) violations.add(arn, memberPath, "Member must have length greater than or equal to 1");
  if (arn.length > 1600) violations.add(arn, memberPath, "Member must have length less than or equal to 1600");
}
