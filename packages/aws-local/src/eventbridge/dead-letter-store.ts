import type { EventEnvelope } from "./event-envelope";

/** Why retrying stopped, as in the `EXHAUSTED_RETRY_CONDITION` message attribute. [DOC rule-dlq] */
export type ExhaustedRetryCondition = "MaximumRetryAttempts" | "MaximumEventAgeInSeconds";

/**
 * One event EventBridge could not deliver to one target. On AWS it lands in the SQS queue of the target's
 * `DeadLetterConfig` with the message attributes `RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`,
 * `EXHAUSTED_RETRY_CONDITION` and `RETRY_ATTEMPTS`; here it is kept in memory with the same facts. [semantics §8]
 */
export interface DeadLetter {
  /** Local id, used to inspect, remove or redeliver it. */
  readonly id: string;
  /** The original event (AWS puts the event, not the transformed input, in the DLQ message). */
  readonly event: EventEnvelope;
  /** What the target was given, after Input/InputPath/InputTransformer. */
  readonly input: unknown;
  readonly eventBusName: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  /** The `DeadLetterConfig.Arn` of the target (an SQS queue ARN on AWS). */
  readonly deadLetterArn: string;
  readonly errorName: string;
  readonly errorMessage: string;
  /** `ERROR_CODE`, e.g. `NO_RESOURCE` or `SDK_CLIENT_ERROR`. */
  readonly errorCode: string;
  /** Absent when the error was not retryable and the event went straight to the DLQ. */
  readonly exhaustedRetryCondition?: ExhaustedRetryCondition;
  /** `RETRY_ATTEMPTS`: how many retries followed the first attempt. */
  readonly retryAttempts: number;
  /** When the event was received by the bus; event age for `MaximumEventAgeInSeconds` counts from here. */
  readonly ingestionTime: Date;
  /** When the event was dead-lettered. */
  readonly time: Date;
}

export type DeadLetterListener = (deadLetter: DeadLetter) => void;

/** Selects dead letters; every given member must match. */
export interface DeadLetterFilter {
  readonly eventBusName?: string;
  readonly ruleName?: string;
  readonly ruleArn?: string;
  readonly targetId?: string;
  readonly targetArn?: string;
  readonly deadLetterArn?: string;
}

/** In-memory dead-letter store, oldest first, bounded by `capacity` (the oldest are evicted). */
export class DeadLetterStore {
  private readonly letters = new Map<string, DeadLetter>();
  private readonly listeners = new Set<DeadLetterListener>();
  private readonly removalListeners = new Set<(id: string) => void>();

  constructor(private readonly capacity = 10_000) {}

  add(deadLetter: DeadLetter): void {
    this.letters.set(deadLetter.id, deadLetter);
    while (this.letters.size > this.capacity) {
      const oldest = this.letters.keys().next().value;
      if (oldest === undefined) break;
      this.letters.delete(oldest);
      this.notifyRemoval(oldest);
    }
    for (const listener of this.listeners) listener(deadLetter);
  }

  /** Every dead letter, oldest first; optionally only those matching `filter`. */
  list(filter: DeadLetterFilter = {}): DeadLetter[] {
    return [...this.letters.values()].filter((letter) => matchesFilter(letter, filter));
  }

  get(id: string): DeadLetter | undefined {
    return this.letters.get(id);
  }

  /** Removes a dead letter; returns whether it existed. */
  remove(id: string): boolean {
    const removed = this.letters.delete(id);
    if (removed) this.notifyRemoval(id);
    return removed;
  }

  get size(): number {
    return this.letters.size;
  }

  /** Calls `listener` for every new dead letter; returns the function that unsubscribes it. */
  onDeadLetter(listener: DeadLetterListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with the id of every dead letter removed or evicted; returns the function that unsubscribes it. */
  onDeadLetterRemoved(listener: (id: string) => void): () => void {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  private notifyRemoval(id: string): void {
    for (const listener of this.removalListeners) listener(id);
  }
}

function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  return (
    (filter.eventBusName === undefined || letter.eventBusName === filter.eventBusName) &&
    (filter.ruleName === undefined || letter.ruleName === filter.ruleName) &&
    (filter.ruleArn === undefined || letter.ruleArn === filter.ruleArn) &&
    (filter.targetId === undefined || letter.targetId === filter.targetId) &&
    (filter.targetArn === undefined || letter.targetArn === filter.targetArn) &&
    (filter.deadLetterArn === undefined || letter.deadLetterArn === filter.deadLetterArn)
  );
}
