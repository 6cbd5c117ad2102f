import type { Logger } from "@aws-lambda-powertools/logger";
import { notifyCustomer, type NotificationDependencies } from "@payment3/core";
import { parseOrderOutcomeEvent } from "@payment3/events";
import { lambdaHandler, outcomeLogKeys } from "../lambda-handler";

/**
 * Sends the customer notification of an outcome, once: the notification log's conditional claim
 * (its row, keyed by the outcome's idempotency key, never expires) turns away a concurrent
 * delivery and answers a duplicate, however late, with the recorded result, so no second
 * idempotency layer is needed (the notification protocol: `notifyCustomer`). An event breaking
 * its contract throws and ends in the dead-letter queue.
 *
 * A notification that fails part-way throws `NotificationNotFinishedError` after giving its claim
 * back, so the platform's retry resumes it.
 */
export function createNotificationsHandler(dependencies: NotificationDependencies, logger: Logger) {
  return lambdaHandler(
    {
      logger,
      failureMessage: "customer notification not finished; the event will be retried or dead-lettered",
    },
    async (event) => {
      const outcome = parseOrderOutcomeEvent(event);
      logger.appendKeys(outcomeLogKeys(outcome));
      return notifyCustomer(outcome, { ...dependencies, logger });
    },
  );
}
