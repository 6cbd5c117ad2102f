import { describe, expect, it } from "vitest";
import { BUSINESS_MEASUREMENT, BUSINESS_METRIC, createBusinessMetricsCounter } from "./business-metrics";

describe("in-memory business metrics counter", () => {
  it("counts by name and dimensions, and keeps the time it started", () => {
    const since = new Date("2026-12-03T08:00:00.000Z");
    const metrics = createBusinessMetricsCounter(() => since);

    metrics.count(BUSINESS_METRIC.orderPaid);
    metrics.count(BUSINESS_METRIC.orderPaid);
    metrics.count(BUSINESS_METRIC.orderPaymentFailed, { reason: "PAYMENT_DECLINED" });

    expect(metrics.since).toEqual(since);
    expect(metrics.counts()).toEqual({ OrderPaid: 2, "OrderPaymentFailed reason=PAYMENT_DECLINED": 1 });
  });

  it("summarises a measurement's data points: count, mean, median and max", () => {
    const metrics = createBusinessMetricsCounter();

    for (const value of [30, 10, 200, 20])
      metrics.record(BUSINESS_MEASUREMENT.calculateCostLatency, value, "Milliseconds");

    expect(metrics.measurements()).toEqual({
      CalculateCostLatency: { unit: "Milliseconds", count: 4, mean: 65, p50: 20, max: 200 },
    });
  });
});
