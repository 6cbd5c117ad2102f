import type { Logger } from "@aws-lambda-powertools/logger";
import { buildAuditRow, writeAuditRow, type AuditLogDependencies } from "@payment3/core";
import { parseOrderOutcomeEvent } from "@payment3/events";
import type { Context } from "aws-lambda";

/**
 * Writes the ProcessPaidOrderTable row of an outcome. An event that breaks its contract throws
 * (ContractValidationError naming the field) and so ends in the dead-letter queue.
 */
export function createAuditLogHandler(dependencies: AuditLogDependencies, logger: Logger) {
  return async (event: unknown, context?: Context) => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    try {
      const outcome = parseOrderOutcomeEvent(event);
      logger.appendKeys({ eventId: outcome.id, orderId: outcome.detail.orderId, paymentId: outcome.detail.paymentId, idempotencyKey: outcome.detail.idempotencyKey });
      const result = await writeAuditRow(buildAuditRow(outcome), dependencies);
      logger.info(result.status === "written" ? "audit row written" : "audit row already written; duplicate ignored", { createdAt: result.createdAt });
      return result;
    } catch (error) {
      logger.error("audit row not written; the event will be retried or dead-lettered", error as Error);
      throw error;
    }
  };
}
