import {
  Duration,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  type aws_lambda as lambda,
  type aws_sns as sns,
  type aws_sqs as sqs,
  type Stack,
} from "aws-cdk-lib";
import { BUSINESS_METRICS_NAMESPACE, subscriptionResourceNames, type AlarmedBusinessMetric } from "@payment3/core";

const PERIOD = Duration.minutes(5);

/** One alarm: the metric's 5-minute sum (or maximum) above 0 notifies every topic. Missing data is not a breach. */
function alarmAboveZero(
  stack: Stack,
  id: string,
  metric: cloudwatch.IMetric,
  description: string,
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(stack, id, {
    alarmDescription: description,
    metric,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  for (const topic of topics) alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

/** Alarms as soon as one message waits in a dead-letter or on-failure queue: each is an event nobody handled. */
export function alarmWhenQueueHasMessages(
  stack: Stack,
  id: string,
  queue: sqs.Queue,
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm {
  return alarmAboveZero(
    stack,
    id,
    queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
    `Failed events are waiting in ${queue.queueName}: fix the cause, then redrive the queue or replay the archive`,
    topics,
  );
}

/** Alarms on any invocation error of a function (it is retried, but someone should look). */
export function alarmOnFunctionErrors(
  stack: Stack,
  id: string,
  fn: lambda.IFunction,
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm {
  return alarmAboveZero(
    stack,
    id,
    fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
    `${fn.functionName} threw: its events are being retried and end in its on-failure queue if retries run out`,
    topics,
  );
}

/**
 * The rule's two ways of losing an event (AWS/Events, dimensions RuleName + EventBusName, as
 * EventBridge reports rules of a custom bus):
 * - `FailedInvocations`: the target failed for good and the event went nowhere (it is not
 *   counted when it reached the dead-letter queue);
 * - `InvocationsFailedToBeSentToDlq`: the dead-letter queue itself refused the event.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
 */
export function alarmOnRuleDrops(
  stack: Stack,
  id: string,
  rule: { readonly ruleName: string; readonly eventBusName: string },
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm[] {
  const metric = (metricName: string) =>
    new cloudwatch.Metric({
      namespace: "AWS/Events",
      metricName,
      dimensionsMap: { RuleName: rule.ruleName, EventBusName: rule.eventBusName },
      period: PERIOD,
      statistic: cloudwatch.Stats.SUM,
    });
  return [
    alarmAboveZero(
      stack,
      `${id}FailedInvocationsAlarm`,
      metric("FailedInvocations"),
      `Rule ${rule.ruleName} failed to deliver an event for good and it reached no dead-letter queue: the event is only in the archive; replay it`,
      topics,
    ),
    alarmAboveZero(
      stack,
      `${id}DlqSendFailuresAlarm`,
      metric("InvocationsFailedToBeSentToDlq"),
      `Rule ${rule.ruleName} could not put an undeliverable event in its dead-letter queue: the event is only in the archive; check the queue's policy, then replay it`,
      topics,
    ),
  ];
}

/**
 * A function's ways of losing an asynchronous event (AWS/Lambda, dimension FunctionName):
 * - `AsyncEventsDropped`: Lambda dropped an event without running the function to success and
 *   without a destination taking it (event too old, retries exhausted);
 * - `DestinationDeliveryFailures`: the on-failure queue refused an event;
 * - `Throttles`: invocations refused for lack of concurrency (retried by Lambda, but a sign the
 *   event may age out).
 * https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html (invocation and
 * asynchronous invocation metrics)
 */
export function alarmOnFunctionDrops(
  stack: Stack,
  id: string,
  fn: lambda.IFunction,
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm[] {
  const metric = (metricName: string) => fn.metric(metricName, { period: PERIOD, statistic: cloudwatch.Stats.SUM });
  return [
    alarmAboveZero(
      stack,
      `${id}AsyncEventsDroppedAlarm`,
      metric("AsyncEventsDropped"),
      `${fn.functionName} dropped an event without processing it: it is only in the archive; replay it`,
      topics,
    ),
    alarmAboveZero(
      stack,
      `${id}DestinationDeliveryFailuresAlarm`,
      metric("DestinationDeliveryFailures"),
      `${fn.functionName} could not put a failed event in its on-failure queue: it is only in the archive; check the queue, then replay it`,
      topics,
    ),
    alarmAboveZero(
      stack,
      `${id}ThrottlesAlarm`,
      metric("Throttles"),
      `${fn.functionName} was throttled: its events wait and may age out; check the account's concurrency`,
      topics,
    ),
  ];
}

/**
 * One alarm per business metric that needs a person (core's ALARMED_BUSINESS_METRICS): the
 * functions write them as embedded metric format lines (namespace payment3, dimensions
 * service, stage and the metric's own), so the dimensions here must be exactly those.
 */
export function alarmOnBusinessMetric(
  stack: Stack,
  stage: string,
  alarmed: AlarmedBusinessMetric,
  topics: readonly sns.ITopic[],
): cloudwatch.Alarm {
  const metric = new cloudwatch.Metric({
    namespace: BUSINESS_METRICS_NAMESPACE,
    metricName: alarmed.name,
    dimensionsMap: {
      service: subscriptionResourceNames(stage, alarmed.subscription).serviceName,
      stage,
      ...alarmed.dimensions,
    },
    period: PERIOD,
    statistic: cloudwatch.Stats.SUM,
  });
  return alarmAboveZero(stack, `${alarmed.id}Alarm`, metric, alarmed.meaning, topics);
}
