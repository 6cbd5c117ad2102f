import { CreateEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
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
import { createProcessorHandler } from "./processor-handler";

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
    const dependencies = createProcessorDependencies(
      loadConfig({ BRANCH: "test", AWS_ENDPOINT_URL: stack.url }),
      logger,
    );
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
});
