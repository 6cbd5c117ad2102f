import type { Logger } from "@aws-lambda-powertools/logger";
import { parseSesEmailEvent, recordEmailEvent, type EmailEventRecordingDependencies } from "@payment3/core";
import { lambdaHandler } from "../lambda-handler";

/**
 * Records an SES email event (sent, delivered, bounced, complained, rejected, delayed) on its email-log row. An event
 * that is not one throws (InvalidEmailEventError naming the field) and so ends in the dead-letter queue.
 */
export function createEmailEventsHandler(dependencies: EmailEventRecordingDependencies, logger: Logger) {
  return lambdaHandler(
    { logger, failureMessage: "SES email event not recorded; it will be retried or dead-lettered" },
    async (event) => {
      const emailEvent = parseSesEmailEvent(event);
      logger.appendKeys({
        eventId: emailEvent.eventId,
        messageId: emailEvent.messageId,
        ...(emailEvent.key ?? {}),
      });
      return recordEmailEvent(emailEvent, { ...dependencies, logger });
    },
  );
}
