/** Error names the AWS SDK uses for faults that a later attempt can get past. */
const TRANSIENT_ERROR_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "InternalServerError",
  "InternalFailure",
  "InternalException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

const TRANSIENT_NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EAI_AGAIN", "ENOTFOUND"]);

/** True when an SDK or network error is worth retrying: throttling, 5xx, timeouts, dropped connections. */
export function isTransientAwsError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (candidate.$retryable) return true;
  if (candidate.name && TRANSIENT_ERROR_NAMES.has(candidate.name)) return true;
  if (candidate.code && TRANSIENT_NETWORK_CODES.has(candidate.code)) return true;
  const status = candidate.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** A DynamoDB write refused by its condition (the SDK names the exception so in every client). */
export function isConditionalCheckFailure(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === "ConditionalCheckFailedException";
}

/** True when the service answered the request (with an error): it certainly was not carried out. */
export function wasAnswered(error: unknown): boolean {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode !== undefined;
}

/** Failures that happen before a request leaves the machine: the service never saw it. */
const NEVER_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * True when a failed call may still have been carried out: the request may have left and no
 * answer came back (reset, timeout, or anything else without an answer).
 */
export function mayHaveBeenCarriedOut(error: unknown): boolean {
  if (wasAnswered(error)) return false;
  const { code, cause } = (error ?? {}) as { code?: string; cause?: { code?: string } };
  return !NEVER_SENT_CODES.has(code ?? cause?.code ?? "");
}

/** `Name: message` of any thrown value, for error messages that wrap it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
