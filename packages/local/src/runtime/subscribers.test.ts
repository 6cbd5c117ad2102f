import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  calculateCostStandIn,
  createAwsClients,
  createEventBridgePublisher,
  publishWalletPaymentConfirmed,
  readAuditRow,
} from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, subscriptionResourceNames, registerSubscriptions } from "./provision";

let stack: LocalStack;
const config = () => localConfig(stack, { BRANCH: "subs" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });

beforeAll(async () => {
  stack = await startLocalStack({
    eventBridge: { retryBaseDelayMs: 2, retryMaxDelayMs: 20, logger: { warn() {} } },
    lambdaAsync: { retryDelaysMs: [2, 4], logger: { warn() {} } },
  });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
});
afterAll(async () => {
  await stack?.close();
});

async function seedOrder(
  orderId: string,
  customer: Record<string, unknown> = { name: "Somchai", email: `buyer-${orderId}@example.com`, locale: "th" },
) {
  await clients().documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId, customer, items: [{ name: "Thai tea", quantity: 2, unitPrice: 150 }] },
    }),
  );
}

async function confirm(orderId: string, paymentId: string, success = true, amount = 300) {
  const publisher = createEventBridgePublisher({ client: clients().eventBridge });
  await publishWalletPaymentConfirmed(
    { orderId, paymentId, success, amount },
    { publisher, eventBusName: config().eventBusName },
  );
  await stack.eventBridge.whenIdle();
}

async function query(table: string, orderId: string) {
  const result = await clients().documentClient.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
    }),
  );
  return result.Items ?? [];
}

/** Everything the subscribers left for an order: audit rows, emails, SNS messages, email-log rows. */
async function effectsFor(orderId: string) {
  const emails = (await stack.ses.listSentEmails()).filter((mail) => mail.subject.includes(`#${orderId}`));
  const messages = stack.sns
    .listPublishedMessages(config().paymentNotificationsTopicArn)
    .filter((m) => JSON.parse(m.message).orderId === orderId);
  return {
    audit: await query(config().auditLogTableName, orderId),
    emails,
    messages,
    emailLog: await query(config().emailLogTableName, orderId),
  };
}

const outcomesOnBus = (orderId: string) =>
  stack.eventBridge
    .listAcceptedEvents(config().eventBusName)
    .map((a) => a.event)
    .filter((e) => e.source === "payment3.processor" && (e.detail as { orderId?: string }).orderId === orderId);

describe("subscribers on the local bus", () => {
  it("a paid order gets one audit row, one email, one SNS message and one email-log row", async () => {
    await seedOrder("800");

    await confirm("800", "p-800");

    const effects = await effectsFor("800");
    expect(effects.audit).toEqual([
      expect.objectContaining({ is_error: false, idempotencyKey: "800:p-800:OrderPaid", data: expect.any(String) }),
    ]);
    expect(readAuditRow(effects.audit[0]!).data).toMatchObject({
      orderId: "800",
      grandTotal: 300,
      items: [expect.objectContaining({ name: "Thai tea" })],
    });
    expect(effects.emails).toEqual([
      expect.objectContaining({ to: ["buyer-800@example.com"], subject: "ชำระเงินสำเร็จ คำสั่งซื้อ #800" }),
    ]);
    expect(effects.emails[0]?.text).toContain("Thai tea x 2");
    expect(effects.messages).toEqual([
      expect.objectContaining({
        attributes: {
          eventType: { dataType: "String", stringValue: "OrderPaid" },
          orderId: { dataType: "String", stringValue: "800" },
        },
      }),
    ]);
    expect(effects.emailLog).toEqual([
      expect.objectContaining({
        status: "sent",
        template: "paid",
        recipient: "buyer-800@example.com",
        messageId: expect.any(String),
      }),
    ]);
  });

  it("a declined payment gets the declined email, in English for an English order", async () => {
    await seedOrder("801", { name: "Jane", email: "jane-801@example.com", locale: "en" });

    await confirm("801", "p-801", false);

    const effects = await effectsFor("801");
    // A declined payment is not an error: its row holds the order, as the legacy function's did.
    expect(effects.audit).toEqual([
      expect.objectContaining({ is_error: false, reason: "PAYMENT_DECLINED", data: expect.any(String) }),
    ]);
    // The recalculated order: calculate-cost's fields and the basketName / orderDate the legacy function set on them.
    expect(JSON.parse(effects.audit[0]!.data as string)).toMatchObject({
      orderId: "801",
      items: [expect.objectContaining({ name: "Thai tea" })],
      grandTotal: expect.any(Number),
      subtotal: expect.any(Number),
      basketName: "801",
      orderDate: expect.any(Number),
    });
    expect(effects.emails).toEqual([expect.objectContaining({ subject: "Payment declined for order #801" })]);
    expect(effects.messages).toHaveLength(1);
    expect(effects.emailLog).toEqual([expect.objectContaining({ status: "sent", template: "declined" })]);
  });

  it("a retryable failure writes an is_error audit row per attempt and sends nothing to the customer", async () => {
    await seedOrder("802");
    stack.functions.set(config().calculateCostFunction, (payload) =>
      (payload as { orderId?: string }).orderId === "802"
        ? { statusCode: 503, body: "busy" }
        : calculateCostStandIn(payload),
    );
    try {
      await confirm("802", "p-802");
    } finally {
      stack.functions.set(config().calculateCostFunction, calculateCostStandIn);
    }

    const effects = await effectsFor("802");
    expect(effects.audit.length).toBeGreaterThanOrEqual(1);
    expect(effects.audit.every((row) => row.is_error === true && row.reason === "COST_CALCULATION_FAILED")).toBe(true);
    expect(new Set(effects.audit.map((row) => row.idempotencyKey)).size).toBe(effects.audit.length);
    expect(effects.emails).toEqual([]);
    expect(effects.messages).toEqual([]);
    // A function error: Lambda's retries, then the processor's on-failure store (not the rule's dead letters).
    const { functionName } = subscriptionResourceNames(config(), { name: "processor" });
    const processorFailures = stack.lambdaAsync.listFailures({ functionName });
    expect(processorFailures.map((failure) => failure.record.responsePayload.errorMessage)).toEqual([
      expect.stringContaining("statusCode 503"),
    ]);
    expect(processorFailures[0]!.record.requestContext.approximateInvokeCount).toBe(3);
    expect(stack.eventBridge.listDeadLetters()).toEqual([]);
  });

  it("an outcome delivered three more times, concurrently, still has one of each effect", async () => {
    await seedOrder("803");
    await confirm("803", "p-803");
    const [paid] = outcomesOnBus("803");

    const entry = {
      EventBusName: config().eventBusName,
      Source: paid!.source,
      DetailType: paid!["detail-type"],
      Detail: JSON.stringify(paid!.detail),
    };
    await Promise.all([1, 2, 3].map(() => clients().eventBridge.send(new PutEventsCommand({ Entries: [entry] }))));
    await stack.eventBridge.whenIdle();

    const effects = await effectsFor("803");
    expect(outcomesOnBus("803")).toHaveLength(4);
    expect([effects.audit.length, effects.emails.length, effects.messages.length, effects.emailLog.length]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it("an order without a customer email gets no email, a warning, and still an SNS message", async () => {
    await seedOrder("804", { name: "No Mail", locale: "th" });

    await confirm("804", "p-804");

    const effects = await effectsFor("804");
    expect(effects.emails).toEqual([]);
    expect(effects.messages).toHaveLength(1);
    expect(effects.emailLog).toEqual([expect.objectContaining({ status: "skipped", recipient: null })]);
  });

  it("SES refusing the address is logged as failed and does not block the audit row", async () => {
    await seedOrder("805", { name: "Bounce", email: "unverified-805@example.com" });
    stack.ses.rejectRecipients(["unverified-805@example.com"]);
    try {
      await confirm("805", "p-805");
    } finally {
      stack.ses.rejectRecipients([]);
    }

    const effects = await effectsFor("805");
    expect(effects.audit).toEqual([expect.objectContaining({ is_error: false })]);
    expect(effects.emailLog).toEqual([
      expect.objectContaining({ status: "failed", emailError: expect.stringContaining("MessageRejected") }),
    ]);
    expect(effects.messages).toHaveLength(1);
  });

  it("an outcome with a missing field goes to each subscriber's on-failure store with the validation error", async () => {
    const before = stack.lambdaAsync.listFailures().length;
    const [paid] = outcomesOnBus("800");
    const { idempotencyKey: _dropped, ...broken } = paid!.detail as Record<string, unknown>;

    await clients().eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: config().eventBusName,
            Source: "payment3.processor",
            DetailType: "OrderPaid",
            Detail: JSON.stringify({ ...broken, orderId: "806" }),
          },
        ],
      }),
    );
    await stack.eventBridge.whenIdle();

    const failures = stack.lambdaAsync.listFailures().slice(before);
    expect(failures.map((failure) => failure.functionName).sort()).toEqual(
      ["audit-log", "notifications"].map((name) => subscriptionResourceNames(config(), { name }).functionName),
    );
    for (const failure of failures)
      expect(failure.record.responsePayload.errorMessage).toContain("detail.idempotencyKey is required");
    expect(await effectsFor("806")).toMatchObject({ audit: [], emails: [], messages: [], emailLog: [] });
  });
});
