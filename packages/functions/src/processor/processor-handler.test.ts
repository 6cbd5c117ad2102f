import { CreateEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  ALARMED_BUSINESS_METRICS,
  calculateCostStandIn,
  createAwsClients,
  createProcessorDependencies,
  loadConfig,
  ORDER_TABLE_KEYS,
} from "@payment3/core";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { createProcessorHandler } from "./processor-handler";
import { processorSubscription } from "./processor-subscription";

let stack: AwsLocal;
const lines: Record<string, unknown>[] = [];

const context = {
  functionName: "payment3-test-processor",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:payment3-test-processor",
  memoryLimitInMB: "1024",
  awsRequestId: "req-1",
  getRemainingTimeInMillis: () => 200_000,
} as unknown as Context;

beforeAll(async () => {
  stack = await startAwsLocal({ functions: new Map([["calculate-cost-3-master", calculateCostStandIn]]) });
  await new EventBridgeClient({ endpoint: stack.url, region: "ap-southeast-1" }).send(
    new CreateEventBusCommand({ Name: "payment3-test" }),
  );
  await ensureTable(stack.dynamoDb, "order-table-dev", ORDER_TABLE_KEYS);
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await documentClient.send(
    new PutCommand({
      TableName: "order-table-dev",
      Item: { orderId: "492500005643", items: [{ quantity: 1, unitPrice: 300 }] },
    }),
  );
  await documentClient.send(
    new PutCommand({
      TableName: "order-table-dev",
      Item: { orderId: "492500005690", items: [{ quantity: 1, unitPrice: 300 }] },
    }),
  );
  // calculate-cost answers 400 for an order whose items it cannot price.
  await documentClient.send(
    new PutCommand({
      TableName: "order-table-dev",
      Item: { orderId: "492500005691", items: [{ quantity: 0, unitPrice: 300 }] },
    }),
  );
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.close();
});

function capturingLogger() {
  const capture = (chunk: unknown) => {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture);
  vi.spyOn(process.stderr, "write").mockImplementation(capture);
  return new Logger({ serviceName: "payment3-processor", logLevel: "DEBUG" });
}

describe("processor Lambda handler", () => {
  it("processes the example envelope and logs structured lines carrying eventId, orderId and paymentId", async () => {
    const logger = capturingLogger();
    const dependencies = createProcessorDependencies(loadConfig({ BRANCH: "test", AWS_ENDPOINT_URL: stack.url }), {
      logger,
    });
    const handler = createProcessorHandler(() => dependencies, logger);
    const event = readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json");

    const result = await handler(event, context);
    vi.restoreAllMocks();

    expect(result).toMatchObject({
      outcome: "OrderPaid",
      resolution: "applied",
      idempotencyKey: "492500005643:pay_wallet_abc123:OrderPaid",
    });
    const paidLine = lines.find((line) => line.message === "order paid");
    expect(paidLine).toMatchObject({
      level: "INFO",
      service: "payment3-processor",
      eventId: event.id,
      orderId: "492500005643",
      paymentId: "pay_wallet_abc123",
      function_request_id: "req-1",
    });
  });

  it("emits, for an ALREADY_PAID outcome, the EMF line the AlreadyPaid alarm watches: payment3 / OrderPaymentFailed, service, stage and reason", async () => {
    const logger = capturingLogger();
    const metrics = createEmfBusinessMetrics({ stage: "test", subscriptionName: "processor" });
    const dependencies = {
      ...createProcessorDependencies(loadConfig({ BRANCH: "test", AWS_ENDPOINT_URL: stack.url }), { logger }),
      metrics,
    };
    const handler = createProcessorHandler(() => dependencies, logger);
    const paid = readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json") as {
      id: string;
      detail: Record<string, unknown>;
    };
    const secondPayment = {
      ...paid,
      id: "5b6e2e0c-8f4a-4d6b-9a51-0c1d2e3f4a99",
      detail: { ...paid.detail, paymentId: "pay_wallet_second" },
    };
    await handler(paid, context);
    lines.length = 0;

    const result = await handler(secondPayment, context);
    vi.restoreAllMocks();

    expect(result).toMatchObject({
      outcome: "OrderPaymentFailed",
      idempotencyKey: "492500005643:pay_wallet_second:OrderPaymentFailed:ALREADY_PAID",
    });
    const alarm = ALARMED_BUSINESS_METRICS.find((entry) => entry.id === "AlreadyPaid")!;
    const emf = lines.filter((line) => "_aws" in line);
    expect(emf).toContainEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: "payment3",
            Dimensions: [["service", "stage", "reason"]],
            Metrics: [{ Name: alarm.name, Unit: "Count" }],
          },
        ],
      },
      service: "payment3-processor",
      stage: "test",
      reason: alarm.dimensions.reason,
      [alarm.name]: 1,
    });
    expect(
      emf.map((line) => Object.keys(line).find((key) => !["_aws", "service", "stage", "reason"].includes(key))),
    ).toEqual(["ConfirmationReceived", "OrderPaymentFailed"]);
  });

  /** The example confirmation for another order, with its own event and payment ids. */
  function confirmationFor(orderId: string) {
    const example = readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json") as {
      id: string;
      detail: Record<string, unknown>;
    };
    return { ...example, id: `evt-${orderId}`, detail: { ...example.detail, orderId, paymentId: `pay_${orderId}` } };
  }
  const measuredBy = (line: Record<string, unknown>) =>
    (line._aws as { CloudWatchMetrics: { Metrics: { Name: string; Unit: string }[] }[] }).CloudWatchMetrics[0]!.Metrics;

  it("emits, as the registry builds it, one CalculateCostLatency EMF line in Milliseconds per calculate-cost call", async () => {
    const logger = capturingLogger();
    const metrics = createEmfBusinessMetrics({ stage: "test", subscriptionName: "processor" });
    const handler = processorSubscription.create(
      loadConfig({ BRANCH: "test", AWS_ENDPOINT_URL: stack.url }),
      logger,
      metrics,
    );
    lines.length = 0;

    const result = await handler(confirmationFor("492500005690"), context);
    vi.restoreAllMocks();

    expect(result).toMatchObject({ outcome: "OrderPaid", resolution: "applied" });
    const latency = lines.filter((line) => "_aws" in line && "CalculateCostLatency" in line);
    expect(latency).toHaveLength(1);
    expect(measuredBy(latency[0]!)).toEqual([{ Name: "CalculateCostLatency", Unit: "Milliseconds" }]);
    expect(latency[0]).toMatchObject({ service: "payment3-processor", stage: "test" });
    expect(latency[0]!.CalculateCostLatency).toBeGreaterThanOrEqual(0);
  });

  it("emits CalculateCostFailed with its kind when calculate-cost refuses the order, then the retryable outcome", async () => {
    const logger = capturingLogger();
    const metrics = createEmfBusinessMetrics({ stage: "test", subscriptionName: "processor" });
    const handler = processorSubscription.create(
      loadConfig({ BRANCH: "test", AWS_ENDPOINT_URL: stack.url }),
      logger,
      metrics,
    );
    lines.length = 0;

    const attempt = handler(confirmationFor("492500005691"), context);
    await expect(attempt).rejects.toMatchObject({ name: "CostCalculationError", kind: "ERROR_STATUS" });
    vi.restoreAllMocks();

    const failed = lines.find((line) => "_aws" in line && "CalculateCostFailed" in line);
    expect(failed).toMatchObject({
      service: "payment3-processor",
      stage: "test",
      kind: "ERROR_STATUS",
      CalculateCostFailed: 1,
    });
    expect(measuredBy(failed!)).toEqual([{ Name: "CalculateCostFailed", Unit: "Count" }]);
    expect(lines.filter((line) => "_aws" in line).map((line) => Object.keys(line).at(-1))).toEqual([
      "ConfirmationReceived",
      "CalculateCostFailed",
      "CalculateCostLatency",
      "OrderPaymentFailed",
    ]);
  });
});
