import { Duration, aws_cloudwatch as cloudwatch, type Stack } from "aws-cdk-lib";
import {
  BUSINESS_MEASUREMENT,
  BUSINESS_METRIC,
  BUSINESS_METRICS_NAMESPACE,
  COST_CALCULATION_FAILURE_KINDS,
  subscriptionResourceNames,
  type BusinessMeasurementName,
  type BusinessMetricName,
} from "@payment3/core";
import { FAILURE_REASONS } from "@payment3/events";
import type { SubscriptionResources } from "./subscription-resources";

const PERIOD = Duration.minutes(5);

/**
 * The stage's CloudWatch dashboard `<bus name>-ops`, top to bottom as a payment flows:
 * confirmations to outcomes, outcomes that failed by reason, customer notifications, then the
 * plumbing: dead-letter depths, function errors and durations, and calculate-cost (another
 * team's function) as the processor sees it: calls, failures by kind, latency.
 */
export function createOpsDashboard(
  stack: Stack,
  props: {
    readonly dashboardName: string;
    readonly stage: string;
    readonly subscriptions: readonly SubscriptionResources[];
  },
): cloudwatch.Dashboard {
  const business = (
    subscription: string,
    name: BusinessMetricName | BusinessMeasurementName,
    dimensions: Record<string, string> = {},
    label: string = name,
    statistic: string = cloudwatch.Stats.SUM,
  ) =>
    new cloudwatch.Metric({
      namespace: BUSINESS_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap: {
        service: subscriptionResourceNames(props.stage, subscription).serviceName,
        stage: props.stage,
        ...dimensions,
      },
      statistic,
      period: PERIOD,
      label,
    });
  const calculateCostLatency = (statistic: string) =>
    business(
      "processor",
      BUSINESS_MEASUREMENT.calculateCostLatency,
      {},
      `calculate-cost latency ${statistic} (ms)`,
      statistic,
    );
  // Typed as IWidget: aws-cdk-lib declares GraphWidget's `warnings` as `string[] | undefined`,
  // which exactOptionalPropertyTypes will not take for IWidget's optional `warnings`.
  const graph = (title: string, left: cloudwatch.IMetric[]) =>
    new cloudwatch.GraphWidget({ title, left, width: 12, height: 6, stacked: false }) as cloudwatch.IWidget;
  const { subscriptions } = props;

  const dashboard = new cloudwatch.Dashboard(stack, "OpsDashboard", {
    dashboardName: props.dashboardName,
    defaultInterval: Duration.hours(3),
  });
  dashboard.addWidgets(
    graph("Confirmations → outcomes", [
      business("processor", BUSINESS_METRIC.confirmationReceived),
      business("processor", BUSINESS_METRIC.orderPaid),
      business("processor", BUSINESS_METRIC.redeliveryRecognised, {}, "Redeliveries recognised (processor)"),
    ]),
    graph(
      "OrderPaymentFailed by reason",
      FAILURE_REASONS.map((reason) => business("processor", BUSINESS_METRIC.orderPaymentFailed, { reason }, reason)),
    ),
  );
  dashboard.addWidgets(
    graph("Customer notifications", [
      business("notifications", BUSINESS_METRIC.emailSent),
      business("notifications", BUSINESS_METRIC.emailRefused),
      business("notifications", BUSINESS_METRIC.emailSkipped),
      business("notifications", BUSINESS_METRIC.notificationUncertain),
      business("notifications", BUSINESS_METRIC.snsPublished),
      business("notifications", BUSINESS_METRIC.redeliveryRecognised, {}, "Redeliveries recognised (notifications)"),
    ]),
    graph(
      "Dead-letter and on-failure queue depths",
      subscriptions.flatMap(({ targetDeadLetterQueue, onFailureQueue }) =>
        [targetDeadLetterQueue, onFailureQueue].map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        ),
      ),
    ),
  );
  dashboard.addWidgets(
    graph(
      "Function errors",
      subscriptions.map(({ subscription, fn }) =>
        fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM, label: subscription.name }),
      ),
    ),
    graph(
      "Function duration (p95)",
      subscriptions.map(({ subscription, fn }) =>
        fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.p(95), label: subscription.name }),
      ),
    ),
  );
  dashboard.addWidgets(
    graph("calculate-cost calls and failures by kind", [
      business("processor", BUSINESS_MEASUREMENT.calculateCostLatency, {}, "calls", cloudwatch.Stats.SAMPLE_COUNT),
      ...COST_CALCULATION_FAILURE_KINDS.map((kind) =>
        business("processor", BUSINESS_METRIC.calculateCostFailed, { kind }, `failed ${kind}`),
      ),
    ]),
    graph(
      "calculate-cost latency",
      [cloudwatch.Stats.p(50), cloudwatch.Stats.p(95), cloudwatch.Stats.MAXIMUM].map(calculateCostLatency),
    ),
  );
  return dashboard;
}
