import { EventBridgeClient, PutEventsCommand, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients } from "@payment3/core";
import { BANK_APP_CALLBACK_SOURCE, PROCESSOR_SOURCE, WALLET_CALLBACK_SOURCE } from "@payment3/events";
import { processorSubscription, SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "../runtime/provision";
import type { LocalFunction } from "@payment3/aws-local";

/*
 * Only the callbacks can trigger a payment. On AWS the callbacks' IAM policy also pins the source
 * they may publish with (stacks/callback-policy.ts, tested in stacks/wallet-events-stack.test.ts,
 * "gives the callbacks a managed policy: PutEvents on this bus only, one statement per callback
 * source"); here: a confirmation with any other source matches no rule.
 */
const FORGED_SOURCES = [
  PROCESSOR_SOURCE,
  "evil.source",
  "payment3.wallet-callback.fake",
  "payment3.Wallet-Callback",
  "payment3",
];
const ORDER_ID = "6200001";

let stack: LocalStack;
const processorInputs: unknown[] = [];
const config = () => localConfig(stack, { BRANCH: "sources" });
let events: EventBridgeClient;

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 5, logger: { warn() {} } } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  const { functionName } = subscriptionResourceNames(config(), processorSubscription);
  const processor = stack.functions.get(functionName)!;
  stack.functions.set(functionName, ((input, context) => {
    processorInputs.push(input);
    return processor(input, context);
  }) as LocalFunction);
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId: ORDER_ID, items: [{ name: "Tea", quantity: 1, unitPrice: 300 }] },
    }),
  );
  events = new EventBridgeClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 });
});

afterAll(async () => {
  events?.destroy();
  await stack?.close();
});

const confirmation = (source: string, paymentId: string) => ({
  Source: source,
  DetailType: "WalletPaymentConfirmed",
  EventBusName: config().eventBusName,
  Detail: JSON.stringify({ orderId: ORDER_ID, paymentId, success: true, amount: 300 }),
});

describe("only the callback sources can trigger the processor", () => {
  it("a confirmation published with another source is accepted by the bus but matches no rule: no processor run, no outcome, the order unchanged", async () => {
    const before = stack.eventBridge.getStatistics().deliveries.delivered;

    const answer = await events.send(
      new PutEventsCommand({
        Entries: FORGED_SOURCES.map((source, index) => confirmation(source, `pay_forged_${index}`)),
      }),
    );
    await stack.eventBridge.whenIdle();

    const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
    const order = await documentClient.send(
      new GetCommand({ TableName: config().orderTableName, Key: { orderId: ORDER_ID } }),
    );
    expect(answer.FailedEntryCount).toBe(0);
    expect(processorInputs).toEqual([]);
    expect(stack.eventBridge.getStatistics().deliveries.delivered).toBe(before);
    expect(order.Item?.payment).toBeUndefined();
  });

  it("the processor rule's pattern, asked through TestEventPattern, matches the two callback sources only", async () => {
    const event = (source: string) =>
      JSON.stringify({
        id: "1",
        account: "000000000000",
        source,
        time: "2026-11-29T10:00:00Z",
        region: "ap-southeast-1",
        "detail-type": "WalletPaymentConfirmed",
        resources: [],
        detail: { orderId: ORDER_ID },
      });
    const matches = async (source: string) =>
      (
        await events.send(
          new TestEventPatternCommand({
            EventPattern: JSON.stringify(processorSubscription.eventPattern),
            Event: event(source),
          }),
        )
      ).Result;

    const results = await Promise.all(
      [WALLET_CALLBACK_SOURCE, BANK_APP_CALLBACK_SOURCE, ...FORGED_SOURCES].map(async (source) => [
        source,
        await matches(source),
      ]),
    );

    expect(Object.fromEntries(results)).toEqual({
      [WALLET_CALLBACK_SOURCE]: true,
      [BANK_APP_CALLBACK_SOURCE]: true,
      ...Object.fromEntries(FORGED_SOURCES.map((source) => [source, false])),
    });
  });

  it("the same confirmation from a callback source does reach the processor (the test above could have failed)", async () => {
    await events.send(new PutEventsCommand({ Entries: [confirmation(WALLET_CALLBACK_SOURCE, "pay_real")] }));
    await stack.eventBridge.whenIdle();

    expect(processorInputs).toHaveLength(1);
  });
});
