import type { DeadLetter } from "./dead-letter-store";
import { EventBridgeResourceNotFoundError } from "./errors";
import type { Target } from "./eventbridge-shapes";
import { deliveryJobFor, type DeliveryJob, type DeliveryOutcome } from "./target-delivery";

/** Deliveries a redrive runs at once, unless told otherwise. */
export const DEFAULT_REDRIVE_CONCURRENCY = 8;

export type RedriveStatus = "delivered" | "dead-lettered" | "dropped" | "cancelled" | "not-found";

/** What happened to one dead letter in a redrive. */
export interface RedriveResult {
  readonly deadLetterId: string;
  readonly status: RedriveStatus;
  readonly eventId?: string;
  readonly ruleName?: string;
  readonly targetId?: string;
  /** Attempts made by this redrive (absent for `not-found`). */
  readonly attempts?: number;
  /** When the delivery failed again: the new dead letter that replaced the old one. */
  readonly newDeadLetterId?: string;
  readonly errorMessage?: string;
}

export interface RedriveReport {
  /** One result per dead letter, in the order they were selected. */
  readonly results: RedriveResult[];
  readonly delivered: number;
  /** Everything that was not delivered (dead-lettered again, dropped, cancelled, or not found). */
  readonly failed: number;
}

export interface RedeliveryOptions {
  /**
   * One attempt only: a failure dead-letters (or drops) the event again at once instead of following the target's
   * RetryPolicy, which by default retries for up to 24 hours.
   */
  readonly singleAttempt?: boolean | undefined;
}

/**
 * The delivery of a dead letter to its target again, its event age counted from `now`. A target that still exists
 * brings its current RetryPolicy and DeadLetterConfig; without it, there is one attempt and a failure dead-letters
 * the event again to the letter's DLQ.
 */
export function redeliveryJobFor(
  letter: DeadLetter,
  currentTarget: Target | undefined,
  options: RedeliveryOptions,
  now: Date,
): DeliveryJob {
  const target: Target = currentTarget ?? {
    Id: letter.targetId,
    Arn: letter.targetArn,
    RetryPolicy: { MaximumRetryAttempts: 0 },
    DeadLetterConfig: { Arn: letter.deadLetterArn },
  };
  const job = deliveryJobFor(target, {
    event: letter.event,
    input: letter.input,
    eventBusName: letter.eventBusName,
    ruleName: letter.ruleName,
    ruleArn: letter.ruleArn,
    ingestionTime: letter.ingestionTime,
    ageOrigin: now,
  });
  return options.singleAttempt === true ? { ...job, maximumRetryAttempts: 0 } : job;
}

export interface RedriveOptions {
  /** Deliveries in flight at once. Default {@link DEFAULT_REDRIVE_CONCURRENCY}. */
  readonly concurrency?: number;
  /** Called as each dead letter's redelivery ends (for a progress display). */
  readonly onResult?: (result: RedriveResult, finished: number, total: number) => void;
}

/**
 * Redelivers each selected dead letter through `redeliver` (which removes it from the store and delivers it to its
 * target again), at most `concurrency` at a time, and reports every letter's outcome. The selection is fixed before
 * the first delivery, so letters that fail again (and get new ids) are not picked up a second time.
 */
export async function redriveDeadLetters(
  selection: readonly (string | DeadLetter)[],
  redeliver: (deadLetterId: string) => Promise<DeliveryOutcome>,
  options: RedriveOptions = {},
): Promise<RedriveReport> {
  const concurrency = options.concurrency ?? DEFAULT_REDRIVE_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be an integer >= 1, got ${String(concurrency)}`);
  }
  const results: RedriveResult[] = new Array<RedriveResult>(selection.length);
  let next = 0;
  let finished = 0;
  const worker = async (): Promise<void> => {
    while (next < selection.length) {
      const index = next;
      next += 1;
      const item = selection[index];
      if (item === undefined) continue;
      const result = await redriveOne(item, redeliver);
      results[index] = result;
      finished += 1;
      options.onResult?.(result, finished, selection.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, selection.length) }, worker));
  const delivered = results.filter((result) => result.status === "delivered").length;
  return { results, delivered, failed: results.length - delivered };
}

async function redriveOne(
  item: string | DeadLetter,
  redeliver: (deadLetterId: string) => Promise<DeliveryOutcome>,
): Promise<RedriveResult> {
  const id = typeof item === "string" ? item : item.id;
  const about =
    typeof item === "string" ? {} : { eventId: item.event.id, ruleName: item.ruleName, targetId: item.targetId };
  let outcome: DeliveryOutcome;
  try {
    outcome = await redeliver(id);
  } catch (error) {
    if (error instanceof EventBridgeResourceNotFoundError)
      return { deadLetterId: id, status: "not-found", ...about, errorMessage: error.message };
    return {
      deadLetterId: id,
      status: "dropped",
      ...about,
      errorMessage: error instanceof Error ? error.message : String(error),
    };
  }
  switch (outcome.status) {
    case "delivered":
      return { deadLetterId: id, status: "delivered", ...about, attempts: outcome.attempts };
    case "dead-lettered":
      return {
        deadLetterId: id,
        status: "dead-lettered",
        ...about,
        attempts: outcome.deadLetter.retryAttempts + 1,
        newDeadLetterId: outcome.deadLetter.id,
        errorMessage: outcome.deadLetter.errorMessage,
      };
    case "dropped":
      return {
        deadLetterId: id,
        status: "dropped",
        ...about,
        attempts: outcome.attempts,
        errorMessage: outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
      };
    case "cancelled":
      return { deadLetterId: id, status: "cancelled", ...about, attempts: outcome.attempts };
  }
}
