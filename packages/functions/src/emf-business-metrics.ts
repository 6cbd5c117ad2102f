import {
  BUSINESS_METRICS_NAMESPACE,
  subscriptionServiceName,
  type BusinessMetricDimensions,
  type BusinessMetrics,
} from "@payment3/core";

export interface EmfBusinessMetricsOptions {
  readonly stage: string;
  readonly subscriptionName: string;
  /** Where each line goes; stdout, which Lambda sends to the function's log group. */
  readonly write?: (line: string) => void;
  readonly now?: () => number;
}

/**
 * The business metrics port as CloudWatch embedded metric format (EMF) lines on stdout: one JSON
 * line per data point, namespace `payment3`, dimensions `service` (the same service name the
 * stacks' alarms put in theirs), `stage` and the count's own, which CloudWatch turns into a
 * metric with no API call (format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * Written at once rather than buffered per invocation, so a count survives an invocation that
 * throws; and independent of the log level, which a metric must not follow.
 *
 * Written here rather than taken from a library because both that fit were too large for what
 * the port needs: Powertools Metrics was 11.9 KB of each function's bundle (its buffering,
 * validation and cold-start metric), the processor's margin to its 1.2 × bare-handler goal;
 * aws-embedded-metrics 4.2.1 bundles to 37 KB (environment detection, agent sinks).
 */
export function createEmfBusinessMetrics(options: EmfBusinessMetricsOptions): BusinessMetrics {
  const service = subscriptionServiceName(options.subscriptionName);
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? Date.now;
  const emit = (name: string, value: number, unit: string, dimensions: BusinessMetricDimensions) => {
    const own = Object.entries(dimensions).filter(([, dimensionValue]) => dimensionValue !== undefined);
    const line = {
      _aws: {
        Timestamp: now(),
        CloudWatchMetrics: [
          {
            Namespace: BUSINESS_METRICS_NAMESPACE,
            Dimensions: [["service", "stage", ...own.map(([dimension]) => dimension)]],
            Metrics: [{ Name: name, Unit: unit }],
          },
        ],
      },
      service,
      stage: options.stage,
      ...Object.fromEntries(own),
      [name]: value,
    };
    write(`${JSON.stringify(line)}\n`);
  };
  return {
    count: (name, dimensions = {}) => emit(name, 1, "Count", dimensions),
    record: (name, value, unit) => emit(name, value, unit, {}),
  };
}
