import {
  describeErrorInFull,
  describeFailedAttempt,
  TargetInvocationError,
  type EventBridgeLogger,
  type TargetInvocationContext,
  type TargetInvoker,
  type TargetReference,
} from "../eventbridge/index";
import {
  AsyncInvokeRejectedError,
  type AsyncInvocationObserver,
  type LocalAsyncInvocations,
} from "./async-invocations";
import { functionNameOf } from "./lambda-invoke-service";

export interface LambdaTargetInvokerOptions {
  /** Where the functions' asynchronous invocations queue, retry and keep their failures. */
  readonly asyncInvocations: LocalAsyncInvocations;
  /**
   * Where the function layer's lines go: the bus's logger, so one failing target reads as one story (`info`, else
   * `warn`, gets one short line per failed run; `warn` the give-up line with the full error; `debug` every error).
   */
  readonly logger: () => EventBridgeLogger;
}

/**
 * Delivers rule targets to in-process functions as EventBridge delivers to Lambda: an asynchronous Invoke
 * (`InvocationType: Event`). Once Lambda queued the event, EventBridge is done; the function's errors are retried by
 * Lambda per the function's event-invoke config and then go to its on-failure destination
 * ({@link LocalAsyncInvocations}). Only a refused Invoke fails the delivery, and so reaches the target's
 * RetryPolicy and dead-letter queue: a missing function (`NO_RESOURCE`, not retried), throttling (`THROTTLING`,
 * retried) or a service error (retried). [semantics §13]
 */
export function createLambdaTargetInvoker(options: LambdaTargetInvokerOptions): TargetInvoker {
  return async (target, input, context) => {
    const functionName = functionNameOf(target.targetArn);
    try {
      options.asyncInvocations.invoke(functionName, input, functionLayerLog(target, context, functionName, options));
    } catch (error) {
      if (!(error instanceof AsyncInvokeRejectedError)) throw error;
      throw new TargetInvocationError(
        `Lambda refused the asynchronous invoke of ${functionName} for target ${target.targetId} of rule ${target.ruleArn}: ${error.name}: ${error.message}`,
        { errorCode: eventBridgeErrorCodeOf(error), retryable: error.retryable, cause: error },
      );
    }
  };
}

/** EventBridge's dead-letter `ERROR_CODE` for a refused Lambda invoke. [semantics §8] */
function eventBridgeErrorCodeOf(error: AsyncInvokeRejectedError): string {
  if (error.statusCode === 404) return "NO_RESOURCE";
  if (error.statusCode === 403) return "NO_PERMISSIONS";
  if (error.statusCode === 429) return "THROTTLING";
  return "SDK_CLIENT_ERROR";
}

/**
 * The function layer's part of the delivery log: the same one-line format per failed run as the bus's attempts
 * ("Delivery attempt 2 of 3 failed: rule …, target …, event …, order …: …", m = 1 + the function's retries), and
 * one line with the full error when Lambda gives up.
 */
function functionLayerLog(
  target: TargetReference,
  context: TargetInvocationContext,
  functionName: string,
  options: LambdaTargetInvokerOptions,
): AsyncInvocationObserver {
  const details = { eventId: context.event.id, ruleName: context.ruleName, targetId: target.targetId };
  return {
    attemptFailed({ attempt, maximumAttempts, error }) {
      const logger = options.logger();
      const job = {
        event: context.event,
        ruleName: context.ruleName,
        targetId: target.targetId,
        maximumRetryAttempts: maximumAttempts - 1,
      };
      (logger.info ?? logger.warn).call(logger, describeFailedAttempt(job, attempt, error), { ...details, attempt });
      logger.debug?.(
        `Attempt ${attempt} of function ${functionName} on event ${context.event.id} failed with: ${describeErrorInFull(error)}`,
        { ...details, attempt },
      );
    },
    gaveUp({ record, error, kept }) {
      const { condition, approximateInvokeCount } = record.requestContext;
      const what =
        `Lambda gave up on event ${context.event.id} of rule ${context.ruleName} in function ${functionName} ` +
        `(target ${target.targetId}) after ${approximateInvokeCount} attempt(s) (${condition}).`;
      const where = kept
        ? ` Kept as on-failure record ${kept.id} (${kept.destination}).`
        : " Discarded: the function has no on-failure destination; give it one (PutFunctionEventInvokeConfig) to keep such events.";
      options.logger().warn(`${what}${where} Last error: ${describeErrorInFull(error)}`, {
        ...details,
        ...(kept ? { onFailureRecordId: kept.id } : {}),
      });
    },
  };
}
