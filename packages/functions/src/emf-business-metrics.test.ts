import { describe, expect, it } from "vitest";
import { createEmfBusinessMetrics } from "./emf-business-metrics";

describe("createEmfBusinessMetrics", () => {
  it("writes each count and measurement at once as one EMF line: namespace payment3, dimensions service, stage and the count's own, the value last", () => {
    // Prepare
    const lines: string[] = [];
    const metrics = createEmfBusinessMetrics({
      stage: "test",
      subscriptionName: "processor",
      write: (line) => lines.push(line),
      now: () => 1_796_000_000_000,
    });

    // Act
    metrics.count("OrderPaymentFailed", { reason: "ALREADY_PAID" });
    metrics.count("OrderPaid");
    metrics.record("CalculateCostLatency", 12.5, "Milliseconds");

    // Assert
    expect(lines.every((line) => line.endsWith("\n") && !line.slice(0, -1).includes("\n"))).toBe(true);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed[0]).toEqual({
      _aws: {
        Timestamp: 1_796_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: "payment3",
            Dimensions: [["service", "stage", "reason"]],
            Metrics: [{ Name: "OrderPaymentFailed", Unit: "Count" }],
          },
        ],
      },
      service: "payment3-processor",
      stage: "test",
      reason: "ALREADY_PAID",
      OrderPaymentFailed: 1,
    });
    expect(parsed[1]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Dimensions: [["service", "stage"]], Metrics: [{ Name: "OrderPaid", Unit: "Count" }] }],
      },
      OrderPaid: 1,
    });
    expect(parsed[2]).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: "CalculateCostLatency", Unit: "Milliseconds" }] }] },
      CalculateCostLatency: 12.5,
    });
    expect(parsed.map((line) => Object.keys(line).at(-1))).toEqual([
      "OrderPaymentFailed",
      "OrderPaid",
      "CalculateCostLatency",
    ]);
  });
});
