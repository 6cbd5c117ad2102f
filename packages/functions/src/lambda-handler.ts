import type { Logger } from "@aws-lambda-powertools/logger";
import type { OrderOutcomeEvent } from "@payment3/events";
import type { Context } from "aws-lambda";

export interface LambdaHandlerOptions {
  readonly logger: Logger;
  /** The ERROR line logged when the body throws (the platform then retries or dead-letters the event). */
  readonly failureMessage: string;
}

/**
 * A Lambda handler around `body` with the concerns every handler shares: log keys of the previous
 * invocation cleared, the Lambda context added to every log line, and a failure logged once before
 * it is rethrown (a thrown error is the platform's cue to retry, then to dead-letter).
 */
export function lambdaHandler<R>(options: LambdaHandlerOptions, body: (event: unknown) => Promise<R>) {
  const { logger } = options;
  return async (event: unknown, context?: Context): Promise<R> => {
    logger.resetKeys();
    if (context) logger.addContext(context);
    try {
      return await body(event);
    } catch (error) {
      logger.error(options.failureMessage, error as Error);
      throw error;
    }
  };
}

/** The log keys every line about one outcome carries. */
export function outcomeLogKeys(outcome: OrderOutcomeEvent) {
  return {
    eventId: outcome.id,
    orderId: outcome.detail.orderId,
    paymentId: outcome.detail.paymentId,
    idempotencyKey: outcome.detail.idempotencyKey,
  };
}
