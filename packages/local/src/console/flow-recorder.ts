import {
  compileEventPattern,
  type AcceptedEvent,
  type CompiledEventPattern,
  type DeliveryAttemptRecord,
  type DeliveryJob,
  type DeliveryOutcome,
  type AsyncFunctionRun,
  type EventEnvelope,
  type LocalAsyncInvocations,
  type LocalEventBridge,
} from "@payment3/aws-local";
import { FlowRingBuffer } from "./flow-ring-buffer";

/** What became of one delivery of an event to one target. */
export type FlowDeliveryStatus = "in-flight" | "delivered" | "dead-lettered" | "dropped" | "cancelled";

/** One delivery of an event to one target of a rule, as the console shows it. */
export interface FlowDelivery {
  readonly ruleName: string;
  readonly targetId: string;
  readonly targetArn: string;
  attempts: number;
  /** Time spent in the target, all attempts together (backoff not counted). */
  durationMs: number;
  status: FlowDeliveryStatus;
  /** The last failed attempt's error, `Name: message`. */
  lastError: string | null;
  deadLetterId: string | null;
  /** A redrive of a dead letter, not the first delivery. */
  readonly redelivery: boolean;
  /**
   * A Lambda target's runs after the bus handed the event over (Lambda's own layer: its retries of a function
   * error); 0 until the function ran. A run that failed for good makes the delivery `dead-lettered`: the event is in
   * the function's on-failure store.
   */
  functionRuns: number;
}

/** The whole flow's outcome at a glance: the filter's "outcome". */
export type FlowOutcome = "unmatched" | "in-flight" | "delivered" | "retried" | "dead-lettered" | "dropped";

/** One event put on a bus (or replayed, or fired by a schedule) and what the buses did with it. */
export interface FlowRecord {
  /** Grows by one per record: the page's paging cursor. */
  readonly seq: number;
  /** The event id, with `@<replay>` for a replayed copy (a replay keeps the id). */
  readonly key: string;
  readonly eventId: string;
  /** When the bus took it (for a replayed event, when the replay delivered it). */
  readonly time: string;
  readonly eventBusName: string;
  readonly source: string;
  readonly detailType: string;
  readonly orderId: string | null;
  readonly paymentId: string | null;
  readonly replayName: string | null;
  /** The event that caused this one: an outcome's `confirmationEventId` (the page shows its deliveries with it). */
  readonly causeEventId: string | null;
  readonly rules: string[];
  readonly deliveries: FlowDelivery[];
  outcome: FlowOutcome;
  readonly event: EventEnvelope;
}

/** Which records a page asks for; absent members select all. */
export interface FlowFilter {
  readonly source?: string;
  readonly detailType?: string;
  readonly orderId?: string;
  readonly outcome?: string;
}

export interface FlowPage {
  readonly records: FlowRecord[];
  /** Records matching the filter in the buffer. */
  readonly matching: number;
  /** Pass as `beforeSeq` for the next (older) page; null when this page is the last. */
  readonly nextBeforeSeq: number | null;
}

export type FlowListener = (record: FlowRecord) => void;

/** Default number of flow records kept: 10 000 events load in one page request each way. */
export const DEFAULT_FLOW_CAPACITY = 10_000;

/** A string or number field of an event's detail, as text; null when absent. */
export const stringField = (detail: unknown, key: string): string | null => {
  const value = typeof detail === "object" && detail !== null ? (detail as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" || typeof value === "number" ? String(value) : null;
};

const describeError = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

function outcomeOf(record: FlowRecord): FlowOutcome {
  if (record.deliveries.length === 0) return record.rules.length === 0 ? "unmatched" : "in-flight";
  const latest = new Map<string, FlowDelivery>();
  for (const delivery of record.deliveries) latest.set(`${delivery.ruleName}\u0000${delivery.targetId}`, delivery);
  const statuses = [...latest.values()].map((delivery) => delivery.status);
  if (statuses.includes("in-flight")) return "in-flight";
  if (statuses.includes("dead-lettered")) return "dead-lettered";
  if (statuses.some((status) => status === "dropped" || status === "cancelled")) return "dropped";
  return record.deliveries.some((delivery) => delivery.attempts > 1 || delivery.functionRuns > 1 || delivery.redelivery)
    ? "retried"
    : "delivered";
}

/**
 * Records the event flow of a local EventBridge for the console: every event a bus accepts with the rules it
 * matched, and every delivery to a target (attempts, time spent, result, dead letter) as it happens, in a bounded
 * ring buffer. Listeners hear about each new or changed record (the page's Server-Sent Events).
 */
export class FlowRecorder {
  private readonly buffer: FlowRingBuffer<FlowRecord>;
  private readonly listeners = new Set<FlowListener>();
  private readonly compiled = new Map<string, CompiledEventPattern>();
  private readonly unsubscribe: (() => void)[];
  private seq = 0;

  constructor(
    private readonly eventBridge: LocalEventBridge,
    capacity = DEFAULT_FLOW_CAPACITY,
    functionRuns?: Pick<LocalAsyncInvocations, "onRunEnded">,
  ) {
    this.buffer = new FlowRingBuffer(capacity);
    this.unsubscribe = [
      eventBridge.onEventAccepted((accepted) => this.accepted(accepted)),
      eventBridge.onDelivery({
        attemptEnded: (attempt) => this.attemptEnded(attempt),
        settled: (job, outcome) => this.settled(job, outcome),
      }),
      ...(functionRuns ? [functionRuns.onRunEnded((run) => this.functionRunEnded(run))] : []),
    ];
  }

  /** Hears about every new or changed record; returns the unsubscribe function. */
  subscribe(listener: FlowListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.buffer.size;
  }

  get(key: string): FlowRecord | undefined {
    return this.buffer.get(key);
  }

  /** Newest first, `limit` records older than `beforeSeq` (all when absent) that match `filter`. */
  page(filter: FlowFilter = {}, options: { readonly limit?: number; readonly beforeSeq?: number } = {}): FlowPage {
    const limit = options.limit ?? 100;
    const records: FlowRecord[] = [];
    let matching = 0;
    let nextBeforeSeq: number | null = null;
    for (const record of this.buffer.newestFirst()) {
      if (!matchesFilter(record, filter)) continue;
      matching += 1;
      if (options.beforeSeq !== undefined && record.seq >= options.beforeSeq) continue;
      if (records.length < limit) records.push(record);
      else nextBeforeSeq ??= records.at(-1)!.seq;
    }
    return { records, matching, nextBeforeSeq };
  }

  /** Every record of an order, oldest first. */
  ofOrder(orderId: string): FlowRecord[] {
    return [...this.buffer.newestFirst()].filter((record) => record.orderId === orderId).reverse();
  }

  /** Records a made-up record directly (tests and the load check fill the buffer without a bus). */
  add(event: EventEnvelope, eventBusName: string, time: Date, rules: string[]): FlowRecord {
    return this.create(event, eventBusName, time, rules);
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    this.listeners.clear();
  }

  private accepted(accepted: AcceptedEvent): void {
    this.create(accepted.event, accepted.eventBusName, accepted.ingestionTime, this.matchingRules(accepted));
  }

  /** The enabled rules of the bus whose pattern matches, as the router will find them. */
  private matchingRules(accepted: AcceptedEvent): string[] {
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = this.eventBridge.listRules({
        EventBusName: accepted.eventBusName,
        ...(nextToken ? { NextToken: nextToken } : {}),
      });
      for (const rule of page.Rules ?? []) {
        if (rule.State === "DISABLED" || !rule.EventPattern || !rule.Name) continue;
        if (this.patternOf(rule.EventPattern)?.matches(accepted.event)) names.push(rule.Name);
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return names;
  }

  private patternOf(source: string): CompiledEventPattern | undefined {
    let pattern = this.compiled.get(source);
    if (!pattern) {
      try {
        pattern = compileEventPattern(source);
      } catch {
        return undefined;
      }
      this.compiled.set(source, pattern);
    }
    return pattern;
  }

  private create(event: EventEnvelope, eventBusName: string, time: Date, rules: string[]): FlowRecord {
    const replayName = event["replay-name"] ?? null;
    this.seq += 1;
    const record: FlowRecord = {
      seq: this.seq,
      key: replayName ? `${event.id}@${replayName}` : event.id,
      eventId: event.id,
      time: time.toISOString(),
      eventBusName,
      source: event.source,
      detailType: event["detail-type"],
      orderId: stringField(event.detail, "orderId"),
      paymentId: stringField(event.detail, "paymentId"),
      replayName,
      causeEventId: stringField(event.detail, "confirmationEventId"),
      rules,
      deliveries: [],
      outcome: rules.length === 0 ? "unmatched" : "in-flight",
      event,
    };
    this.buffer.push(record.key, record);
    this.tell(record);
    return record;
  }

  /** The record of the job's event: a replayed or scheduled event has none until its first delivery. */
  private recordOf(job: DeliveryJob): FlowRecord {
    const replayName = job.event["replay-name"];
    const existing = this.buffer.get(replayName ? `${job.event.id}@${replayName}` : job.event.id);
    if (existing) {
      if (!existing.rules.includes(job.ruleName)) existing.rules.push(job.ruleName);
      return existing;
    }
    return this.create(job.event, job.eventBusName, new Date(), [job.ruleName]);
  }

  /** The delivery this job's attempt belongs to: the open one of its target, or a new one (a first delivery or a redrive). */
  private deliveryOf(record: FlowRecord, job: DeliveryJob): FlowDelivery {
    const ofTarget = record.deliveries.filter(
      (delivery) => delivery.ruleName === job.ruleName && delivery.targetId === job.targetId,
    );
    const open = ofTarget.find((delivery) => delivery.status === "in-flight");
    if (open) return open;
    const delivery: FlowDelivery = {
      ruleName: job.ruleName,
      targetId: job.targetId,
      targetArn: job.targetArn,
      attempts: 0,
      durationMs: 0,
      status: "in-flight",
      lastError: null,
      deadLetterId: null,
      redelivery: ofTarget.length > 0,
      functionRuns: 0,
    };
    record.deliveries.push(delivery);
    return delivery;
  }

  private attemptEnded(attempt: DeliveryAttemptRecord): void {
    const record = this.recordOf(attempt.job);
    const delivery = this.deliveryOf(record, attempt.job);
    delivery.attempts += 1;
    delivery.durationMs += attempt.durationMs;
    if (attempt.error !== undefined) delivery.lastError = describeError(attempt.error);
    this.changed(record);
  }

  private settled(job: DeliveryJob, outcome: DeliveryOutcome): void {
    const record = this.recordOf(job);
    const delivery = this.deliveryOf(record, job);
    delivery.status = outcome.status;
    if (outcome.status === "dead-lettered") {
      delivery.deadLetterId = outcome.deadLetter.id;
      delivery.lastError = `${outcome.deadLetter.errorName}: ${outcome.deadLetter.errorMessage}`;
    }
    this.changed(record);
  }

  /** A Lambda target's function ran for an event of the flow: counted on the latest delivery to that function. */
  private functionRunEnded(run: AsyncFunctionRun): void {
    const event = run.payload as Partial<EventEnvelope> | undefined;
    if (typeof event?.id !== "string") return;
    const replayName = event["replay-name"];
    const record = this.buffer.get(replayName ? `${event.id}@${replayName}` : event.id);
    const delivery = record?.deliveries.findLast((candidate) =>
      candidate.targetArn.endsWith(`:function:${run.functionName}`),
    );
    if (!record || !delivery) return;
    delivery.functionRuns += 1;
    if (run.error) {
      delivery.lastError = describeError(run.error);
      if (!run.willRetry) delivery.status = "dead-lettered";
    } else if (delivery.status === "dead-lettered") {
      // A redrive of the function's on-failure record ran it again, and this time it returned.
      delivery.status = "delivered";
    }
    this.changed(record);
  }

  private changed(record: FlowRecord): void {
    record.outcome = outcomeOf(record);
    this.tell(record);
  }

  private tell(record: FlowRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch {
        // A listener is a page's stream; one that fails has gone away and unsubscribes itself.
      }
    }
  }
}

function matchesFilter(record: FlowRecord, filter: FlowFilter): boolean {
  return (
    (!filter.source || record.source === filter.source) &&
    (!filter.detailType || record.detailType === filter.detailType) &&
    (!filter.orderId || record.orderId === filter.orderId) &&
    (!filter.outcome || record.outcome === filter.outcome)
  );
}
