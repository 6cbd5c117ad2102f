import { ArchiveStore } from "./archive-store";
import { EventBridgeDataDirectory } from "./data-directory";
import { bindDataDirectory } from "./data-directory-binding";
import {
  redeliveryJobFor,
  redriveDeadLetters,
  type RedeliveryOptions,
  type RedriveOptions,
  type RedriveReport,
} from "./dead-letter-redrive";
import { DeadLetterStore, type DeadLetter, type DeadLetterFilter } from "./dead-letter-store";
import { EventBridgeResourceNotFoundError } from "./errors";
import { EventBusRegistry } from "./event-bus-registry";
import type { EventEnvelope } from "./event-envelope";
import { EventIntake, type PutEventsFaultHook, type ServiceEvent } from "./event-intake";
import { EventJournal, type AcceptedEvent, type AcceptedEventListener } from "./event-journal";
import { EventRouter, testEventPattern } from "./event-routing";
import { EventBridgeArns } from "./eventbridge-arns";
import { exportConfiguration, importConfiguration, type EventBridgeConfiguration } from "./eventbridge-configuration";
import type {
  ArchiveStateResponse,
  CancelReplayResponse,
  CreateArchiveRequest,
  CreateEventBusRequest,
  DescribeArchiveResponse,
  DescribeReplayResponse,
  DescribeRuleResponse,
  EventBusDescription,
  ListArchivesRequest,
  ListArchivesResponse,
  ListEventBusesRequest,
  ListEventBusesResponse,
  ListReplaysRequest,
  ListReplaysResponse,
  ListRulesRequest,
  ListRulesResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutEventsRequest,
  PutEventsResponse,
  PutRuleRequest,
  PutTargetsRequest,
  RemoveTargetsRequest,
  RuleReference,
  StartReplayRequest,
  StartReplayResponse,
  TargetsResultResponse,
  TestEventPatternRequest,
  UpdateArchiveRequest,
} from "./eventbridge-shapes";
import { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "../local-account";
import { PendingWork } from "./pending-work";
import { PUT_EVENTS_SIZE_LIMIT_BYTES } from "./put-events-request";
import {
  DEFAULT_REPLAY_BATCH_SIZE,
  DEFAULT_REPLAY_START_DELAY_MS,
  ReplayRunner,
  type ReplayProgress,
  type ReplayProgressListener,
} from "./replay-runner";
import { RuleScheduler } from "./rule-scheduler";
import {
  TargetDelivery,
  type DeliveryObserver,
  type DeliveryOutcome,
  type DeliveryStatistics,
  type TargetInvoker,
} from "./target-delivery";

export type { EventBridgeConfiguration, EventBusConfiguration, RuleConfiguration } from "./eventbridge-configuration";

export const DEFAULT_REGION = DEFAULT_LOCAL_REGION;
export const DEFAULT_ACCOUNT = LOCAL_ACCOUNT;

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
  /**
   * How long a replay stays STARTING before it runs, so that CancelReplay right after StartReplay and the limit of 10
   * active replays behave as on AWS, where replays take minutes. Default 250 ms; CancelReplay ends the wait at once.
   */
  readonly replayStartDelayMs?: number;
  /**
   * How often the real timer fires the scheduled rules that are due (by `clock`). Default 1000 ms; `0`: no timer,
   * schedules fire only through {@link LocalEventBridge.fireDueSchedules} (tests that advance their clock).
   */
  readonly scheduleTickIntervalMs?: number;
  /**
   * Work in flight that {@link LocalEventBridge.whenIdle} waits for. `startAwsLocal` shares one with the Lambda
   * layer, so waiting for the bus also waits for the Lambda targets' runs and retries. Default: a new one.
   */
  readonly pendingWork?: PendingWork;
  /** Test hook for fault injection (`packages/local/src/faults`); absent by default, and then PutEvents is unchanged. */
  readonly putEventsFaults?: PutEventsFaultHook | undefined;
}

/** Which dead letters to redrive: the given ids, or every letter matching the filter members (all when none). */
export interface DeadLetterSelection extends DeadLetterFilter {
  readonly ids?: readonly string[];
}

export interface EventBridgeStatistics {
  /** Events accepted onto an existing bus. */
  readonly acceptedEvents: number;
  /** The same, per bus name (only buses that accepted an event). */
  readonly acceptedEventsByBus: Readonly<Record<string, number>>;
  /** Events accepted by PutEvents for a bus that does not exist, and so dropped, per bus name. */
  readonly droppedEventsByBus: Readonly<Record<string, number>>;
  readonly deliveries: DeliveryStatistics;
  readonly deadLetters: number;
  /** Routing and deliveries (including scheduled retries) in flight. */
  readonly pendingWork: number;
}

/**
 * The in-memory EventBridge: event buses (`default` always exists), rules with compiled patterns, targets,
 * PutEvents with asynchronous delivery (retries, dead letters), TestEventPattern, archives and replays. Operations
 * take and return the wire shapes of the EventBridge API, so `eventbridge-api.ts` only decodes JSON and maps errors.
 *
 * A facade: each operation is handed to the part that owns it (see the README's module list), and the constructor
 * wires the parts together.
 */
export class LocalEventBridge {
  readonly region: string;
  readonly account: string;
  readonly logger: EventBridgeLogger;
  /** Events that could not be delivered to a target with a `DeadLetterConfig`. */
  readonly deadLetters: DeadLetterStore;

  private readonly now: () => number;
  private readonly arns: EventBridgeArns;
  private readonly registry: EventBusRegistry;
  private readonly pending: PendingWork;
  private readonly journal: EventJournal;
  private readonly delivery: TargetDelivery;
  private readonly intake: EventIntake;
  private readonly archives: ArchiveStore;
  private readonly replays: ReplayRunner;
  private readonly dataDirectory: EventBridgeDataDirectory | undefined;
  private readonly scheduler: RuleScheduler;
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;
  private readonly deliveryObservers = new Set<DeliveryObserver>();

  constructor(options: LocalEventBridgeOptions = {}) {
    this.region = options.region ?? DEFAULT_REGION;
    this.account = options.account ?? DEFAULT_ACCOUNT;
    this.pending = options.pendingWork ?? new PendingWork();
    this.logger = options.logger ?? { warn: (message) => console.warn(`[local-eventbridge] ${message}`) };
    const warn = (message: string, details?: Record<string, unknown>): void => this.logger.warn(message, details);
    const clock = options.clock ?? (() => new Date());
    this.now = () => clock().getTime();
    this.arns = new EventBridgeArns(this.region, this.account);
    this.registry = new EventBusRegistry({ arns: this.arns, now: this.now, warn });
    this.deadLetters = new DeadLetterStore(options.deadLetterCapacity);
    this.journal = new EventJournal(options.journalCapacity ?? 1000, (error) =>
      this.logger.warn(`An onEventAccepted listener failed: ${String(error)}`),
    );
    this.delivery = new TargetDelivery({
      invoker: options.targetInvoker ?? (() => Promise.resolve()),
      observer: {
        attemptEnded: (record) => this.tellObservers((observer) => observer.attemptEnded(record)),
        settled: (job, outcome) => this.tellObservers((observer) => observer.settled(job, outcome)),
      },
      deadLetters: this.deadLetters,
      pending: this.pending,
      warn,
      attemptFailed: (message, details) => (this.logger.info ?? this.logger.warn).call(this.logger, message, details),
      ...(this.logger.debug
        ? { debug: (message: string, details?: Record<string, unknown>) => this.logger.debug?.(message, details) }
        : {}),
      now: this.now,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
      retryMaxDelayMs: options.retryMaxDelayMs ?? 60_000,
      random: options.random ?? Math.random,
    });
    const router = new EventRouter({ rules: this.registry, delivery: this.delivery, pending: this.pending, warn });
    this.dataDirectory =
      options.dataDirectory === undefined
        ? undefined
        : new EventBridgeDataDirectory(options.dataDirectory, (message) => this.logger.warn(message));
    this.archives = new ArchiveStore({
      arns: this.arns,
      eventBuses: this.registry,
      now: this.now,
      warn,
      persistence: this.dataDirectory,
    });
    this.replays = new ReplayRunner({
      archives: this.archives,
      arns: this.arns,
      eventBuses: this.registry,
      router,
      pending: this.pending,
      now: this.now,
      batchSize: options.replayBatchSize ?? DEFAULT_REPLAY_BATCH_SIZE,
      windowPauseMs: options.replayWindowPauseMs ?? 0,
      startDelayMs: options.replayStartDelayMs ?? DEFAULT_REPLAY_START_DELAY_MS,
      persistence: this.dataDirectory,
    });
    this.intake = new EventIntake({
      arns: this.arns,
      eventBuses: this.registry,
      journal: this.journal,
      archives: this.archives,
      router,
      now: this.now,
      sizeLimitBytes: options.maxPutEventsSizeBytes ?? PUT_EVENTS_SIZE_LIMIT_BYTES,
      faults: options.putEventsFaults,
      warn,
    });
    if (this.dataDirectory) {
      bindDataDirectory(this.dataDirectory, {
        registry: this.registry,
        archives: this.archives,
        replays: this.replays,
        deadLetters: this.deadLetters,
        now: this.now,
      });
    }
    const scheduleTickIntervalMs = options.scheduleTickIntervalMs ?? 1000;
    this.scheduler = new RuleScheduler({
      rules: this.registry,
      delivery: this.delivery,
      now: this.now,
      region: this.region,
      account: this.account,
      warn,
      tickIntervalMs: scheduleTickIntervalMs > 0 ? scheduleTickIntervalMs : undefined,
    });
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
    return this.intake.putEvents(request);
  }

  /**
   * Puts an AWS service's own event (source `aws.…`, which PutEvents refuses to callers) on a bus, as the service
   * does on AWS; routed like any accepted event. Returns the event id.
   */
  acceptServiceEvent(event: ServiceEvent): string {
    return this.intake.acceptServiceEvent(event);
  }

  /** Whether `Event` matches `EventPattern`. [semantics §4] */
  testEventPattern(request: TestEventPatternRequest): { Result: boolean } {
    return testEventPattern(request);
  }

  /** The events accepted onto existing buses, oldest first (bounded by `journalCapacity`). */
  listAcceptedEvents(eventBusName?: string): AcceptedEvent[] {
    return this.journal.list(eventBusName === undefined ? undefined : this.arns.eventBusNameOf(eventBusName));
  }

  /** Calls `listener` synchronously for every event a bus accepts; returns the unsubscribe function. */
  onEventAccepted(listener: AcceptedEventListener): () => void {
    return this.journal.subscribe(listener);
  }

  /**
   * Tells `observer` about every delivery attempt (target, attempt, duration, error) and every delivery's outcome
   * (delivered, dead-lettered, dropped), redeliveries and replays included; returns the unsubscribe function.
   */
  onDelivery(observer: DeliveryObserver): () => void {
    this.deliveryObservers.add(observer);
    return () => this.deliveryObservers.delete(observer);
  }

  private tellObservers(tell: (observer: DeliveryObserver) => void): void {
    for (const observer of this.deliveryObservers) {
      try {
        tell(observer);
      } catch (error) {
        this.logger.warn(`A delivery observer failed: ${String(error)}`);
      }
    }
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
    this.scheduler.close();
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

  // ---- Schedules [semantics §10] ----

  /**
   * Fires every enabled scheduled rule of the default bus due at or before `now` (default: the clock), missed times
   * included, and returns how many fired. The runtime's timer calls it every `scheduleTickIntervalMs`; tests advance
   * their clock and call it. Deliveries run afterwards (see {@link whenIdle}).
   */
  fireDueSchedules(now: Date = new Date(this.now())): number {
    return this.scheduler.fireDue(now.getTime());
  }

  /** When a scheduled rule of the default bus fires next; `undefined` when it is disabled, unknown or done. */
  nextScheduledFireTime(ruleName: string): Date | undefined {
    return this.scheduler.nextFireTime(ruleName);
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
    return this.replays.preview(archiveName, start, end, ruleArns);
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
    return redriveDeadLetters(letters, (id) => this.redeliver(id, { singleAttempt: options.singleAttempt }), options);
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
    return this.delivery.deliver(
      redeliveryJobFor(letter, this.registry.findTarget(letter), options, new Date(this.now())),
    );
  }

  /** Counters for a `status` command. */
  getStatistics(): EventBridgeStatistics {
    return {
      ...this.intake.getStatistics(),
      deliveries: this.delivery.getStatistics(),
      deadLetters: this.deadLetters.size,
      pendingWork: this.pending.size,
    };
  }

  // ---- Rules ----

  /** Creates or replaces a rule (its targets are kept). The pattern is compiled here, once. */
  putRule(request: PutRuleRequest): { RuleArn: string } {
    return this.registry.putRule(request);
  }

  describeRule(request: RuleReference): DescribeRuleResponse {
    return this.registry.describeRule(request);
  }

  /** Rules of one bus (default: `default`) in name order, optionally only names starting with `NamePrefix`. */
  listRules(request: ListRulesRequest = {}): ListRulesResponse {
    return this.registry.listRules(request);
  }

  /** Deletes a rule without targets; deleting a rule that does not exist succeeds, as on AWS. */
  deleteRule(request: RuleReference & { readonly Force?: boolean }): void {
    this.registry.deleteRule(request);
  }

  enableRule(request: RuleReference): void {
    this.registry.setRuleState(request, "ENABLED");
  }

  /** A disabled rule matches nothing until enabled again. */
  disableRule(request: RuleReference): void {
    this.registry.setRuleState(request, "DISABLED");
  }

  // ---- Targets ----

  /** Adds or replaces targets (by Id): at most 10 per request and 5 per rule. [semantics §8] */
  putTargets(request: PutTargetsRequest): TargetsResultResponse {
    return this.registry.putTargets(request);
  }

  listTargetsByRule(request: ListTargetsByRuleRequest): ListTargetsByRuleResponse {
    return this.registry.listTargetsByRule(request);
  }

  /** Removes targets by Id; an Id the rule does not have is reported in `FailedEntries`. */
  removeTargets(request: RemoveTargetsRequest): TargetsResultResponse {
    return this.registry.removeTargets(request);
  }

  // ---- Event buses ----

  createEventBus(request: CreateEventBusRequest): { EventBusArn: string; Description?: string } {
    return this.registry.createEventBus(request);
  }

  /** Describes a bus by name or ARN (default: `default`). */
  describeEventBus(request: { readonly Name?: string } = {}): EventBusDescription {
    return this.registry.describeEventBus(request);
  }

  listEventBuses(request: ListEventBusesRequest = {}): ListEventBusesResponse {
    return this.registry.listEventBuses(request);
  }

  /** Deletes a custom bus and its rules (`default` cannot be deleted); replays still running to it end FAILED. */
  deleteEventBus(request: { readonly Name: string }): void {
    const deleted = this.registry.deleteEventBus(request);
    if (deleted === undefined) return;
    this.replays.failActive(
      (replay) => replay.eventBusName === deleted,
      `Event bus ${deleted} was deleted while the replay was running.`,
    );
  }

  // ---- Configuration ----

  /** Buses, rules and targets as plain data, for persistence. */
  exportConfiguration(): EventBridgeConfiguration {
    return exportConfiguration(this.registry);
  }

  /**
   * Replaces all buses, rules and targets with `configuration` (from {@link exportConfiguration}). Everything is
   * validated and every pattern compiled before anything changes; on error the current configuration stays.
   */
  importConfiguration(configuration: EventBridgeConfiguration): void {
    importConfiguration(this.registry, configuration, this.now);
  }

  /** Calls `listener` after every change to buses, rules or targets; returns the unsubscribe function. */
  onConfigurationChanged(listener: () => void): () => void {
    return this.registry.onChanged(listener);
  }

  // ---- ARNs ----

  eventBusArn(eventBusName: string): string {
    return this.arns.eventBus(eventBusName);
  }

  archiveArn(archiveName: string): string {
    return this.arns.archive(archiveName);
  }

  replayArn(replayName: string): string {
    return this.arns.replay(replayName);
  }

  /** `rule/<name>` on the default bus, `rule/<bus>/<name>` elsewhere. */
  ruleArnFor(eventBusName: string, ruleName: string): string {
    return this.arns.rule(eventBusName, ruleName);
  }

  /**
   * The bus name for an `EventBusName` member: absent means `default`; an ARN of this region and account becomes
   * its name; an ARN of another region or account is kept whole, so it names no bus here.
   */
  resolveEventBusName(nameOrArn: string | undefined): string {
    return this.arns.eventBusNameOf(nameOrArn);
  }
}
