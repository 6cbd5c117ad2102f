import {
  Duration,
  aws_events as events,
  aws_iam as iam,
  aws_lambda_destinations as destinations,
  aws_sqs as sqs,
  type aws_sns as sns,
  type Stack,
} from "aws-cdk-lib";
import { Function as SstFunction } from "sst/constructs";
import { subscriptionResourceNames } from "@payment3/core";
import { functionAsyncInvokeSettings, type ScheduledFunction, type Subscription } from "@payment3/functions";
import { payment3FunctionProps } from "./function-defaults";
import { alarmOnFunctionDrops, alarmOnFunctionErrors, alarmOnRuleDrops, alarmWhenQueueHasMessages } from "./ops-alarms";
import { accessStatements, type ResourceArns } from "./resource-access";
import { constructId } from "./resource-names";

export interface SubscriptionResourcesProps {
  /** A registry entry (a rule with its event pattern), or a scheduled function (a rule with its schedule). */
  readonly subscription: Subscription | ScheduledFunction;
  readonly bus: events.IEventBus;
  /** The stage: the rule, function and queues are named by `subscriptionResourceNames`, as the local runtime names them. */
  readonly stage: string;
  /** The configuration every function is given (see configEnvironment in packages/core/src/config/config.ts). */
  readonly environment: Readonly<Record<string, string>>;
  readonly logLevel: string;
  readonly arns: ResourceArns;
  /** Where every alarm of the subscription notifies. */
  readonly alarmTopics: readonly sns.ITopic[];
}

export interface SubscriptionResources {
  readonly subscription: Subscription | ScheduledFunction;
  readonly fn: SstFunction;
  readonly rule: events.CfnRule;
  /** Events EventBridge could not deliver to the function (throttling, missing permission, …). */
  readonly targetDeadLetterQueue: sqs.Queue;
  /** Events the function itself failed on after its async retries. */
  readonly onFailureQueue: sqs.Queue;
}

/**
 * Everything one registry entry (or scheduled function) becomes: its function (with exactly the IAM its `access` list
 * names), its rule on the bus with the registry's pattern unchanged, and failure capture at
 * both levels, since a rule-target DLQ never sees an error thrown inside the function.
 */
export function createSubscriptionResources(stack: Stack, props: SubscriptionResourcesProps): SubscriptionResources {
  const { subscription } = props;
  assertDeployable(subscription);
  const id = constructId(subscription.name);
  const names = subscriptionResourceNames(props.stage, subscription.name);
  const resourceName = names.functionName;
  if (resourceName.length > 64) {
    throw new Error(
      `subscription "${subscription.name}": "${resourceName}" is longer than the 64 characters a rule or function name may have; shorten the stage or the subscription name`,
    );
  }
  const deadLetterRetention = Duration.days(subscription.deadLetterRetentionDays);
  const asyncInvoke = functionAsyncInvokeSettings(subscription);

  const targetDeadLetterQueue = new sqs.Queue(stack, `${id}TargetDlq`, {
    queueName: names.targetDeadLetterQueueName,
    retentionPeriod: deadLetterRetention,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  const onFailureQueue = new sqs.Queue(stack, `${id}OnFailureQueue`, {
    queueName: names.onFailureQueueName,
    retentionPeriod: deadLetterRetention,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });

  const fn = new SstFunction(stack, `${id}Function`, {
    functionName: resourceName,
    description: subscription.description.slice(0, 256),
    handler: subscription.handler,
    timeout: subscription.timeoutSeconds,
    ...payment3FunctionProps(stack, `${id}Logs`, {
      environment: props.environment,
      serviceName: names.serviceName,
      logLevel: props.logLevel,
    }),
    retryAttempts: asyncInvoke.maximumRetryAttempts,
    maxEventAge: Duration.seconds(asyncInvoke.maximumEventAgeSeconds),
    onFailure: new destinations.SqsDestination(onFailureQueue),
  });
  for (const statement of accessStatements(subscription.name, subscription.access, props.arns))
    fn.addToRolePolicy(statement);

  const rule = new events.CfnRule(stack, `${id}Rule`, {
    name: names.ruleName,
    eventBusName: props.bus.eventBusName,
    description: subscription.description.slice(0, 512),
    ...("scheduleExpression" in subscription
      ? { scheduleExpression: subscription.scheduleExpression }
      : { eventPattern: subscription.eventPattern }),
    state: "ENABLED",
    targets: [
      {
        id: subscription.name,
        arn: fn.functionArn,
        retryPolicy: {
          maximumRetryAttempts: subscription.retry.maximumRetryAttempts,
          maximumEventAgeInSeconds: subscription.retry.maximumEventAgeSeconds,
        },
        deadLetterConfig: { arn: targetDeadLetterQueue.queueArn },
      },
    ],
  });

  // A CfnRule grants nothing by itself: let this rule (and only it) invoke the function and fill its DLQ.
  const eventsPrincipal = new iam.ServicePrincipal("events.amazonaws.com");
  fn.addPermission("InvokedByRule", { principal: eventsPrincipal, sourceArn: rule.attrArn });
  targetDeadLetterQueue.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: "RuleDeadLetters",
      principals: [eventsPrincipal],
      actions: ["sqs:SendMessage"],
      resources: [targetDeadLetterQueue.queueArn],
      conditions: { ArnEquals: { "aws:SourceArn": rule.attrArn } },
    }),
  );

  alarmWhenQueueHasMessages(stack, `${id}TargetDlqAlarm`, targetDeadLetterQueue, props.alarmTopics);
  alarmWhenQueueHasMessages(stack, `${id}OnFailureQueueAlarm`, onFailureQueue, props.alarmTopics);
  alarmOnFunctionErrors(stack, `${id}ErrorsAlarm`, fn, props.alarmTopics);
  alarmOnRuleDrops(stack, id, { ruleName: names.ruleName, eventBusName: props.bus.eventBusName }, props.alarmTopics);
  alarmOnFunctionDrops(stack, id, fn, props.alarmTopics);

  return { subscription, fn, rule, targetDeadLetterQueue, onFailureQueue };
}

/** Refuses, at synth time and naming the entry, registry values AWS would reject at deploy time. */
export function assertDeployable(subscription: Subscription | ScheduledFunction): void {
  const fail = (message: string) => {
    throw new Error(`subscription "${subscription.name}": ${message}`);
  };
  if (!/^[a-z][a-z0-9-]*$/.test(subscription.name))
    fail("name must be kebab-case (it names the rule, function and queues)");
  const { maximumRetryAttempts, maximumEventAgeSeconds } = subscription.retry;
  if (!Number.isInteger(maximumRetryAttempts) || maximumRetryAttempts < 0 || maximumRetryAttempts > 185) {
    fail(`retry.maximumRetryAttempts must be 0-185 (EventBridge's limit), got ${maximumRetryAttempts}`);
  }
  if (!Number.isInteger(maximumEventAgeSeconds) || maximumEventAgeSeconds < 60 || maximumEventAgeSeconds > 86_400) {
    fail(`retry.maximumEventAgeSeconds must be 60-86400 (EventBridge's limit), got ${maximumEventAgeSeconds}`);
  }
  const days = subscription.deadLetterRetentionDays;
  if (!Number.isInteger(days) || days < 1 || days > 14)
    fail(`deadLetterRetentionDays must be 1-14 (SQS's limit), got ${days}`);
  if (
    !Number.isInteger(subscription.timeoutSeconds) ||
    subscription.timeoutSeconds < 1 ||
    subscription.timeoutSeconds > 900
  ) {
    fail(`timeoutSeconds must be 1-900 (Lambda's limit), got ${subscription.timeoutSeconds}`);
  }
}
