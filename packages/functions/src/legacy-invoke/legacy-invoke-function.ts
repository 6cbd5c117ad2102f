import type { Logger } from "@aws-lambda-powertools/logger";
import { createLegacyInvokeDependencies, type Config } from "@payment3/core";
import type { SubscriberHandler } from "../subscription";
import { createLegacyInvokeHandler } from "./legacy-invoke-handler";

/**
 * The legacy invoke adapter: a function the callbacks invoke by name (no rule, no bus
 * subscription), under the legacy function's name. The stacks deploy it from this entry when
 * `LEGACY_INVOKE_ADAPTER=on`; the local runtime serves it in-process from the same entry.
 */
export const legacyInvokeFunction = {
  description: "The legacy function's invoke contract: publishes the callbacks' payload as WalletPaymentConfirmed",
  handler: "packages/functions/src/legacy-invoke/handler.handler",
  timeoutSeconds: 30,
  /**
   * Lambda's async retries: none. An invalid payload fails the same way every time, so it goes
   * straight to the on-failure queue; a failing PutEvents is retried inside the invocation
   * (`LEGACY_INVOKE_PUBLISH_ATTEMPTS`) and, if it still fails, is kept there for a redrive.
   */
  maximumRetryAttempts: 0,
  /** Days a failed payload is kept in the on-failure queue (SQS allows 1–14). */
  onFailureRetentionDays: 14,
  create(config: Config, logger: Logger): SubscriberHandler {
    const dependencies = createLegacyInvokeDependencies(config, logger);
    return createLegacyInvokeHandler(() => dependencies, logger);
  },
} as const;
