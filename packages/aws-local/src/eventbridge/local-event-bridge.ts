import { randomUUID } from "node:crypto";
import { compileEventPattern, MAX_EVENT_PATTERN_LENGTH, type CompiledEventPattern } from "../event-pattern/index";
import { ArchiveStore } from "./archive-store";
import { EventBridgeDataDirectory } from "./data-directory";
import { redriveDeadLetters, type RedriveOptions, type RedriveReport } from "./dead-letter-redrive";
import { DeadLetterStore, type DeadLetter, type DeadLetterFilter } from "./dead-letter-store";
import {
  checkName,
  ConstraintViolations,
  EventBridgeLimitExceededError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
} from "./errors";
import { buildEventEnvelope, type EventEnvelope } from "./event-envelope";
import { EventJournal, type AcceptedEvent, type AcceptedEventListener } from "./event-journal";
import {
  RULE_STATES,
  type ArchiveStateResponse,
  type CancelReplayResponse,
  type CreateArchiveRequest,
  type DescribeArchiveResponse,
  type DescribeReplayResponse,
  type ListArchivesRequest,
  type ListArchivesResponse,
  type ListReplaysRequest,
  type ListReplaysResponse,
  type StartReplayRequest,
  type StartReplayResponse,
  type UpdateArchiveRequest,
  type CreateEventBusRequest,
  type DescribeRuleResponse,
  type EventBusDescription,
  type ListEventBusesRequest,
  type ListEventBusesResponse,
  type ListRulesRequest,
  type ListRulesResponse,
  type ListTargetsByRuleRequest,
  type ListTargetsByRuleResponse,
  type PutEventsRequest,
  type PutEventsRequestEntry,
  type PutEventsResponse,
  type PutEventsResultEntry,
  type PutRuleRequest,
  type PutTargetsRequest,
  type RemoveTargetsRequest,
  type RuleReference,
  type RuleState,
  type Target,
  type TargetResultEntry,
  type TargetsResultResponse,
  type TestEventPatternRequest,
} from "./eventbridge-shapes";
import { DataFileError } from "../json-files";
import { paginate } from "./pagination";
import { PendingWork } from "./pending-work";
import {
  checkEntry,
  checkPutEventsRequest,
  computeEntrySize,
  entryTime,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
} from "./put-events-request";
import {
  DEFAULT_REPLAY_BATCH_SIZE,
  ReplayRunner,
  type ReplayProgress,
  type ReplayProgressListener,
} from "./replay-runner";
import {
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  TargetDelivery,
  type DeliveryJob,
  type DeliveryOutcome,
  type DeliveryStatistics,
  type TargetInvoker,
} from "./target-delivery";
import { checkTargetInput, renderTargetInput } from "./target-input";
import { optional } from "./optional-field";
import { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "../local-account";

export const DEFAULT_EVENT_BUS_NAME = "default";
export const DEFAULT_REGION = DEFAULT_LOCAL_REGION;
export const DEFAULT_ACCOUNT = LOCAL_ACCOUNT;
export const MAX_TARGETS_PER_RULE = 5;
export const MAX_TARGETS_PER_REQUEST = 10;

const LIMIT_EXCEEDED_MESSAGE = "The requested resource exceeds the maximum number allowed.";
const ARN_FORMAT = /^arn:[\w:\-/.]*$/;

export interface EventBridgeLogger {
  warn(message: string, details?: Record<string, unknown>): void;
  /** A failed delivery attempt that will be retried or given up on: one short line each. Absent, they go to `warn`. */
  info?(message: string, details?: Record<string, unknown>): void;
  /** Detail only wanted when asked for, e.g. the full error (stack, causes) of every failed delivery attempt. */
  debug?(message: string, details?: Record<string, unknown>): void;
}

export interface LocalEventBridgeOptions {
  /** Default `ap-southeast-1`. */
  readonly region?: string;
  /** Default `000000000000`. */
  readonly account?: string;
  /**
   * Limit on the total entry size of one PutEvents request. Default {@link PUT_EVENTS_SIZE_LIMIT_BYTES} (1 MB);
   * `LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES` (256 KB) reproduces the limit before 2026-01-29.
   */
  readonly maxPutEventsSizeBytes?: number;
  /** Delivers to targets; without one, every delivery succeeds without doing anything. */
  readonly targetInvoker?: TargetInvoker;
  /** Default: `console.warn`. */
  readonly logger?: EventBridgeLogger;
  /** Default: the system clock. Used for event times, ingestion times and event age. */
  readonly clock?: () => Date;
  /** First retry delay before jitter; doubles per retry. Default 1000 ms. */
  readonly retryBaseDelayMs?: number;
  /** Cap of the retry delay. Default 60 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** Jitter source in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** How many accepted events the journal keeps. Default 1000. */
  readonly journalCapacity?: number;
  /** How many dead letters are kept. Default 10 000. */
  readonly deadLetterCapacity?: number;
  /**
   * Directory that keeps buses, rules, targets, archives (definitions and events), replays and dead letters across
   * restarts: a new LocalEventBridge on the same directory starts where the last one stopped. Created if missing; one
   * process at a time. Default: none (everything in memory). File layout: see `data-directory.ts`.
   */
  readonly dataDirectory?: string;
  /** How often events older than their archive's RetentionDays are dropped. Default 1 hour. */
  readonly archiveSweepIntervalMs?: number;
  /** Events a replay hands to delivery between two yields to the event loop. Default 500. */
  readonly replayBatchSize?: number;
  /**
   * Pause between the 1-minute windows of a replay, to pace it for a slow target. Default 0: as fast as possible.
   * CancelReplay ends a pause at once.
   */
  readonly replayWindowPauseMs?: number;
  /** Test hook for fault injection (`packages/local/src/faults`); absent by default, and then PutEvents is unchanged. */
  readonly putEventsFaults?: PutEventsFaultHook;
}

/** Faults injected into PutEvents, after the request and each entry passed their own checks. */
export interface PutEventsFaultHook {
  /** Throw (an EventBridgeError with its HTTP status) to fail the whole request: nothing is accepted. */
  beforeRequest?(request: PutEventsRequest): void;
  /** An answer fails this entry: it is reported with that error and not accepted; the others are. */
  failEntry?(
    entry: PutEventsRequestEntry,
    index: number,
  ): { readonly ErrorCode: string; readonly ErrorMessage: string } | undefined;
}

/** Which dead letters to redrive: the given ids, or every letter matching the filter members (all when none). */
export interface DeadLetterSelection extends DeadLetterFilter {
  readonly ids?: readonly string[];
}

export interface RedeliveryOptions {
  /**
   * One attempt only: a failure dead-letters (or drops) the event again at once instead of following the target's
   * RetryPolicy, which by default retries for up to 24 hours.
   */
  readonly singleAttempt?: boolean;
}

/** Bus and rule configuration as plain, JSON-serialisable data (patterns are recompiled on import). */
export interface EventBridgeConfiguration {
  readonly formatVersion: 1;
  readonly eventBuses: readonly EventBusConfiguration[];
  readonly rules: readonly RuleConfiguration[];
}

export interface EventBusConfiguration {
  readonly name: string;
  readonly description?: string;
  /** ISO-8601. */
  readonly creationTime: string;
  readonly lastModifiedTime: string;
}

export interface RuleConfiguration {
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: readonly Target[];
}

export interface EventBridgeStatistics {
  /** Events accepted onto an existing bus. */
  readonly acceptedEvents: number;
  /** Events accepted by PutEvents for a bus that does not exist, and so dropped, per bus name. */
  readonly droppedEventsByBus: Readonly<Record<string, number>>;
  readonly deliveries: DeliveryStatistics;
  readonly deadLetters: number;
  /** Routing and deliveries (including scheduled retries) in flight. */
  readonly pendingWork: number;
}

interface EventBusRecord {
  readonly name: string;
  readonly description?: string;
  readonly creationTime: Date;
  lastModifiedTime: Date;
}

interface RuleRecord {
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern?: string;
  readonly compiledPattern?: CompiledEventPattern;
  readonly scheduleExpression?: string;
  state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: Map<string, Target>;
}

/**
 * The in-memory EventBridge: event buses (`default` always exists), rules with compiled patterns, targets,
 * PutEvents with asynchronous delivery (retries, dead letters) and TestEventPattern. Operations take and return the
 * wire shapes of the EventBridge API, so `eventbridge-api.ts` only decodes JSON and maps errors.
 */
export class LocalEventBridge {
  readonly region: string;
  readonly account: string;
  readonly logger: EventBridgeLogger;
  /** Events that could not be delivered to a target with a `DeadLetterConfig`. */
  readonly deadLetters: DeadLetterStore;

  private readonly sizeLimitBytes: number;
  private readonly now: () => number;
  private readonly pending = new PendingWork();
  private readonly journal: EventJournal;
  private readonly delivery: TargetDelivery;
  private readonly configurationListeners = new Set<() => void>();
  private buses = new Map<string, EventBusRecord>();
  private rules = new Map<string, Map<string, RuleRecord>>();
  private acceptedCount = 0;
  private readonly droppedByBus = new Map<string, number>();
  private warnedAboutSchedules = false;
  private readonly archives: ArchiveStore;
  private readonly replays: ReplayRunner;
  private readonly dataDirectory?: EventBridgeDataDirectory;
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly putEventsFaults?: PutEventsFaultHook;
  private closed = false;

  constructor(options: LocalEventBridgeOptions = {}) {
    this.region = options.region ?? DEFAULT_REGION;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.logger = options.logger ?? { warn: (message) => console.warn(`[local-eventbridge] ${message}`) };
    this.sizeLimitBytes = options.maxPutEventsSizeBytes ?? PUT_EVENTS_SIZE_LIMIT_BYTES;
    if (options.putEventsFaults) this.putEventsFaults = options.putEventsFaults;
    const clock = options.clock ?? (() => new Date());
    this.now = () => clock().getTime();
    this.deadLetters = new DeadLetterStore(options.deadLetterCapacity);
    this.journal = new EventJournal(options.journalCapacity ?? 1000, (error) =>
      this.logger.warn(`An onEventAccepted listener failed: ${String(error)}`),
    );
    this.delivery = new TargetDelivery({
      invoker: options.targetInvoker ?? (() => Promise.resolve()),
      deadLetters: this.deadLetters,
      pending: this.pending,
      warn: (message, details) => this.logger.warn(message, details),
      attemptFailed: (message, details) => (this.logger.info ?? this.logger.warn).call(this.logger, message, details),
      ...(this.logger.debug
        ? { debug: (message: string, details?: Record<string, unknown>) => this.logger.debug?.(message, details) }
        : {}),
      now: this.now,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 60_000,
      random: options.random ?? Math.random,
    });
    this.buses.set(DEFAULT_EVENT_BUS_NAME, this.newBus(DEFAULT_EVENT_BUS_NAME));
    const dataDirectory =
      options.dataDirectory === undefined
        ? undefined
        : new EventBridgeDataDirectory(options.dataDirectory, (message) => this.logger.warn(message));
    this.archives = new ArchiveStore({
      archiveArn: (name) => this.archiveArn(name),
      eventBusArn: (name) => this.eventBusArn(name),
      requireEventBus: (arn) => this.requireEventBus(arn),
      now: this.now,
      warn: (message) => this.logger.warn(message),
      ...optional("persistence", dataDirectory),
    });
    this.replays = new ReplayRunner({
      archives: this.archives,
      replayArn: (name) => this.replayArn(name),
      requireEventBus: (arn) => this.requireEventBus(arn),
      eventBusExists: (name) => this.buses.has(name),
      ruleArnsOf: (eventBusName) =>
        [...(this.rules.get(eventBusName)?.values() ?? [])].map((rule) => this.ruleArn(rule)),
      deliver: (eventBusName, event, filterArns) =>
        this.route(
          {
            event,
            eventBusName,
            eventBusArn: this.eventBusArn(eventBusName),
            ingestionTime: new Date(this.now()),
            sizeBytes: 0,
          },
          filterArns,
        ),
      pending: this.pending,
      now: this.now,
      batchSize: options.replayBatchSize ?? DEFAULT_REPLAY_BATCH_SIZE,
      windowPauseMs: options.replayWindowPauseMs ?? 0,
      ...optional("persistence", dataDirectory),
    });
    if (dataDirectory) {
      this.dataDirectory = dataDirectory;
      this.restoreFrom(dataDirectory);
    }
    this.sweepTimer = setInterval(() => this.sweepExpiredArchiveEvents(), options.archiveSweepIntervalMs ?? 3_600_000);
    this.sweepTimer.unref();
  }

  // ---- Events ----

  /**
   * Accepts up to 10 entries and answers before any delivery happens: matching rules and targets run afterwards
   * (see {@link whenIdle}). An entry for a bus that does not exist gets an EventId and is dropped, as on AWS, with a
   * warning. [semantics §2]
   */
  putEvents(request: PutEventsRequest): PutEventsResponse {
    checkPutEventsRequest(request, this.sizeLimitBytes);
    this.putEventsFaults?.beforeRequest?.(request);
    const ingestionTime = new Date(this.now());
    const entries: PutEventsResultEntry[] = [];
    const toRoute: AcceptedEvent[] = [];
    for (const [index, entry] of request.Entries.entries()) {
      const check = checkEntry(entry);
      if (!check.accepted) {
        entries.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
        continue;
      }
      const injected = this.putEventsFaults?.failEntry?.(entry, index);
      if (injected) {
        entries.push({ ErrorCode: injected.ErrorCode, ErrorMessage: injected.ErrorMessage });
        continue;
      }
      const id = randomUUID();
      entries.push({ EventId: id });
      const eventBusName = this.resolveEventBusName(entry.EventBusName);
      if (!this.buses.has(eventBusName)) {
        this.recordDrop(eventBusName, id);
        continue;
      }
      const event = buildEventEnvelope({
        id,
        detailType: entry.DetailType ?? "",
        source: entry.Source ?? "",
        account: this.account,
        time: entryTime(entry) ?? ingestionTime,
        region: this.region,
        resources: entry.Resources ?? [],
        detail: check.detail,
      });
      const accepted: AcceptedEvent = {
        event,
        eventBusName,
        eventBusArn: this.eventBusArn(eventBusName),
        ingestionTime,
        sizeBytes: computeEntrySize(entry),
      };
      this.acceptedCount += 1;
      this.journal.record(accepted);
      this.archives.record(accepted);
      toRoute.push(accepted);
    }
    if (toRoute.length > 0) this.routeLater(toRoute);
    return { FailedEntryCount: entries.filter((entry) => "ErrorCode" in entry).length, Entries: entries };
  }

  /** Whether `Event` matches `EventPattern`. [semantics §4] */
  testEventPattern(request: TestEventPatternRequest): { Result: boolean } {
    this.checkEventPatternLength(request.EventPattern);
    const event = parseTestEvent(request.Event);
    return { Result: compileEventPattern(request.EventPattern).matches(event) };
  }

  /** The events accepted onto existing buses, oldest first (bounded by `journalCapacity`). */
  listAcceptedEvents(eventBusName?: string): AcceptedEvent[] {
    return this.journal.list(eventBusName === undefined ? undefined : this.resolveEventBusName(eventBusName));
  }

  /** Calls `listener` synchronously for every event a bus accepts; returns the unsubscribe function. */
  onEventAccepted(listener: AcceptedEventListener): () => void {
    return this.journal.subscribe(listener);
  }

  /** Resolves when no routing or delivery is in flight, including retries waiting for their backoff. */
  whenIdle(): Promise<void> {
    return this.pending.whenIdle();
  }

  /**
   * Cancels scheduled retries so the process can exit (deliveries in progress still finish), stops running replays
   * (they end FAILED) and writes everything still buffered to the data directory. Idempotent.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.replays.failActive(() => true, "The local EventBridge was closed while the replay was running.");
    this.delivery.cancelScheduledRetries();
    try {
      this.dataDirectory?.flush();
    } catch (error) {
      this.logger.warn(`Could not write the last buffered records to the data directory: ${String(error)}`);
    }
  }

  /** Writes buffered archive events and dead letters to the data directory now (they are otherwise written on the next tick). */
  flush(): void {
    this.dataDirectory?.flush();
  }

  // ---- Archives [semantics §6] ----

  /** Creates an archive of a bus: from now on, every event the bus accepts that matches EventPattern (all without one). */
  createArchive(request: CreateArchiveRequest): ArchiveStateResponse {
    return this.archives.create(request);
  }

  /** EventCount and SizeBytes are exact at every call (AWS reconciles them every 24 hours). */
  describeArchive(request: { readonly ArchiveName: string }): DescribeArchiveResponse {
    return this.archives.describe(request.ArchiveName);
  }

  listArchives(request: ListArchivesRequest = {}): ListArchivesResponse {
    return this.archives.list(request);
  }

  updateArchive(request: UpdateArchiveRequest): ArchiveStateResponse {
    return this.archives.update(request);
  }

  /** Deletes an archive and its events; replays still running from it end FAILED. */
  deleteArchive(request: { readonly ArchiveName: string }): void {
    this.archives.delete(request.ArchiveName);
    this.replays.failActive(
      (replay) => replay.archiveName === request.ArchiveName,
      `Archive ${request.ArchiveName} was deleted while the replay was running.`,
    );
  }

  /** Drops archived events older than their archive's RetentionDays (also runs periodically and before a replay reads). */
  sweepExpiredArchiveEvents(): number {
    return this.archives.dropAllExpired();
  }

  // ---- Replays [semantics §7] ----

  /** Starts replaying an archive's events of a time window to its bus; answers STARTING and runs asynchronously (see {@link whenIdle}). */
  startReplay(request: StartReplayRequest): StartReplayResponse {
    return this.replays.start(request);
  }

  describeReplay(request: { readonly ReplayName: string }): DescribeReplayResponse {
    return this.replays.describe(request.ReplayName);
  }

  listReplays(request: ListReplaysRequest = {}): ListReplaysResponse {
    return this.replays.list(request);
  }

  cancelReplay(request: { readonly ReplayName: string }): CancelReplayResponse {
    return this.replays.cancel(request.ReplayName);
  }

  /** Events replayed so far out of the events in the replay's window, for a progress bar. */
  getReplayProgress(replayName: string): ReplayProgress {
    return this.replays.progressOf(replayName);
  }

  /** Calls `listener` on every replay state change and after every batch of replayed events; returns the unsubscribe function. */
  onReplayProgress(listener: ReplayProgressListener): () => void {
    return this.replays.onProgress(listener);
  }

  /** Resolves with the replay's description once it is COMPLETED, CANCELLED or FAILED. */
  whenReplayEnded(replayName: string): Promise<DescribeReplayResponse> {
    return this.replays.whenEnded(replayName);
  }

  /**
   * What a replay of this window would send: the archived events (oldest first) with the
   * enabled rules each would reach, only rules in `ruleArns` when given. Nothing is delivered.
   */
  previewReplay(
    archiveName: string,
    start: Date,
    end: Date,
    ruleArns?: readonly string[],
  ): { event: EventEnvelope; ruleNames: string[] }[] {
    const archive = this.archives.find(archiveName);
    if (!archive) throw new EventBridgeResourceNotFoundError(`Archive ${archiveName} does not exist.`);
    const only = ruleArns ? new Set(ruleArns) : undefined;
    return this.archives.eventsInWindow(archiveName, start.getTime(), end.getTime()).map(({ event }) => ({
      event,
      ruleNames: [...(this.rules.get(archive.eventBusName)?.values() ?? [])]
        .filter(
          (rule) =>
            rule.state !== "DISABLED" && (!only || only.has(this.ruleArn(rule))) && this.ruleMatches(rule, event),
        )
        .map((rule) => rule.name),
    }));
  }

  // ---- Dead letters ----

  /** Dead letters, oldest first, optionally only those of one bus, rule (name or ARN), target (Id or ARN) or DLQ ARN. */
  listDeadLetters(filter: DeadLetterFilter = {}): DeadLetter[] {
    return this.deadLetters.list(filter);
  }

  /** One dead letter, or `ResourceNotFoundException`. */
  getDeadLetter(deadLetterId: string): DeadLetter {
    const letter = this.deadLetters.get(deadLetterId);
    if (!letter) throw new EventBridgeResourceNotFoundError(`Dead letter ${deadLetterId} does not exist.`);
    return letter;
  }

  /**
   * Redelivers dead letters to their targets (see {@link redeliver}) and reports each one's outcome: the letters
   * with `selection.ids` (unknown ids are reported `not-found`), or else every letter matching the filter members.
   * The selection is fixed up front, so a letter that fails again is not retried twice in one redrive.
   */
  redriveDeadLetters(
    selection: DeadLetterSelection = {},
    options: RedriveOptions & RedeliveryOptions = {},
  ): Promise<RedriveReport> {
    const { ids, ...filter } = selection;
    const letters = ids === undefined ? this.deadLetters.list(filter) : ids.map((id) => this.deadLetters.get(id) ?? id);
    const redeliveryOptions: RedeliveryOptions = optional("singleAttempt", options.singleAttempt);
    return redriveDeadLetters(letters, (id) => this.redeliver(id, redeliveryOptions), options);
  }

  /**
   * Delivers a dead letter again to the same target and removes it from the store. Uses the target's current
   * retry policy and dead-letter config when the target still exists; otherwise makes one attempt and
   * dead-letters again on failure.
   */
  redeliver(deadLetterId: string, options: RedeliveryOptions = {}): Promise<DeliveryOutcome> {
    const letter = this.deadLetters.get(deadLetterId);
    if (!letter)
      return Promise.reject(new EventBridgeResourceNotFoundError(`Dead letter ${deadLetterId} does not exist.`));
    this.deadLetters.remove(deadLetterId);
    const current = this.rules.get(letter.eventBusName)?.get(letter.ruleName)?.targets.get(letter.targetId);
    const now = new Date(this.now());
    return this.delivery.deliver({
      event: letter.event,
      input: letter.input,
      eventBusName: letter.eventBusName,
      ruleName: letter.ruleName,
      ruleArn: letter.ruleArn,
      targetId: letter.targetId,
      targetArn: current?.Arn ?? letter.targetArn,
      maximumRetryAttempts: current && options.singleAttempt !== true ? retryAttemptsOf(current) : 0,
      maximumEventAgeSeconds: current ? eventAgeOf(current) : DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
      deadLetterArn: current ? current.DeadLetterConfig?.Arn : letter.deadLetterArn,
      ingestionTime: letter.ingestionTime,
      ageOrigin: now,
    });
  }

  /** Counters for a `status` command. */
  getStatistics(): EventBridgeStatistics {
    return {
      acceptedEvents: this.acceptedCount,
      droppedEventsByBus: Object.fromEntries(this.droppedByBus),
      deliveries: this.delivery.getStatistics(),
      deadLetters: this.deadLetters.size,
      pendingWork: this.pending.size,
    };
  }

  // ---- Rules ----

  /** Creates or replaces a rule (its targets are kept). The pattern is compiled here, once. */
  putRule(request: PutRuleRequest): { RuleArn: string } {
    const existing = this.rules.get(this.resolveEventBusName(request.EventBusName))?.get(request.Name);
    const rule = this.prepareRule(request, existing?.targets ?? new Map());
    this.rulesOf(rule.eventBusName).set(rule.name, rule);
    this.configurationChanged();
    return { RuleArn: this.ruleArn(rule) };
  }

  describeRule(request: RuleReference): DescribeRuleResponse {
    const rule = this.requireRule(request.Name, request.EventBusName);
    return { ...this.describeRuleRecord(rule), CreatedBy: this.account };
  }

  /** Rules of one bus (default: `default`) in name order, optionally only names starting with `NamePrefix`. */
  listRules(request: ListRulesRequest = {}): ListRulesResponse {
    const eventBusName = this.requireEventBus(request.EventBusName);
    const rules = [...this.rulesOf(eventBusName).values()]
      .filter((rule) => request.NamePrefix === undefined || rule.name.startsWith(request.NamePrefix))
      .sort((a, b) => compareNames(a.name, b.name));
    const page = paginate(rules, request);
    return {
      Rules: page.items.map((rule) => this.describeRuleRecord(rule)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /**
   * Deletes a rule without targets. Deleting a rule that does not exist succeeds, as on AWS ("If you call delete
   * rule multiple times for the same rule, all calls will succeed"); an unknown bus does not. [BOTO DeleteRule doc]
   */
  deleteRule(request: RuleReference & { readonly Force?: boolean }): void {
    const eventBusName = this.requireEventBus(request.EventBusName);
    const rule = this.rulesOf(eventBusName).get(request.Name);
    if (!rule) return;
    if (rule.targets.size > 0) {
      throw new EventBridgeValidationError("Rule can't be deleted since it has targets."); // [LS-AWS]
    }
    this.rulesOf(eventBusName).delete(request.Name);
    this.configurationChanged();
  }

  enableRule(request: RuleReference): void {
    this.requireRule(request.Name, request.EventBusName).state = "ENABLED";
    this.configurationChanged();
  }

  /** A disabled rule matches nothing until enabled again. */
  disableRule(request: RuleReference): void {
    this.requireRule(request.Name, request.EventBusName).state = "DISABLED";
    this.configurationChanged();
  }

  // ---- Targets ----

  /**
   * Adds or replaces targets (by Id): at most 10 per request and 5 per rule. Invalid input fails the whole request
   * with `ValidationException`, as AWS's request validation does, so `FailedEntries` is always empty here.
   * [semantics §8, LS-AWS test_put_target_id_validation]
   */
  putTargets(request: PutTargetsRequest): TargetsResultResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    this.applyTargets(rule, request.Targets);
    this.configurationChanged();
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(request: ListTargetsByRuleRequest): ListTargetsByRuleResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    const page = paginate([...rule.targets.values()], request);
    return {
      Targets: page.items.map((target) => structuredClone(target)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** Removes targets by Id; an Id the rule does not have is reported in `FailedEntries`. */
  removeTargets(request: RemoveTargetsRequest): TargetsResultResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    const violations = new ConstraintViolations();
    if (request.Ids.length < 1) violations.add("[]", "ids", "Member must have length greater than or equal to 1");
    if (request.Ids.length > 100)
      violations.add(`[${request.Ids.join(", ")}]`, "ids", "Member must have length less than or equal to 100");
    request.Ids.forEach((id, index) => checkName(violations, id, `ids.${index + 1}.member`, 64));
    violations.throwIfAny();
    const failed: TargetResultEntry[] = [];
    for (const id of request.Ids) {
      if (!rule.targets.delete(id)) {
        // Wording from LocalStack's provider; what AWS answers for an unknown Id is unverified.
        failed.push({
          TargetId: id,
          ErrorCode: "ResourceNotFoundException",
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        });
      }
    }
    if (failed.length < request.Ids.length) this.configurationChanged();
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  // ---- Event buses ----

  createEventBus(request: CreateEventBusRequest): { EventBusArn: string; Description?: string } {
    const violations = new ConstraintViolations();
    checkEventBusName(violations, request.Name);
    if (request.Description !== undefined && request.Description.length > 512) {
      violations.add(request.Description, "description", "Member must have length less than or equal to 512");
    }
    violations.throwIfAny();
    // The model allows '/', for partner event buses only (named after their partner event source). [API CreateEventBus]
    if (request.Name.includes("/")) {
      throw new EventBridgeValidationError(
        `Event bus name ${request.Name} is not valid: a custom event bus name can't contain '/'. ` +
          "Only partner event buses, named after their aws.partner/... event source, can, and the local EventBridge has no partner event sources.",
      );
    }
    if (this.buses.has(request.Name)) {
      throw new EventBridgeResourceAlreadyExistsError(`Event bus ${request.Name} already exists.`); // [LS-AWS]
    }
    this.buses.set(request.Name, this.newBus(request.Name, request.Description));
    this.configurationChanged();
    return {
      EventBusArn: this.eventBusArn(request.Name),
      ...(request.Description === undefined ? {} : { Description: request.Description }),
    };
  }

  /** Describes a bus by name or ARN (default: `default`). */
  describeEventBus(request: { readonly Name?: string } = {}): EventBusDescription {
    const name = this.resolveEventBusName(request.Name);
    const bus = this.buses.get(name);
    if (!bus) throw new EventBridgeResourceNotFoundError(`Event bus ${name} does not exist.`);
    return this.describeBus(bus);
  }

  listEventBuses(request: ListEventBusesRequest = {}): ListEventBusesResponse {
    const buses = [...this.buses.values()]
      .filter((bus) => request.NamePrefix === undefined || bus.name.startsWith(request.NamePrefix))
      .sort((a, b) => compareNames(a.name, b.name));
    const page = paginate(buses, request);
    return {
      EventBuses: page.items.map((bus) => this.describeBus(bus)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /**
   * Deletes a custom bus and its rules. `default` cannot be deleted; deleting a bus that does not exist succeeds.
   * [LS-AWS test_delete_default_event_bus, test_describe_delete_not_existing_event_bus]
   */
  deleteEventBus(request: { readonly Name: string }): void {
    const name = this.resolveEventBusName(request.Name);
    if (name === DEFAULT_EVENT_BUS_NAME) throw new EventBridgeValidationError("Cannot delete event bus default.");
    if (!this.buses.delete(name)) return;
    this.rules.delete(name);
    this.configurationChanged();
    this.replays.failActive(
      (replay) => replay.eventBusName === name,
      `Event bus ${name} was deleted while the replay was running.`,
    );
  }

  // ---- Configuration ----

  /** Buses, rules and targets as plain data, for persistence. */
  exportConfiguration(): EventBridgeConfiguration {
    return {
      formatVersion: 1,
      eventBuses: [...this.buses.values()].map((bus) => ({
        name: bus.name,
        ...(bus.description === undefined ? {} : { description: bus.description }),
        creationTime: bus.creationTime.toISOString(),
        lastModifiedTime: bus.lastModifiedTime.toISOString(),
      })),
      rules: [...this.rules.values()]
        .flatMap((rules) => [...rules.values()])
        .map((rule) => ({
          name: rule.name,
          eventBusName: rule.eventBusName,
          ...optional("eventPattern", rule.eventPattern),
          ...optional("scheduleExpression", rule.scheduleExpression),
          state: rule.state,
          ...optional("description", rule.description),
          ...optional("roleArn", rule.roleArn),
          targets: [...rule.targets.values()].map((target) => structuredClone(target)),
        })),
    };
  }

  /**
   * Replaces all buses, rules and targets with `configuration` (from {@link exportConfiguration}). Everything is
   * validated and every pattern compiled before anything changes; on error the current configuration stays.
   */
  importConfiguration(configuration: EventBridgeConfiguration): void {
    if (configuration.formatVersion !== 1) {
      throw new EventBridgeValidationError(
        `Unsupported EventBridge configuration formatVersion ${String(configuration.formatVersion)}; expected 1.`,
      );
    }
    const previous = { buses: this.buses, rules: this.rules };
    this.buses = new Map([
      [DEFAULT_EVENT_BUS_NAME, previous.buses.get(DEFAULT_EVENT_BUS_NAME) ?? this.newBus(DEFAULT_EVENT_BUS_NAME)],
    ]);
    this.rules = new Map();
    try {
      for (const bus of configuration.eventBuses) {
        const violations = new ConstraintViolations();
        checkEventBusName(violations, bus.name);
        violations.throwIfAny();
        this.buses.set(bus.name, {
          name: bus.name,
          ...(bus.description === undefined ? {} : { description: bus.description }),
          creationTime: this.parseTime(bus.creationTime),
          lastModifiedTime: this.parseTime(bus.lastModifiedTime),
        });
      }
      for (const rule of configuration.rules) {
        const record = this.prepareRule(
          {
            Name: rule.name,
            EventBusName: rule.eventBusName,
            State: rule.state,
            ...optional("EventPattern", rule.eventPattern),
            ...optional("ScheduleExpression", rule.scheduleExpression),
            ...optional("Description", rule.description),
            ...optional("RoleArn", rule.roleArn),
          },
          new Map(),
        );
        this.rulesOf(record.eventBusName).set(record.name, record);
        if (rule.targets.length > 0) this.applyTargets(record, rule.targets);
      }
    } catch (error) {
      this.buses = previous.buses;
      this.rules = previous.rules;
      throw error;
    }
    this.configurationChanged();
  }

  /** Calls `listener` after every change to buses, rules or targets; returns the unsubscribe function. */
  onConfigurationChanged(listener: () => void): () => void {
    this.configurationListeners.add(listener);
    return () => this.configurationListeners.delete(listener);
  }

  // ---- ARNs and lookups ----

  eventBusArn(eventBusName: string): string {
    return `arn:aws:events:${this.region}:${this.account}:event-bus/${eventBusName}`;
  }

  archiveArn(archiveName: string): string {
    return `arn:aws:events:${this.region}:${this.account}:archive/${archiveName}`;
  }

  replayArn(replayName: string): string {
    return `arn:aws:events:${this.region}:${this.account}:replay/${replayName}`;
  }

  /** `rule/<name>` on the default bus, `rule/<bus>/<name>` elsewhere. [LS-AWS test_put_list_with_prefix_describe_delete_rule] */
  ruleArnFor(eventBusName: string, ruleName: string): string {
    const path = eventBusName === DEFAULT_EVENT_BUS_NAME ? ruleName : `${eventBusName}/${ruleName}`;
    return `arn:aws:events:${this.region}:${this.account}:rule/${path}`;
  }

  /**
   * The bus name for an `EventBusName` member: absent means `default`; an ARN of this region and account becomes
   * its name; an ARN of another region or account is kept whole, so it names no bus here.
   */
  resolveEventBusName(nameOrArn: string | undefined): string {
    if (nameOrArn === undefined || nameOrArn === "") return DEFAULT_EVENT_BUS_NAME;
    const arn = /^arn:aws[\w-]*:events:([^:]*):([^:]*):event-bus\/(.+)$/.exec(nameOrArn);
    if (!arn) return nameOrArn;
    return arn[1] === this.region && arn[2] === this.account ? (arn[3] ?? nameOrArn) : nameOrArn;
  }

  // ---- internals ----

  private routeLater(accepted: readonly AcceptedEvent[]): void {
    const end = this.pending.begin();
    // PutEvents answers first; delivery happens afterwards, as on AWS.
    setImmediate(() => {
      try {
        for (const entry of accepted) {
          try {
            this.route(entry);
          } catch (error) {
            console.error(`[local-eventbridge] routing event ${entry.event.id} failed:`, error);
          }
        }
      } finally {
        end();
      }
    });
  }

  /** Hands the event to every enabled, matching rule of its bus (only the rules in `filterArns` when given). */
  private route(accepted: AcceptedEvent, filterArns?: ReadonlySet<string>): void {
    for (const rule of this.rules.get(accepted.eventBusName)?.values() ?? []) {
      if (rule.state === "DISABLED" || !rule.compiledPattern) continue;
      if (filterArns && !filterArns.has(this.ruleArn(rule))) continue;
      if (!this.ruleMatches(rule, accepted.event)) continue;
      const ruleArn = this.ruleArn(rule);
      for (const target of rule.targets.values()) {
        let input: unknown;
        try {
          input = renderTargetInput(target, {
            event: accepted.event,
            ruleName: rule.name,
            ruleArn,
            ingestionTime: accepted.ingestionTime,
          });
        } catch (error) {
          this.logger.warn(
            `Could not build the input of target ${target.Id} of rule ${rule.name} for event ` +
              `${accepted.event.id}: ${String(error)}; the event was not delivered to it.`,
          );
          continue;
        }
        const job: DeliveryJob = {
          event: accepted.event,
          input,
          eventBusName: accepted.eventBusName,
          ruleName: rule.name,
          ruleArn,
          targetId: target.Id,
          targetArn: target.Arn,
          maximumRetryAttempts: retryAttemptsOf(target),
          maximumEventAgeSeconds: eventAgeOf(target),
          ...optional("deadLetterArn", target.DeadLetterConfig?.Arn),
          ingestionTime: accepted.ingestionTime,
          ageOrigin: accepted.ingestionTime,
        };
        void this.delivery.deliver(job);
      }
    }
  }

  private ruleMatches(rule: RuleRecord, event: EventEnvelope): boolean {
    try {
      return rule.compiledPattern?.matches(event) ?? false;
    } catch (error) {
      this.logger.warn(`Rule ${rule.name} failed to evaluate its pattern on event ${event.id}: ${String(error)}`);
      return false;
    }
  }

  /**
   * Loads the data directory, then keeps it up to date. A file that cannot be loaded stops start-up with a
   * {@link DataFileError} naming it (carrying on would overwrite it); unreadable lines of JSON Lines files are
   * skipped with a warning instead.
   */
  private restoreFrom(dataDirectory: EventBridgeDataDirectory): void {
    const content = dataDirectory.load();
    if (content.configuration) {
      try {
        this.importConfiguration(content.configuration);
      } catch (error) {
        throw new DataFileError(
          dataDirectory.configurationPath,
          `could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
    for (const { definition, events } of content.archives) {
      try {
        this.archives.restore(definition, events);
      } catch (error) {
        throw new DataFileError(
          dataDirectory.path,
          `archive ${definition.name} could not be loaded: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    }
    this.replays.restore(content.replays);
    for (const letter of content.deadLetters) this.deadLetters.add(letter);
    dataDirectory.saveConfiguration(this.exportConfiguration());
    dataDirectory.saveReplays(this.replays.definitions());
    dataDirectory.compactDeadLetters(this.deadLetters.list());
    this.archives.dropAllExpired();
    this.onConfigurationChanged(() => dataDirectory.saveConfiguration(this.exportConfiguration()));
    this.deadLetters.onDeadLetter((letter) => dataDirectory.appendDeadLetter(letter));
    this.deadLetters.onDeadLetterRemoved((id) => dataDirectory.removeDeadLetter(id));
  }

  private recordDrop(eventBusName: string, eventId: string): void {
    const count = (this.droppedByBus.get(eventBusName) ?? 0) + 1;
    this.droppedByBus.set(eventBusName, count);
    // AWS accepts and silently drops these [semantics §2, LS-AWS test_put_events_nonexistent_event_bus]; say it loudly.
    this.logger.warn(
      `PutEvents: event bus "${eventBusName}" does not exist. Event ${eventId} was accepted and DROPPED, as AWS does ` +
        `(${count} dropped for this bus so far). Create the bus or fix EventBusName.`,
      { eventBusName, eventId, droppedForBus: count },
    );
  }

  private prepareRule(request: PutRuleRequest, targets: Map<string, Target>): RuleRecord {
    const violations = new ConstraintViolations();
    checkName(violations, request.Name, "name", 64);
    if (request.EventPattern !== undefined && request.EventPattern.length > MAX_EVENT_PATTERN_LENGTH) {
      violations.add(
        request.EventPattern,
        "eventPattern",
        `Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
      );
    }
    if (request.ScheduleExpression !== undefined && request.ScheduleExpression.length > 256) {
      violations.add(
        request.ScheduleExpression,
        "scheduleExpression",
        "Member must have length less than or equal to 256",
      );
    }
    if (request.Description !== undefined && request.Description.length > 512) {
      violations.add(request.Description, "description", "Member must have length less than or equal to 512");
    }
    if (request.State !== undefined && !RULE_STATES.includes(request.State)) {
      violations.add(request.State, "state", `Member must satisfy enum value set: [${RULE_STATES.join(", ")}]`);
    }
    violations.throwIfAny();
    if (request.EventPattern === undefined && request.ScheduleExpression === undefined) {
      throw new EventBridgeValidationError("Parameter(s) EventPattern or ScheduleExpression must be specified.");
    }
    const eventBusName = this.requireEventBus(request.EventBusName);
    if (request.ScheduleExpression !== undefined) {
      if (eventBusName !== DEFAULT_EVENT_BUS_NAME) {
        throw new EventBridgeValidationError("ScheduleExpression is supported only on the default event bus.");
      }
      this.warnAboutSchedulesOnce(request.Name);
    }
    const compiledPattern = request.EventPattern === undefined ? undefined : compileEventPattern(request.EventPattern);
    return {
      name: request.Name,
      eventBusName,
      ...optional("eventPattern", request.EventPattern),
      ...optional("compiledPattern", compiledPattern),
      ...optional("scheduleExpression", request.ScheduleExpression),
      // PutRule replaces the rule's settings: no State means ENABLED again.
      state: request.State ?? "ENABLED",
      ...optional("description", request.Description),
      ...optional("roleArn", request.RoleArn),
      targets,
    };
  }

  private applyTargets(rule: RuleRecord, targets: readonly Target[]): void {
    checkTargets(targets);
    for (const [index, target] of targets.entries()) {
      checkTargetArns(target);
      checkTargetInput(target, index + 1, (message) => this.logger.warn(message, { rule: rule.name }));
    }
    const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
    if (ids.size > MAX_TARGETS_PER_RULE) throw new EventBridgeLimitExceededError(LIMIT_EXCEEDED_MESSAGE);
    for (const target of targets) rule.targets.set(target.Id, structuredClone(target));
  }

  private warnAboutSchedulesOnce(ruleName: string): void {
    if (this.warnedAboutSchedules) return;
    this.warnedAboutSchedules = true;
    this.logger.warn(
      `Rule ${ruleName} has a ScheduleExpression; the local EventBridge stores schedules but never triggers them.`,
    );
  }

  private checkEventPatternLength(pattern: string): void {
    if (pattern.length > MAX_EVENT_PATTERN_LENGTH) {
      const violations = new ConstraintViolations();
      violations.add(
        pattern,
        "eventPattern",
        `Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
      );
      violations.throwIfAny();
    }
  }

  /** The resolved name of an existing bus, or `ResourceNotFoundException`. */
  private requireEventBus(nameOrArn: string | undefined): string {
    const name = this.resolveEventBusName(nameOrArn);
    if (!this.buses.has(name)) throw new EventBridgeResourceNotFoundError(`Event bus ${name} does not exist.`); // [LS-AWS]
    return name;
  }

  private requireRule(ruleName: string, eventBusNameOrArn: string | undefined): RuleRecord {
    const eventBusName = this.requireEventBus(eventBusNameOrArn);
    const rule = this.rulesOf(eventBusName).get(ruleName);
    if (!rule) {
      throw new EventBridgeResourceNotFoundError(`Rule ${ruleName} does not exist on EventBus ${eventBusName}.`); // [LS-AWS]
    }
    return rule;
  }

  private rulesOf(eventBusName: string): Map<string, RuleRecord> {
    let rules = this.rules.get(eventBusName);
    if (!rules) {
      rules = new Map();
      this.rules.set(eventBusName, rules);
    }
    return rules;
  }

  private ruleArn(rule: RuleRecord): string {
    return this.ruleArnFor(rule.eventBusName, rule.name);
  }

  private describeRuleRecord(rule: RuleRecord): Omit<DescribeRuleResponse, "CreatedBy"> {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule),
      ...optional("EventPattern", rule.eventPattern),
      ...optional("ScheduleExpression", rule.scheduleExpression),
      State: rule.state,
      ...optional("Description", rule.description),
      ...optional("RoleArn", rule.roleArn),
      EventBusName: rule.eventBusName,
    };
  }

  private parseTime(iso: string): Date {
    const time = new Date(iso);
    return Number.isNaN(time.getTime()) ? new Date(this.now()) : time;
  }

  private newBus(name: string, description?: string): EventBusRecord {
    const now = new Date(this.now());
    return { name, ...optional("description", description), creationTime: now, lastModifiedTime: now };
  }

  private describeBus(bus: EventBusRecord): EventBusDescription {
    return {
      Name: bus.name,
      Arn: this.eventBusArn(bus.name),
      ...optional("Description", bus.description),
      CreationTime: bus.creationTime,
      LastModifiedTime: bus.lastModifiedTime,
    };
  }

  private configurationChanged(): void {
    for (const listener of this.configurationListeners) {
      try {
        listener();
      } catch (error) {
        this.logger.warn(`An onConfigurationChanged listener failed: ${String(error)}`);
      }
    }
  }
}

function checkTargets(targets: readonly Target[]): void {
  const violations = new ConstraintViolations();
  if (targets.length < 1) violations.add("[]", "targets", "Member must have length greater than or equal to 1");
  if (targets.length > MAX_TARGETS_PER_REQUEST) {
    violations.add(targets, "targets", `Member must have length less than or equal to ${MAX_TARGETS_PER_REQUEST}`);
  }
  targets.forEach((target, index) => {
    const at = `targets.${index + 1}.member`;
    checkName(violations, target.Id, `${at}.id`, 64);
    if (target.Arn.length < 1 || target.Arn.length > 1600) {
      violations.add(
        target.Arn,
        `${at}.arn`,
        `Member must have length ${target.Arn.length < 1 ? "greater than or equal to 1" : "less than or equal to 1600"}`,
      );
    }
    const retries = target.RetryPolicy?.MaximumRetryAttempts;
    if (retries !== undefined && (retries < 0 || retries > DEFAULT_MAXIMUM_RETRY_ATTEMPTS)) {
      violations.add(
        String(retries),
        `${at}.retryPolicy.maximumRetryAttempts`,
        retries < 0
          ? "Member must have value greater than or equal to 0"
          : `Member must have value less than or equal to ${DEFAULT_MAXIMUM_RETRY_ATTEMPTS}`,
      );
    }
    const age = target.RetryPolicy?.MaximumEventAgeInSeconds;
    if (age !== undefined && (age < 60 || age > DEFAULT_MAXIMUM_EVENT_AGE_SECONDS)) {
      violations.add(
        String(age),
        `${at}.retryPolicy.maximumEventAgeInSeconds`,
        age < 60
          ? "Member must have value greater than or equal to 60"
          : `Member must have value less than or equal to ${DEFAULT_MAXIMUM_EVENT_AGE_SECONDS}`,
      );
    }
  });
  violations.throwIfAny();
}

function checkTargetArns(target: Target): void {
  for (const arn of [target.Arn, target.DeadLetterConfig?.Arn]) {
    if (arn !== undefined && !ARN_FORMAT.test(arn)) {
      // Observed AWS wording for a malformed target ARN.
      throw new EventBridgeValidationError(
        `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`,
      );
    }
  }
}

function checkEventBusName(violations: ConstraintViolations, name: string): void {
  if (name.length < 1 || name.length > 256) {
    violations.add(
      name,
      "name",
      `Member must have length ${name.length < 1 ? "greater than or equal to 1" : "less than or equal to 256"}`,
    );
  }
  if (name.length > 0 && !/^[/.\-_A-Za-z0-9]+$/.test(name)) {
    violations.add(name, "name", "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+");
  }
}

function retryAttemptsOf(target: Target): number {
  return target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
}

function eventAgeOf(target: Target): number {
  return target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS;
}

const TEST_EVENT_REQUIRED_FIELDS = ["id", "account", "source", "time", "region", "detail-type"] as const;

/**
 * TestEventPattern's `Event` must be a JSON object with id, account, source, time, region and detail-type
 * (`resources` may be missing). [semantics §4, LS-AWS]
 */
function parseTestEvent(text: string): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    event = undefined;
  }
  if (
    typeof event !== "object" ||
    event === null ||
    Array.isArray(event) ||
    !TEST_EVENT_REQUIRED_FIELDS.every((field) => Object.hasOwn(event as object, field))
  ) {
    throw new EventBridgeValidationError("Parameter Event is not valid.");
  }
  return event as Record<string, unknown>;
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
