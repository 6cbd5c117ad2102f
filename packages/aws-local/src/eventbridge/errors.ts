/**
 * Errors the local EventBridge raises. Each carries the AWS error name as `code` (sent as `__type` on the wire) and
 * the HTTP status AWS uses, so the API layer maps them without looking at message text.
 */

export type EventBridgeErrorCode =
  | "ValidationException"
  | "ResourceNotFoundException"
  | "ResourceAlreadyExistsException"
  | "LimitExceededException"
  | "IllegalStatusException"
  | "SerializationException"
  | "UnknownOperationException"
  | "InternalException";

export abstract class EventBridgeError extends Error {
  abstract readonly code: EventBridgeErrorCode;
  readonly httpStatus: number = 400;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that breaks a model constraint or an EventBridge rule (HTTP 400 `ValidationException`). */
export class EventBridgeValidationError extends EventBridgeError {
  override readonly name = "EventBridgeValidationError";
  readonly code = "ValidationException";
}

/** A bus, rule or dead letter that does not exist (HTTP 400 `ResourceNotFoundException`). */
export class EventBridgeResourceNotFoundError extends EventBridgeError {
  override readonly name = "EventBridgeResourceNotFoundError";
  readonly code = "ResourceNotFoundException";
}

/** A second event bus with the same name (HTTP 400 `ResourceAlreadyExistsException`). */
export class EventBridgeResourceAlreadyExistsError extends EventBridgeError {
  override readonly name = "EventBridgeResourceAlreadyExistsError";
  readonly code = "ResourceAlreadyExistsException";
}

/** AWS's message for every `LimitExceededException` the local EventBridge raises (five targets per rule, ten active replays). */
export const LIMIT_EXCEEDED_MESSAGE = "The requested resource exceeds the maximum number allowed.";

/** A quota such as five targets per rule (HTTP 400 `LimitExceededException`). */
export class EventBridgeLimitExceededError extends EventBridgeError {
  override readonly name = "EventBridgeLimitExceededError";
  readonly code = "LimitExceededException";
}

/** An operation the resource's current state does not allow, e.g. cancelling a finished replay (HTTP 400 `IllegalStatusException`). */
export class EventBridgeIllegalStatusError extends EventBridgeError {
  override readonly name = "EventBridgeIllegalStatusError";
  readonly code = "IllegalStatusException";
}

/** A request body that is not JSON or has a member of the wrong JSON type (HTTP 400 `SerializationException`). */
export class EventBridgeSerializationError extends EventBridgeError {
  override readonly name = "EventBridgeSerializationError";
  readonly code = "SerializationException";
}

/** An `X-Amz-Target` naming an operation the local EventBridge does not serve (HTTP 400 `UnknownOperationException`). */
export class EventBridgeUnknownOperationError extends EventBridgeError {
  override readonly name = "EventBridgeUnknownOperationError";
  readonly code = "UnknownOperationException";
}

/** The AWS wording for one failed model constraint, e.g. `Member must not be null`. */
export function constraintMessage(violations: readonly string[]): string {
  const count = violations.length;
  return `${count} validation error${count === 1 ? "" : "s"} detected: ${violations.join("; ")}`;
}

/**
 * Collects model-constraint violations and throws them as one `ValidationException`, worded as AWS's request
 * validator does ("1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: ...").
 */
export class ConstraintViolations {
  private readonly violations: string[] = [];

  add(value: unknown, memberPath: string, constraint: string): void {
    this.violations.push(
      `Value ${describeValue(value)} at '${memberPath}' failed to satisfy constraint: ${constraint}`,
    );
  }

  throwIfAny(): void {
    if (this.violations.length > 0) throw new EventBridgeValidationError(constraintMessage(this.violations));
  }
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  return `'${typeof value === "string" ? value : JSON.stringify(value)}'`;
}

/** Checks a name against EventBridge's `[\.\-_A-Za-z0-9]+` pattern and a maximum length. */
export function checkName(
  violations: ConstraintViolations,
  value: string,
  memberPath: string,
  maxLength: number,
): void {
  if (value.length > maxLength) {
    violations.add(value, memberPath, `Member must have length less than or equal to ${maxLength}`);
  }
  if (value.length < 1) violations.add(value, memberPath, "Member must have length greater than or equal to 1");
  if (value.length > 0 && !/^[.\-_A-Za-z0-9]+$/.test(value)) {
    violations.add(value, memberPath, "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+");
  }
}
