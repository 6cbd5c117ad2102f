import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import { BUSINESS_METRICS_NAMESPACE, subscriptionResourceNames, type BusinessMetrics } from "@payment3/core";

/**
 * The business metrics port on Powertools Metrics: each count is written at once as one
 * CloudWatch embedded metric format line on stdout (namespace `payment3`, dimensions `service`,
 * `stage` and the count's own), and so is each measurement (a latency in Milliseconds, whose
 * percentiles CloudWatch computes from the data points), which CloudWatch turns into a metric with no API call. Written
 * at once rather than buffered per invocation, so a count survives an invocation that throws
 * and no "no metrics" warning is logged for one that counts nothing.
 */
export function createPowertoolsBusinessMetrics(options: {
  readonly stage: string;
  readonly subscriptionName: string;
}): BusinessMetrics {
  const metrics = new Metrics({
    namespace: BUSINESS_METRICS_NAMESPACE,
    // The same service name the stacks' alarms put in their dimensions.
    serviceName: subscriptionResourceNames(options.stage, options.subscriptionName).serviceName,
    defaultDimensions: { stage: options.stage },
  });
  return {
    count(name, dimensions = {}) {
      const single = metrics.singleMetric();
      for (const [dimension, value] of Object.entries(dimensions))
        if (value !== undefined) single.addDimension(dimension, value);
      single.addMetric(name, MetricUnit.Count, 1);
    },
    record(name, value, unit) {
      metrics.singleMetric().addMetric(name, MetricUnit[unit], value);
    },
  };
}
