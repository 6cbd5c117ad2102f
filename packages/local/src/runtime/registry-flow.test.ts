import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { localFunctionArn } from "../lambda/lambda-context";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "./provision";

let stack: LocalStack;
const config = () => localConfig(stack, { BRANCH: "flow" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
const observed: unknown[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 5, logger: { warn() {} } } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  // A second rule, unknown to the processor, listening for OrderPaid.
  stack.functions.set("observer", (event) => { observed.push(event); });
  await clients().eventBridge.send(new PutRuleCommand({ Name: "observer", EventBusName: config().eventBusName, EventPattern: JSON.stringify({ "detail-type": ["OrderPaid"] }) }));
  await clients().eventBridge.send(new PutTargetsCommand({ Rule: "observer", EventBusName: config().eventBusName, Targets: [{ Id: "observer", Arn: localFunctionArn("observer") }] }));
  await clients().documentClient.send(new PutCommand({ TableName: config().orderTableName, Item: { orderId: "700", items: [{ quantity: 3, unitPrice: 100 }] } }));
});
afterAll(async () => {
  await stack?.close();
});

describe("the flow on the local bus, built from the subscription registry", () => {
  it("routes WalletPaymentConfirmed to the processor by rule, and its OrderPaid reaches the other rules' targets", async () => {
    const publisher = createEventBridgePublisher({ client: clients().eventBridge });

    const confirmation = await publishWalletPaymentConfirmed({ orderId: "700", paymentId: "p-700", success: true, amount: 300 }, { publisher, eventBusName: config().eventBusName });
    await stack.eventBridge.whenIdle();

    expect(observed).toEqual([expect.objectContaining({ "detail-type": "OrderPaid", detail: expect.objectContaining({ orderId: "700", confirmationEventId: confirmation.eventId }) })]);
    const audit = await clients().documentClient.send(new QueryCommand({ TableName: config().processPaidOrderTableName, KeyConditionExpression: "orderId = :o", ExpressionAttributeValues: { ":o": "700" } }));
    expect(audit.Items).toEqual([expect.objectContaining({ is_error: false, paymentId: "p-700", idempotencyKey: "700:p-700:OrderPaid" })]);
    expect(stack.eventBridge.deadLetters.size).toBe(0);
  });

  it("lets no other source trigger a payment: a confirmation from elsewhere matches no rule", async () => {
    const before = stack.eventBridge.getStatistics().deliveries;

    const result = await clients().eventBridge.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: config().eventBusName, Source: "someone.else", DetailType: "WalletPaymentConfirmed", Detail: JSON.stringify({ orderId: "700", paymentId: "evil", success: true, amount: 0 }) }],
      }),
    );
    await stack.eventBridge.whenIdle();

    expect(result.FailedEntryCount).toBe(0);
    expect(stack.eventBridge.getStatistics().deliveries).toEqual(before);
  });
});
