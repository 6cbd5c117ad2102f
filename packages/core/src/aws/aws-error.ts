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
  const candidate = error as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } };
  if (candidate.$retryable) return true;
  if (candidate.name && TRANSIENT_ERROR_NAMES.has(candidate.name)) return true;
  if (candidate.code && TRANSIENT_NETWORK_CODES.has(candidate.code)) return true;
  const status = candidate.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** `Name: message` of any thrown value, for error messages that wrap it. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
