import { StandardRetryStrategy } from "@smithy/core/retry";

type StandardToken = Awaited<ReturnType<StandardRetryStrategy["acquireInitialRetryToken"]>>;
type RetryErrorInfo = Parameters<StandardRetryStrategy["refreshRetryTokenForRetry"]>[1];

/** True when the service answered the request (with an error): it certainly was not carried out. */
export function wasAnswered(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode !== undefined;
}

/**
 * The SDK's standard retries, but only for requests the service answered with a retryable
 * error (throttling, 5xx). A request that got no answer (connection reset, timeout) may have
 * been carried out, so it is not sent again: for SES and SNS that would be a second email or
 * message. The caller sees the unanswered error and decides (the email log records it uncertain).
 */
export class AnsweredErrorsRetryStrategy {
  readonly mode = "standard";
  private readonly standard: StandardRetryStrategy;

  constructor(maxAttempts = 3) {
    this.standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<StandardToken> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: StandardToken, errorInfo: RetryErrorInfo): Promise<StandardToken> {
    // Rejecting ends the retries; the SDK then throws the request's own error, not this one.
    if (!wasAnswered(errorInfo.error)) return Promise.reject(new Error("request got no answer and may have been carried out; not retried"));
    return this.standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardToken): void {
    this.standard.recordSuccess(token);
  }
}
