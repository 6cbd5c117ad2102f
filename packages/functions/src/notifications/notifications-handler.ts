import type { Logger } from "@aws-lambda-powertools/logger";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import type { BasePersistenceLayer } from "@aws-lambda-powertools/idempotency/persistence";
import { notifyCustomer, type NotificationDependencies } from "@payment3/core";
import { parseOrderOutcomeEvent } from "@payment3/events";
import { lambdaHandler, outcomeLogKeys } from "../lambda-handler";

/**
 * Sends the customer notification of an outcome. Two layers keep it to one of each:
 * Powertools idempotency (keyed by the outcome's idempotency key) turns concurrent and recent
 * duplicates away cheaply; its records expire, so the notification log's rows (which never
 * expire) are what stop a replay months later. An event breaking its contract throws and ends in
 * the dead-letter queue.
 *
 * A notification that fails part-way throws `NotificationNotFinishedError` after giving its claim
 * back (the notification protocol: `notifyCustomer`), so the platform's retry resumes it.
 * Powertools deletes its INPROGRESS record when the function throws, so that record does not turn
 * the retry away either. If that delete fails, Powertools throws its own persistence error in
 * place of ours and the record blocks deliveries until its in-progress expiry, the function's
 * remaining time.
 */
export function createNotificationsHandler(
  dependencies: NotificationDependencies,
  persistenceStore: BasePersistenceLayer,
  logger: Logger,
) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: "detail.idempotencyKey",
    throwOnNoIdempotencyKey: false,
    expiresAfterSeconds: 3600,
  });
  const notify = makeIdempotent(
    async (event: unknown) => {
      const outcome = parseOrderOutcomeEvent(event);
      logger.appendKeys(outcomeLogKeys(outcome));
      return notifyCustomer(outcome, { ...dependencies, logger });
    },
    { persistenceStore, config },
  );
  return lambdaHandler(
    {
      logger,
      failureMessage: "customer notification not finished; the event will be retried or dead-lettered",
      onContext: (context) => config.registerLambdaContext(context),
    },
    (event) => notify(event),
  );
}
