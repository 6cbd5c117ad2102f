import {
  Duration,
  Tags,
  type aws_iam as iam,
  aws_lambda_destinations as destinations,
  aws_sqs as sqs,
  type aws_sns as sns,
  type Stack,
} from "aws-cdk-lib";
import { Function as SstFunction } from "sst/constructs";
import { legacyInvokeResourceNames } from "@payment3/core";
import { legacyInvokeFunction } from "@payment3/functions";
import { alarmOnFunctionDrops, alarmOnFunctionErrors, alarmWhenQueueHasMessages } from "./ops-alarms";
import { payment3FunctionProps } from "./function-defaults";

export interface LegacyInvokeAdapterProps {
  readonly stage: string;
  /** The configuration every function is given (see configEnvironment in packages/core/src/config/config.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logLevel: string;
  /**
   * The callbacks' publish policy (callback-policy.ts): the adapter publishes on the callbacks'
   * behalf, so it gets exactly their grant, PutEvents on this bus as a callback source only.
   */
  readonly callbackPublishPolicy: iam.IManagedPolicy;
  /** Every alarm notifies each of these (the stage's ops topic, and an existing on-call topic if given). */
  readonly alarmTopics: readonly sns.ITopic[];
}

export interface LegacyInvokeAdapterResources {
  readonly fn: SstFunction;
  /** Invocations that failed: an invalid payload, or a PutEvents failure that outlasted the retries. */
  readonly onFailureQueue: sqs.Queue;
}

/**
 * The legacy invoke adapter: a function under the legacy function's exact name, which the
 * callbacks invoke asynchronously, publishing their payload as WalletPaymentConfirmed. No
 * rule: it is not a bus subscriber. Async retries are 0, so an invalid payload goes straight to
 * the on-failure queue with the payload (PutEvents is retried inside the invocation); the queue
 * and the function's errors are alarmed like every subscription's.
 */
export function createLegacyInvokeAdapter(stack: Stack, props: LegacyInvokeAdapterProps): LegacyInvokeAdapterResources {
  const names = legacyInvokeResourceNames(props.stage);
  if (names.functionName.length > 64) {
    throw new Error(
      `"${names.functionName}" is longer than the 64 characters a function name may have; shorten the stage name`,
    );
  }
  const onFailureQueue = new sqs.Queue(stack, "LegacyInvokeOnFailureQueue", {
    queueName: names.onFailureQueueName,
    retentionPeriod: Duration.days(legacyInvokeFunction.onFailureRetentionDays),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const fn = new SstFunction(stack, "LegacyInvokeFunction", {
    functionName: names.functionName,
    description: legacyInvokeFunction.description,
    handler: legacyInvokeFunction.handler,
    timeout: legacyInvokeFunction.timeoutSeconds,
    ...payment3FunctionProps(stack, "LegacyInvokeLogs", {
      environment: props.environment,
      serviceName: names.serviceName,
      logLevel: props.logLevel,
    }),
    retryAttempts: legacyInvokeFunction.maximumRetryAttempts,
    onFailure: new destinations.SqsDestination(onFailureQueue),
  });
  fn.role?.addManagedPolicy(props.callbackPublishPolicy);
  // What tells the adapter from the legacy function of the same name (payment3 preflight reads it).
  Tags.of(fn).add(names.tag.key, names.tag.value);

  alarmWhenQueueHasMessages(stack, "LegacyInvokeOnFailureQueueAlarm", onFailureQueue, props.alarmTopics);
  alarmOnFunctionErrors(stack, "LegacyInvokeErrorsAlarm", fn, props.alarmTopics);
  // With no async retries, an event Lambda drops (too old, throttled for hours) is a callback's payment lost.
  alarmOnFunctionDrops(stack, "LegacyInvoke", fn, props.alarmTopics);
  return { fn, onFailureQueue };
}
