import { LambdaClient } from "@aws-sdk/client-lambda";
import {
  createLambdaInvokeService,
  startLocalEndpoint,
  type LocalEndpoint,
  type LocalFunction,
} from "@payment3/aws-local";
import { calculateCostStandIn } from "./calculate-cost-stand-in";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBusinessMetricsCounter } from "../metrics/business-metrics";
import { CostCalculationError, createLambdaCostCalculator } from "./cost-calculator";

const order = {
  orderId: "492500005643",
  items: [
    { sku: "A", quantity: 2, unitPrice: 120 },
    { sku: "B", quantity: 1, unitPrice: 90 },
  ],
  shipping: 20,
  discounts: [{ code: "X", amount: 50 }],
};
const received: unknown[] = [];

const functions = new Map<string, LocalFunction>([
  [
    "calculate-cost-3-master",
    (payload) => {
      received.push(payload);
      return calculateCostStandIn(payload);
    },
  ],
  [
    "crashes",
    () => {
      throw new TypeError("Cannot read properties of undefined (reading 'items')");
    },
  ],
  ["answers-500", () => ({ statusCode: 500, body: JSON.stringify({ message: "database timeout" }) })],
  ["answers-garbage", () => ({ statusCode: 200, body: "<html>oops</html>" })],
]);

let endpoint: LocalEndpoint;
let lambda: LambdaClient;

beforeAll(async () => {
  endpoint = await startLocalEndpoint({ services: [createLambdaInvokeService(functions)] });
  lambda = new LambdaClient({ endpoint: endpoint.url, region: "ap-southeast-1", maxAttempts: 1 });
});
afterAll(async () => {
  lambda.destroy();
  await endpoint.close();
});

const calculatorFor = (functionName: string) => createLambdaCostCalculator({ lambda, functionName });

describe("Lambda cost calculator", () => {
  it("sends the order exactly as stored and returns the priced order under our order id", async () => {
    const stored = { ...order, basketName: "cart-17", orderDate: 1_700_000_000, customer: { email: "a@example.com" } };

    const recalculated = await calculatorFor("calculate-cost-3-master").recalculate(stored);

    // The legacy function set basketName and orderDate on the result, never on the request.
    expect(received.at(-1)).toEqual(stored);
    expect(recalculated).toMatchObject({
      orderId: "492500005643",
      subtotal: 330,
      shipping: 20,
      discount: 50,
      grandTotal: 300,
    });
    // The stand-in, like the real function, does not echo what it does not compute.
    expect(recalculated).not.toHaveProperty("customer");
    expect(recalculated).not.toHaveProperty("basketName");
  });

  it.each([
    ["crashes", /calculate-cost function crashes raised Unhandled: .*Cannot read properties of undefined/],
    ["answers-500", /calculate-cost function answers-500 returned statusCode 500 with body .*database timeout/],
    [
      "answers-garbage",
      /calculate-cost function answers-garbage returned a body that is not an order object: "<html>oops<\/html>"/,
    ],
    ["does-not-exist", /calculate-cost function does-not-exist could not be invoked: ResourceNotFoundException/],
  ])(
    "turns a failure of %s into a transient CostCalculationError naming the function and the answer",
    async (functionName, message) => {
      const attempt = calculatorFor(functionName).recalculate(order);

      await expect(attempt).rejects.toBeInstanceOf(CostCalculationError);
      await expect(attempt).rejects.toThrow(message);
    },
  );

  it("reports a 400 from calculate-cost for an order it cannot price", async () => {
    const attempt = calculatorFor("calculate-cost-3-master").recalculate({
      orderId: "1",
      items: [{ quantity: 0, unitPrice: 1 }],
    });

    await expect(attempt).rejects.toThrow(
      /returned statusCode 400 with body .*items\[0\]\.quantity must be a whole number > 0/,
    );
  });
});

describe("calculate-cost metrics", () => {
  /** A clock that advances `stepMs` each time it is read, so each call takes exactly `stepMs`. */
  const steppingClock = (stepMs: number) => {
    let now = 1_000;
    return () => {
      const read = now;
      now += stepMs;
      return read;
    };
  };

  it("records each call's latency in milliseconds and counts no failure when calculate-cost answers", async () => {
    const metrics = createBusinessMetricsCounter();
    const calculator = createLambdaCostCalculator({
      lambda,
      functionName: "calculate-cost-3-master",
      metrics,
      clock: steppingClock(42),
    });

    await calculator.recalculate(order);
    await calculator.recalculate(order);

    expect(metrics.measurements()).toEqual({
      CalculateCostLatency: { unit: "Milliseconds", count: 2, mean: 42, p50: 42, max: 42 },
    });
    expect(metrics.counts()).toEqual({});
  });

  it.each([
    ["does-not-exist", "INVOKE_FAILED"],
    ["crashes", "FUNCTION_ERROR"],
    ["answers-500", "ERROR_STATUS"],
    ["answers-garbage", "BAD_ANSWER"],
  ])(
    "counts a failure of %s as CalculateCostFailed kind=%s and still records its latency",
    async (functionName, kind) => {
      const metrics = createBusinessMetricsCounter();
      const calculator = createLambdaCostCalculator({ lambda, functionName, metrics, clock: steppingClock(7) });

      const attempt = calculator.recalculate(order);

      await expect(attempt).rejects.toMatchObject({ name: "CostCalculationError", kind });
      expect(metrics.counts()).toEqual({ [`CalculateCostFailed kind=${kind}`]: 1 });
      expect(metrics.measurements().CalculateCostLatency).toMatchObject({ count: 1, max: 7 });
    },
  );
});
