import type { AsyncInvocationFailure, DeadLetter, EventEnvelope } from "@payment3/aws-local";
import type { LocalStack } from "../local-stack";

/**
 * An event a subscriber did not get through, wherever it ended, as on AWS (see stacks/subscription-resources.ts):
 *
 * - `rule-dead-letter`: EventBridge could not hand it to the function (the invoke was throttled, the function is
 *   missing), retried per the rule target's RetryPolicy, then kept in the rule's dead-letter queue;
 * - `on-failure`: the function failed on it, Lambda retried per the function's event-invoke config, then kept the
 *   invocation record in the function's on-failure queue.
 */
export interface UndeliveredEvent {
  /** The dead letter's or the on-failure record's id (what `payment3 dlq show --id` takes). */
  readonly id: string;
  readonly kind: "rule-dead-letter" | "on-failure";
  /** The rule (a dead letter) or the function (an on-failure record) the event did not get through. */
  readonly where: string;
  /** The bus event; `undefined` for a record of a direct invoke whose payload is no event. */
  readonly event: EventEnvelope | undefined;
  readonly errorName: string;
  readonly errorMessage: string;
}

type UndeliveredStores = Pick<LocalStack, "eventBridge" | "lambdaAsync">;

/** Every undelivered event of the local stack: the bus's dead letters first, then the functions' on-failure records. */
export function listUndeliveredEvents(stack: UndeliveredStores): UndeliveredEvent[] {
  return [
    ...stack.eventBridge.listDeadLetters().map(fromDeadLetter),
    ...stack.lambdaAsync.listFailures().map(fromOnFailureRecord),
  ];
}

/**
 * Redrives every undelivered event of both kinds, as an operator empties both queues: dead letters are handed to
 * their targets again with the target's current RetryPolicy (the function then runs asynchronously, with its own
 * retries), and on-failure records run their function once more with their payload. Resolves when what the
 * redrive started has ended (the bus and Lambda are idle).
 */
export async function redriveUndeliveredEvents(
  stack: UndeliveredStores,
  options: { readonly concurrency?: number } = {},
): Promise<{ readonly delivered: number; readonly failed: number }> {
  const [deadLetters, records] = await Promise.all([
    stack.eventBridge.redriveDeadLetters(
      {},
      options.concurrency === undefined ? {} : { concurrency: options.concurrency },
    ),
    stack.lambdaAsync.redriveFailures(),
  ]);
  await stack.eventBridge.whenIdle();
  return {
    delivered: deadLetters.delivered + records.delivered,
    failed: deadLetters.failed + records.failed,
  };
}

function fromDeadLetter(letter: DeadLetter): UndeliveredEvent {
  return {
    id: letter.id,
    kind: "rule-dead-letter",
    where: letter.ruleName,
    event: letter.event,
    errorName: letter.errorName,
    errorMessage: letter.errorMessage,
  };
}

function fromOnFailureRecord(failure: AsyncInvocationFailure): UndeliveredEvent {
  const payload = failure.record.requestPayload as Partial<EventEnvelope> | null;
  const isEvent =
    typeof payload === "object" && payload !== null && typeof payload.id === "string" && "detail" in payload;
  return {
    id: failure.id,
    kind: "on-failure",
    where: failure.functionName,
    event: isEvent ? (payload as EventEnvelope) : undefined,
    errorName: failure.record.responsePayload.errorType,
    errorMessage: failure.record.responsePayload.errorMessage,
  };
}
