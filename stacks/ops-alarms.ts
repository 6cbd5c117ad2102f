import {
  Duration,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as actions,
  type aws_lambda as lambda,
  type aws_sns as sns,
  type aws_sqs as sqs,
  type Stack,
} from "aws-cdk-lib";

const PERIOD = Duration.minutes(5);

/** Alarms as soon as one message waits in a dead-letter or on-failure queue: each is an event nobody handled. */
export function alarmWhenQueueHasMessages(
  stack: Stack,
  id: string,
  queue: sqs.Queue,
  topic: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(stack, id, {
    alarmDescription: `Failed events are waiting in ${queue.queueName}: fix the cause, then redrive the queue or replay the archive`,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

/** Alarms on any invocation error of a function (it is retried, but someone should look). */
export function alarmOnFunctionErrors(
  stack: Stack,
  id: string,
  fn: lambda.IFunction,
  topic: sns.ITopic,
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(stack, id, {
    alarmDescription: `${fn.functionName} threw: its events are being retried and end in its on-failure queue if retries run out`,
    metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}
