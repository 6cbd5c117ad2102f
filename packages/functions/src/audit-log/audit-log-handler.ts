import type { Logger } from "@aws-lambda-powertools/logger";
import { buildAuditRow, occurredAtIsFixedByKey, writeAuditRow, type AuditLogDependencies } from "@payment3/core";
import { parseOrderOutcomeEvent } from "@payment3/events";
import { lambdaHandler, outcomeLogKeys } from "../lambda-handler";

/**
 * Writes the ProcessPaidOrderTable row of an outcome. An event that breaks its contract throws
 * (ContractValidationError naming the field) and so ends in the dead-letter queue.
 */
export function createAuditLogHandler(dependencies: AuditLogDependencies, logger: Logger) {
  return lambdaHandler(
    { logger, failureMessage: "audit row not written; the event will be retried or dead-lettered" },
    async (event) => {
      const outcome = parseOrderOutcomeEvent(event);
      logger.appendKeys(outcomeLogKeys(outcome));
      const result = await writeAuditRow(buildAuditRow(outcome), dependencies, {
        occurredAtFixedByKey: occurredAtIsFixedByKey(outcome),
      });
      logger.info(result.status === "written" ? "audit row written" : "audit row already written; duplicate ignored", {
        createdAt: result.createdAt,
      });
      return result;
    },
  );
}
