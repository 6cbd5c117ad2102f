import type { Logger } from "@aws-lambda-powertools/logger";
import type { BusinessMetrics, Config } from "@payment3/core";
import type { Context } from "aws-lambda";

export type SubscriberHandler = (event: unknown, context?: Context) => Promise<unknown>;

/** An EventBridge event pattern as JSON, exactly as the rule receives it. */
export type EventPattern = Readonly<Record<string, unknown>>;

/** The resources a handler touches, by role; the stacks map each role to the real resource. */
export type ResourceRole =
  | "orderTable"
  | "processPaidOrderTable"
  | "emailLogTable"
  /** The email log's uncertain-email index (a Query on it needs the index's own ARN). */
  | "emailLogUncertainIndex"
  | "emailSuppressionTable"
  | "idempotencyTable"
  | "calculateCostFunction"
  | "eventBus"
  | "paymentNotificationsTopic"
  | "senderIdentity"
  | "emailConfigurationSet";

/** One least-privilege grant: these actions on that resource, nothing else. */
export interface ResourceAccess {
  readonly resource: ResourceRole;
  readonly actions: readonly string[];
  /** IAM condition block narrowing the grant further, e.g. the `events:source` it may publish. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * One consumer of the bus. The SST stacks build a rule, a target with retries and a dead-letter
 * queue, and a function from each entry; the local runtime builds its local rule and an
 * in-process target from the same entry, so the two cannot route differently.
 */
export interface Subscription {
  /** Short kebab-case name; rule, function and queue names derive from it. */
  readonly name: string;
  readonly description: string;
  /**
   * The bus the rule is on: the stage's payment bus (the default), or the account's `default` bus, where AWS
   * services publish their own events (SES email events).
   */
  readonly bus?: "payments" | "default";
  /** The rule's pattern. It does the filtering: handlers do not re-check it. */
  readonly eventPattern: EventPattern;
  /** The Lambda entry point, as SST names handlers (path.export). */
  readonly handler: string;
  readonly timeoutSeconds: number;
  /**
   * The rule target's RetryPolicy (EventBridge → Lambda: only a refused invoke is retried by it) and, within Lambda's
   * limits, the function's own async retries of a function error (see {@link functionAsyncInvokeSettings}).
   */
  readonly retry: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
  /** Days failed events are kept in the dead-letter queue (SQS allows 1–14). */
  readonly deadLetterRetentionDays: number;
  /** Everything the handler may do, as plain data (the stacks turn it into IAM statements). */
  readonly access: readonly ResourceAccess[];
  /**
   * Builds the handler with its real adapters: the Lambda entry and the local runtime both call
   * this. `metrics` receives the business counts (the Lambda entry passes EMF lines, `createEmfBusinessMetrics`);
   * without it nothing is counted.
   */
  create(config: Config, logger: Logger, metrics?: BusinessMetrics): SubscriberHandler;
}

/** Lambda's limits for asynchronous invocation, which is how EventBridge invokes a Lambda target. */
export const LAMBDA_ASYNC_MAX_RETRY_ATTEMPTS = 2;
export const LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS = 60;
export const LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS = 6 * 3600;

/**
 * The function's event-invoke config (its own retries of a function error, then its on-failure queue), derived from
 * the entry's `retry` within Lambda's limits: the rule target's RetryPolicy keeps `retry` as it is (EventBridge allows
 * 185 retries and 24 hours), Lambda allows 0-2 retries and 60 s - 6 h. The stacks and the local runtime both read it.
 */
export function functionAsyncInvokeSettings(subscription: Pick<Subscription, "retry">): {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
} {
  const { maximumRetryAttempts, maximumEventAgeSeconds } = subscription.retry;
  return {
    maximumRetryAttempts: Math.min(maximumRetryAttempts, LAMBDA_ASYNC_MAX_RETRY_ATTEMPTS),
    maximumEventAgeSeconds: Math.min(
      Math.max(maximumEventAgeSeconds, LAMBDA_ASYNC_MIN_EVENT_AGE_SECONDS),
      LAMBDA_ASYNC_MAX_EVENT_AGE_SECONDS,
    ),
  };
}
