import type { Logger } from "@aws-lambda-powertools/logger";
import type { BusinessMetrics, Config } from "@payment3/core";
import type { Subscription, SubscriberHandler } from "./subscription";

/**
 * A function run on a schedule rather than for matching events: a scheduled rule on the account's default bus (the
 * only bus a schedule may be on) targets it. Not a subscription: it has no event pattern and consumes no business
 * event, so a replay, the bus status and the console's pattern tests leave it out; everything else (retries, the
 * target's dead-letter queue, the function's on-failure queue, alarms, least-privilege access) is built the same way
 * from the same fields, by the stacks and by the local runtime.
 */
export interface ScheduledFunction extends Omit<Subscription, "eventPattern" | "bus" | "create"> {
  /** The rule's `ScheduleExpression`, e.g. `rate(5 minutes)`. */
  readonly scheduleExpression: string;
  /** Builds the handler; `now` is the clock it runs on (the local runtime's tests compress it). */
  create(config: Config, logger: Logger, metrics?: BusinessMetrics, now?: () => Date): SubscriberHandler;
}
