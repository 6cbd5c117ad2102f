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
  | "idempotencyTable"
  | "calculateCostFunction"
  | "eventBus"
  | "paymentNotificationsTopic"
  | "senderIdentity";

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
  /** The rule's pattern. It does the filtering: handlers do not re-check it. */
  readonly eventPattern: EventPattern;
  /** The Lambda entry point, as SST names handlers (path.export). */
  readonly handler: string;
  readonly timeoutSeconds: number;
  /** Rule target retry policy (EventBridge → Lambda) and the function's async-invoke settings. */
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
