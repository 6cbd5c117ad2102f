import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  createAwsClients,
  createEventBridgePublisher,
  publishWalletPaymentConfirmed,
  readAuditRow,
} from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "./provision";
import { localFunctionArn } from "@payment3/aws-local";

let stack: LocalStack;
const config = () => localConfig(stack, { BRANCH: "flow" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
const observed: unknown[] = [];

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 5, logger: { warn() {} } } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  // A second rule, unknown to the processor, listening for OrderPaid.
  stack.functions.set("observer", (event) => {
    observed.push(event);
  });
  await clients().eventBridge.send(
    new PutRuleCommand({
      Name: "observer",
      EventBusName: config().eventBusName,
      EventPattern: JSON.stringify({ "detail-type": ["OrderPaid"] }),
    }),
  );
  await clients().eventBridge.send(
    new PutTargetsCommand({
      Rule: "observer",
      EventBusName: config().eventBusName,
      Targets: [{ Id: "observer", Arn: localFunctionArn("observer") }],
    }),
  );
  await clients().documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId: "700", items: [{ quantity: 3, unitPrice: 100 }] },
    }),
  );
});
afterAll(async () => {
  await stack?.close();
});

describe("the flow on the local bus, built from the subscription registry", () => {
  it("routes WalletPaymentConfirmed to the processor by rule, and its OrderPaid reaches the other rules' targets", async () => {
    const publisher = createEventBridgePublisher({ client: clients().eventBridge });

    const confirmation = await publishWalletPaymentConfirmed(
      { orderId: "700", paymentId: "p-700", success: true, amount: 300 },
      { publisher, eventBusName: config().eventBusName },
    );
    await stack.eventBridge.whenIdle();

    expect(observed).toEqual([
      expect.objectContaining({
        "detail-type": "OrderPaid",
        detail: expect.objectContaining({ orderId: "700", confirmationEventId: confirmation.eventId }),
      }),
    ]);
    const audit = await clients().documentClient.send(
      new QueryCommand({
        TableName: config().auditLogTableName,
        KeyConditionExpression: "orderId = :o",
        ExpressionAttributeValues: { ":o": "700" },
      }),
    );
    expect(audit.Items).toEqual([
      expect.objectContaining({
        is_error: false,
        paymentId: "p-700",
        idempotencyKey: "700:p-700:OrderPaid",
        created_at: expect.any(Number),
      }),
    ]);
    expect(readAuditRow(audit.Items![0]!).data).toMatchObject({ orderId: "700", grandTotal: 300 });
    expect(stack.eventBridge.deadLetters.size).toBe(0);
  });

  it("answers a confirmation for an order the QR flow already paid with ALREADY_PAID: its payment untouched byte for byte, an error audit row, no email", async () => {
    const qrPayment = {
      paymentId: "qr_20261129_0042",
      isPaid: true,
      paymentMethod: "qr",
      totalPaid: 690,
      paidDate: 1795940000,
      slip: { bank: "SCB", ref: "A-1" },
    };
    await clients().documentClient.send(
      new PutCommand({
        TableName: config().orderTableName,
        Item: {
          orderId: "701",
          customer: { email: "niran@example.com", locale: "th" },
          items: [{ quantity: 1, unitPrice: 690 }],
          payment: qrPayment,
        },
      }),
    );
    const rawPayment = async () =>
      (
        await stack.dynamoDb.send(
          new GetItemCommand({
            TableName: config().orderTableName,
            Key: { orderId: { S: "701" } },
            ConsistentRead: true,
          }),
        )
      ).Item?.payment;
    const before = await rawPayment();
    const publisher = createEventBridgePublisher({ client: clients().eventBridge });

    await publishWalletPaymentConfirmed(
      { orderId: "701", paymentId: "pay_wallet_late", success: true, amount: 690 },
      { publisher, eventBusName: config().eventBusName },
    );
    await stack.eventBridge.whenIdle();

    expect(await rawPayment()).toEqual(before);
    const byOrder = (table: string) =>
      clients().documentClient.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "orderId = :o",
          ExpressionAttributeValues: { ":o": "701" },
        }),
      );
    expect((await byOrder(config().auditLogTableName)).Items).toEqual([
      expect.objectContaining({ is_error: true, reason: "ALREADY_PAID", paymentId: "pay_wallet_late" }),
    ]);
    expect((await byOrder(config().emailLogTableName)).Items).toEqual([]);
    expect(stack.eventBridge.deadLetters.size).toBe(0);
  });

  it("lets no other source trigger a payment: a confirmation from elsewhere matches no rule", async () => {
    const before = stack.eventBridge.getStatistics().deliveries;

    const result = await clients().eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: config().eventBusName,
            Source: "someone.else",
            DetailType: "WalletPaymentConfirmed",
            Detail: JSON.stringify({ orderId: "700", paymentId: "evil", success: true, amount: 0 }),
          },
        ],
      }),
    );
    await stack.eventBridge.whenIdle();

    expect(result.FailedEntryCount).toBe(0);
    expect(stack.eventBridge.getStatistics().deliveries).toEqual(before);
  });

  it("with AUDIT_CREATED_AT_FORMAT=iso-8601, creates the audit table with a String created_at and writes ISO 8601 times into it", async () => {
    const iso = localConfig(stack, { BRANCH: "flow-iso", AUDIT_CREATED_AT_FORMAT: "iso-8601" });
    await provisionLocalResources(stack, iso);
    await registerSubscriptions(stack, iso, SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
    await clients().documentClient.send(
      new PutCommand({
        TableName: iso.orderTableName,
        Item: { orderId: "701", items: [{ quantity: 3, unitPrice: 100 }] },
      }),
    );
    const publisher = createEventBridgePublisher({ client: clients().eventBridge });

    await publishWalletPaymentConfirmed(
      { orderId: "701", paymentId: "p-701", success: true, amount: 300 },
      { publisher, eventBusName: iso.eventBusName },
    );
    await stack.eventBridge.whenIdle();

    const table = await stack.dynamoDb.send(new DescribeTableCommand({ TableName: iso.auditLogTableName }));
    expect(table.Table?.AttributeDefinitions).toContainEqual({ AttributeName: "created_at", AttributeType: "S" });
    const audit = await clients().documentClient.send(
      new QueryCommand({
        TableName: iso.auditLogTableName,
        KeyConditionExpression: "orderId = :o",
        ExpressionAttributeValues: { ":o": "701" },
      }),
    );
    expect(audit.Items).toEqual([
      expect.objectContaining({
        is_error: false,
        idempotencyKey: "701:p-701:OrderPaid",
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      }),
    ]);
    expect(readAuditRow(audit.Items![0]!)).toMatchObject({
      createdAtMillis: Date.parse(audit.Items![0]!.created_at),
      data: { orderId: "701", grandTotal: 300 },
    });
  });
});
