import { StandardRetryStrategy } from "@smithy/core/retry";
import { wasAnswered } from "./aws-error";

type RetryToken = Awaited<ReturnType<StandardRetryStrategy["acquireInitialRetryToken"]>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>[1];

/**
 * The SDK's standard retries, but only for requests the service answered with a retryable
 * error (throttling, 5xx). A request that got no answer (connection reset, timeout) may have
 * been carried out, so it is not sent again: for SES and SNS that would be a second email or
 * message. The caller sees the unanswered error and decides (the email log records it uncertain).
 */
export class AnsweredErrorsRetryStrategy extends StandardRetryStrategy {
  constructor(maxAttempts = 3) {
    super(maxAttempts);
  }

  override refreshRetryTokenForRetry(token: RetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    // Rejecting ends the retries; the SDK then throws the request's own error, not this one.
    if (!wasAnswered(errorInfo.error))
      return Promise.reject(new Error("request got no answer and may have been carried out; not retried"));
    return super.refreshRetryTokenForRetry(token, errorInfo);
  }
}
