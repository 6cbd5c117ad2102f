import type { Logger } from "@aws-lambda-powertools/logger";
import { confirmationLogKeys, handleWalletPaymentConfirmedEvent, type ProcessorDependencies } from "@payment3/core";
import { lambdaHandler } from "../lambda-handler";

export interface ProcessorHandlerResult {
  readonly outcome: "OrderPaid" | "OrderPaymentFailed";
  readonly outcomeEventId: string;
  readonly idempotencyKey: string;
  readonly resolution: "applied" | "redelivered" | "rejected";
}

/**
 * The processor's Lambda handler, built from its dependencies so the local runtime can run the
 * same handler in-process. Every log line carries the event id, orderId and paymentId.
 * A thrown error is the platform's cue to retry (and, in the end, to dead-letter the event).
 */
export function createProcessorHandler(dependencies: () => ProcessorDependencies, logger: Logger) {
  return lambdaHandler(
    { logger, failureMessage: "confirmation not processed; it will be retried or dead-lettered" },
    async (event): Promise<ProcessorHandlerResult> => {
      logger.appendKeys(confirmationLogKeys(event));
      const result = await handleWalletPaymentConfirmedEvent(event, { ...dependencies(), logger });
      return {
        outcome: result.outcome.detailType,
        outcomeEventId: result.eventId,
        idempotencyKey: result.outcome.detail.idempotencyKey,
        resolution: result.resolution,
      };
    },
  );
}
