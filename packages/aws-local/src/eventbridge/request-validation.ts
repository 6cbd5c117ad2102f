/**
 * The model constraints of the rule, target and event-bus requests: what a caller gave is checked on its own, before
 * any bus or rule is looked at. Each failure is a `ValidationException` worded as AWS's request validator words it.
 */

import { MAX_EVENT_PATTERN_LENGTH } from "../event-pattern/index";
import { checkName, ConstraintViolations, EventBridgeValidationError } from "./errors";
import { RULE_STATES, type CreateEventBusRequest, type PutRuleRequest, type Target } from "./eventbridge-shapes";
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS } from "./target-delivery";
import { checkTargetInput } from "./target-input";

export const MAX_TARGETS_PER_REQUEST = 10;
const MAX_DESCRIPTION_LENGTH = 512;
const MAX_SCHEDULE_EXPRESSION_LENGTH = 256;
const MAX_TARGET_ARN_LENGTH = 1600;
const MAX_TARGET_IDS_PER_REQUEST = 100;
const ARN_FORMAT = /^arn:[\w:\-/.]*$/;
const TEST_EVENT_REQUIRED_FIELDS = ["id", "account", "source", "time", "region", "detail-type"] as const;

/** PutRule's own members: name, lengths, state, and a pattern or a schedule. */
export function checkPutRuleRequest(request: PutRuleRequest): void {
  const violations = new ConstraintViolations();
  checkName(violations, request.Name, "name", 64);
  if (request.EventPattern !== undefined) addEventPatternLengthViolation(violations, request.EventPattern);
  if (request.ScheduleExpression !== undefined && request.ScheduleExpression.length > MAX_SCHEDULE_EXPRESSION_LENGTH) {
    violations.add(
      request.ScheduleExpression,
      "scheduleExpression",
      `Member must have length less than or equal to ${MAX_SCHEDULE_EXPRESSION_LENGTH}`,
    );
  }
  addDescriptionViolation(violations, request.Description);
  if (request.State !== undefined && !RULE_STATES.includes(request.State)) {
    violations.add(request.State, "state", `Member must satisfy enum value set: [${RULE_STATES.join(", ")}]`);
  }
  violations.throwIfAny();
  if (request.EventPattern === undefined && request.ScheduleExpression === undefined) {
    throw new EventBridgeValidationError("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  }
}

/** TestEventPattern's pattern is held to PutRule's length limit. */
export function checkEventPatternLength(pattern: string): void {
  const violations = new ConstraintViolations();
  addEventPatternLengthViolation(violations, pattern);
  violations.throwIfAny();
}

/**
 * PutTargets' targets: 1 to 10 of them, Ids, ARN lengths and formats, retry policy bounds and the input settings
 * (`warn` hears about an InputPath the local EventBridge cannot evaluate). [semantics §8, LS-AWS test_put_target_id_validation]
 */
export function checkPutTargetsRequest(targets: readonly Target[], warn: (message: string) => void): void {
  checkTargetMembers(targets);
  for (const [index, target] of targets.entries()) {
    checkTargetArns(target);
    checkTargetInput(target, index + 1, warn);
  }
}

/** RemoveTargets' Ids: 1 to 100 names. */
export function checkRemoveTargetsRequest(ids: readonly string[]): void {
  const violations = new ConstraintViolations();
  if (ids.length < 1) violations.add("[]", "ids", "Member must have length greater than or equal to 1");
  if (ids.length > MAX_TARGET_IDS_PER_REQUEST) {
    violations.add(
      `[${ids.join(", ")}]`,
      "ids",
      `Member must have length less than or equal to ${MAX_TARGET_IDS_PER_REQUEST}`,
    );
  }
  for (const [index, id] of ids.entries()) checkName(violations, id, `ids.${index + 1}.member`, 64);
  violations.throwIfAny();
}

/**
 * CreateEventBus' members. AWS's model allows `/` in the name for partner event buses only (named after their
 * partner event source), which are not served locally, so a custom name with `/` is refused. [API CreateEventBus]
 */
export function checkCreateEventBusRequest(request: CreateEventBusRequest): void {
  const violations = new ConstraintViolations();
  addEventBusNameViolations(violations, request.Name);
  addDescriptionViolation(violations, request.Description);
  violations.throwIfAny();
  if (request.Name.includes("/")) {
    throw new EventBridgeValidationError(
      `Event bus name ${request.Name} is not valid: a custom event bus name can't contain '/'. ` +
        "Only partner event buses, named after their aws.partner/... event source, can, and the local EventBridge has no partner event sources.",
    );
  }
}

/** An event bus name of `[/\.\-_A-Za-z0-9]+`, 1 to 256 characters. */
export function checkEventBusName(name: string): void {
  const violations = new ConstraintViolations();
  addEventBusNameViolations(violations, name);
  violations.throwIfAny();
}

/**
 * TestEventPattern's `Event` must be a JSON object with id, account, source, time, region and detail-type
 * (`resources` may be missing). [semantics §4, LS-AWS]
 */
export function parseTestEvent(text: string): Record<string, unknown> {
  let event: unknown;
  try {
    event = JSON.parse(text);
  } catch {
    event = undefined;
  }
  if (
    typeof event !== "object" ||
    event === null ||
    Array.isArray(event) ||
    !TEST_EVENT_REQUIRED_FIELDS.every((field) => Object.hasOwn(event as object, field))
  ) {
    throw new EventBridgeValidationError("Parameter Event is not valid.");
  }
  return event as Record<string, unknown>;
}

function checkTargetMembers(targets: readonly Target[]): void {
  const violations = new ConstraintViolations();
  if (targets.length < 1) violations.add("[]", "targets", "Member must have length greater than or equal to 1");
  if (targets.length > MAX_TARGETS_PER_REQUEST) {
    violations.add(targets, "targets", `Member must have length less than or equal to ${MAX_TARGETS_PER_REQUEST}`);
  }
  targets.forEach((target, index) => {
    const at = `targets.${index + 1}.member`;
    checkName(violations, target.Id, `${at}.id`, 64);
    if (target.Arn.length < 1 || target.Arn.length > MAX_TARGET_ARN_LENGTH) {
      violations.add(
        target.Arn,
        `${at}.arn`,
        `Member must have length ${target.Arn.length < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_TARGET_ARN_LENGTH}`}`,
      );
    }
    const retries = target.RetryPolicy?.MaximumRetryAttempts;
    if (retries !== undefined && (retries < 0 || retries > DEFAULT_MAXIMUM_RETRY_ATTEMPTS)) {
      violations.add(
        String(retries),
        `${at}.retryPolicy.maximumRetryAttempts`,
        retries < 0
          ? "Member must have value greater than or equal to 0"
          : `Member must have value less than or equal to ${DEFAULT_MAXIMUM_RETRY_ATTEMPTS}`,
      );
    }
    const age = target.RetryPolicy?.MaximumEventAgeInSeconds;
    if (age !== undefined && (age < 60 || age > DEFAULT_MAXIMUM_EVENT_AGE_SECONDS)) {
      violations.add(
        String(age),
        `${at}.retryPolicy.maximumEventAgeInSeconds`,
        age < 60
          ? "Member must have value greater than or equal to 60"
          : `Member must have value less than or equal to ${DEFAULT_MAXIMUM_EVENT_AGE_SECONDS}`,
      );
    }
  });
  violations.throwIfAny();
}

function checkTargetArns(target: Target): void {
  for (const arn of [target.Arn, target.DeadLetterConfig?.Arn]) {
    if (arn !== undefined && !ARN_FORMAT.test(arn)) {
      // Observed AWS wording for a malformed target ARN.
      throw new EventBridgeValidationError(
        `Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`,
      );
    }
  }
}

function addEventBusNameViolations(violations: ConstraintViolations, name: string): void {
  if (name.length < 1 || name.length > 256) {
    violations.add(
      name,
      "name",
      `Member must have length ${name.length < 1 ? "greater than or equal to 1" : "less than or equal to 256"}`,
    );
  }
  if (name.length > 0 && !/^[/.\-_A-Za-z0-9]+$/.test(name)) {
    violations.add(name, "name", "Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+");
  }
}

function addEventPatternLengthViolation(violations: ConstraintViolations, pattern: string): void {
  if (pattern.length > MAX_EVENT_PATTERN_LENGTH) {
    violations.add(
      pattern,
      "eventPattern",
      `Member must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}`,
    );
  }
}

function addDescriptionViolation(violations: ConstraintViolations, description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION_LENGTH) {
    violations.add(
      description,
      "description",
      `Member must have length less than or equal to ${MAX_DESCRIPTION_LENGTH}`,
    );
  }
}
