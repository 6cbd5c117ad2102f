import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  createAwsClients,
  createEventBridgePublisher,
  publishWalletPaymentConfirmed,
  type Config,
} from "@payment3/core";
import { SUBSCRIPTIONS, type Subscription } from "@payment3/functions";
import { OrderPaidContract, parseOrderOutcomeEvent, PROCESSOR_SOURCE, type OrderOutcomeEvent } from "@payment3/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "./provision";

const received: OrderOutcomeEvent[] = [];

/** A subscriber the processor has never heard of: one registry entry and one handler, nothing else. */
const loyaltyPoints: Subscription = {
  name: "loyalty-points",
  description: "Credits loyalty points for paid orders",
  eventPattern: { source: [PROCESSOR_SOURCE], "detail-type": [OrderPaidContract.detailType] },
  handler: "packages/functions/src/loyalty-points/handler.handler",
  timeoutSeconds: 10,
  retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
  deadLetterRetentionDays: 14,
  access: [],
  create: (_config: Config) => async (event: unknown) => {
    received.push(parseOrderOutcomeEvent(event));
  },
};

let stack: LocalStack;
const config = () => localConfig(stack, { BRANCH: "extra" });

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 2, logger: { warn() {} } } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), [...SUBSCRIPTIONS, loyaltyPoints], new Logger({ logLevel: "SILENT" }));
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId: "1000", items: [{ quantity: 1, unitPrice: 99 }] },
    }),
  );
});
afterAll(async () => {
  await stack?.close();
});

const repoRoot = join(fileURLToPath(import.meta.url), "../../../../..");
const sourcesOf = (dir: string) =>
  readdirSync(join(repoRoot, dir))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => readFileSync(join(repoRoot, dir, file), "utf8"))
    .join("\n");

describe("adding a subscriber", () => {
  it("receives OrderPaid from its own rule, with the registry's other entries untouched", async () => {
    const { eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });

    await publishWalletPaymentConfirmed(
      { orderId: "1000", paymentId: "p-1000", success: true, amount: 99 },
      { publisher: createEventBridgePublisher({ client: eventBridge }), eventBusName: config().eventBusName },
    );
    await stack.eventBridge.whenIdle();

    expect(received).toEqual([
      expect.objectContaining({
        "detail-type": "OrderPaid",
        detail: expect.objectContaining({ orderId: "1000", paymentId: "p-1000" }),
      }),
    ]);
    expect(stack.eventBridge.deadLetters.size).toBe(0);
  });

  it("needs no change to the processor: the processor's code names no subscriber", () => {
    const processorCode = sourcesOf("packages/core/src/payment") + sourcesOf("packages/functions/src/processor");

    for (const subscriber of [...SUBSCRIPTIONS.filter((s) => s.name !== "processor"), loyaltyPoints]) {
      expect(processorCode).not.toContain(subscriber.name);
    }
    expect(processorCode).not.toMatch(/subscriptions"/);
  });
});
