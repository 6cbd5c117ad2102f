import {
  BUSINESS_MEASUREMENT,
  BUSINESS_METRIC,
  BUSINESS_METRICS_NAMESPACE,
  defaultResourceNames,
  type MeasurementSummary,
} from "@payment3/core";
import type { BusinessMetricsReport } from "../runtime/admin-service";

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
const milliseconds = (value: number) => `${Math.round(value)} ms`;

/** The counts under one metric name, by the value of its one dimension (`reason`, `kind`), largest first. */
function byDimension(counts: Readonly<Record<string, number>>, name: string): [string, number][] {
  return Object.entries(counts)
    .filter(([key]) => key.startsWith(`${name} `))
    .map(([key, count]): [string, number] => [key.slice(key.indexOf("=") + 1), count])
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b));
}

function latencyText(latency: MeasurementSummary | undefined): string {
  if (!latency?.count) return "";
  return `, latency p50 ${milliseconds(latency.p50)}, mean ${milliseconds(latency.mean)}, max ${milliseconds(latency.max)}`;
}

/**
 * `payment3 status`'s business counts since the local runtime started: the same figures the
 * functions write to CloudWatch on AWS, from every subscription's counts together.
 */
export function businessMetricsLines(report: BusinessMetricsReport): string[] {
  const { counts } = report;
  const count = (name: string) => counts[name] ?? 0;
  const failedByReason = byDimension(counts, BUSINESS_METRIC.orderPaymentFailed);
  const outcomes = [
    ...(count(BUSINESS_METRIC.orderPaid) ? [`OrderPaid ${count(BUSINESS_METRIC.orderPaid)}`] : []),
    ...failedByReason.map(([reason, n]) => `OrderPaymentFailed ${reason} ${n}`),
  ];
  const costFailures = byDimension(counts, BUSINESS_METRIC.calculateCostFailed);
  const failureTotal = costFailures.reduce((sum, [, n]) => sum + n, 0);
  const latency = report.measurements[BUSINESS_MEASUREMENT.calculateCostLatency];
  const rows: [string, string][] = [
    ["confirmations received", String(count(BUSINESS_METRIC.confirmationReceived))],
    ["outcomes", outcomes.length ? outcomes.join(", ") : "none"],
    [
      "emails",
      `sent ${count(BUSINESS_METRIC.emailSent)}, refused ${count(BUSINESS_METRIC.emailRefused)}, skipped ${count(BUSINESS_METRIC.emailSkipped)}`,
    ],
    [
      "email events",
      `bounced ${count(BUSINESS_METRIC.emailBounced)}, complained ${count(BUSINESS_METRIC.emailComplained)}, suppressed ${count(BUSINESS_METRIC.emailSuppressed)}`,
    ],
    [
      "uncertain emails",
      `${count(BUSINESS_METRIC.emailUncertain)} awaiting proof, ${count(BUSINESS_METRIC.uncertainEmailResolved)} proved sent by SES, ${count(BUSINESS_METRIC.emailResentBySweep)} sent by the sweep`,
    ],
    ["uncertain, for a person", String(count(BUSINESS_METRIC.notificationUncertain))],
    ["SNS published", String(count(BUSINESS_METRIC.snsPublished))],
    ["redeliveries recognised", String(count(BUSINESS_METRIC.redeliveryRecognised))],
    [
      "calculate-cost",
      `${plural(latency?.count ?? 0, "call")}, ${plural(failureTotal, "failure")}${
        failureTotal ? ` (${costFailures.map(([kind, n]) => `${kind} ${n}`).join(", ")})` : ""
      }${latencyText(latency)}`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    `business metrics since start (${report.since})`,
    ...rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`),
  ];
}

/** Where the business metrics are on AWS: the line `payment3 status` prints without a local endpoint. */
export function cloudWatchMetricsLine(stage: string): string {
  return `business metrics: in CloudWatch, namespace ${BUSINESS_METRICS_NAMESPACE} (dimensions service, stage ${stage}), dashboard ${defaultResourceNames(stage).opsDashboardName}`;
}
