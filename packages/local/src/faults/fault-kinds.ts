/**
 * Every fault the local runtime can inject, with where it is injected and what the production
 * code sees. The order is the order of the fault matrix.
 */
export const FAULT_KINDS = [
  "dynamodb-throttle",
  "dynamodb-5xx",
  "calculate-cost-error",
  "calculate-cost-timeout",
  "put-events-partial",
  "put-events-total",
  "ses-failure",
  "ses-answer-lost",
  "ses-request-lost",
  "sns-failure",
  "crash-after-order-write",
  "crash-before-publish",
  "subscriber-outage",
  "lambda-throttle",
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

/** One line per fault kind: what the caller receives. */
export const FAULT_DESCRIPTIONS: Readonly<Record<FaultKind, string>> = {
  "dynamodb-throttle": "DynamoDB answers 400 ProvisionedThroughputExceededException (the SDK retries it as throttling)",
  "dynamodb-5xx": "DynamoDB answers 500 InternalServerError (the SDK retries it as a server error)",
  "calculate-cost-error": "calculate-cost answers statusCode 503, or raises (Lambda FunctionError Unhandled)",
  "calculate-cost-timeout":
    "calculate-cost runs past its timeout: Lambda answers FunctionError with Sandbox.Timedout, as AWS does",
  "put-events-partial":
    "PutEvents answers 200 with the entry failed (InternalFailure) and FailedEntryCount > 0; the entry is not accepted",
  "put-events-total": "PutEvents answers 500 InternalException; no entry is accepted",
  "ses-failure": "SES SendEmail answers 503 ServiceUnavailable (or 400 Throttling)",
  "ses-answer-lost":
    "SES accepts the email (it is sent, its events published), then the connection drops before the answer: the caller cannot tell it was sent",
  "ses-request-lost":
    "the connection drops before SES reads the SendEmail: nothing is sent, and the caller cannot tell it was not",
  "sns-failure": "SNS Publish answers 500 InternalError (or 400 Throttling)",
  "crash-after-order-write": "the processor dies right after its conditional order write succeeded, before publishing",
  "crash-before-publish": "the processor dies just before PutEvents of its outcome",
  "subscriber-outage": "a subscriber's function fails every invocation for a time window, then comes back",
  "lambda-throttle":
    "Lambda refuses a rule target's asynchronous invoke with 429 TooManyRequestsException (EventBridge retries, then dead-letters)",
};

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}
