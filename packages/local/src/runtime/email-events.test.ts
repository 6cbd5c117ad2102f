import { SendEmailCommand } from "@aws-sdk/client-ses";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  BUSINESS_METRIC,
  createAwsClients,
  createBusinessMetricsCounter,
  createEventBridgePublisher,
  createNotificationClients,
  emailLogTagOf,
  publishWalletPaymentConfirmed,
  type NotificationKey,
} from "@payment3/core";
import type { EmailFate } from "@payment3/aws-local";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "./provision";

let stack: LocalStack;
let rows = 0;
let orders = 0;
const metrics = createBusinessMetricsCounter();
const config = () => localConfig(stack, { BRANCH: "email-events" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });

beforeAll(async () => {
  stack = await startLocalStack({
    eventBridge: { retryBaseDelayMs: 2, retryMaxDelayMs: 20, logger: { warn() {} } },
    lambdaAsync: { retryDelaysMs: [2, 4], logger: { warn() {} } },
  });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }), metrics);
});
afterAll(async () => {
  await stack?.close();
});

/** An email-log row as the notifier leaves one whose SES call got no answer. */
async function uncertainRow(): Promise<NotificationKey> {
  rows += 1;
  const key = { orderId: `ee-${rows}`, notificationKey: `wallet:ee-${rows}#OrderPaid` };
  await clients().documentClient.send(
    new PutCommand({
      TableName: config().emailLogTableName,
      Item: { ...key, status: "uncertain", emailResult: "uncertain", snsResult: "sent", template: "paid" },
    }),
  );
  return key;
}

/** Sends the customer email of `key` as the notifier does: the stage's configuration set and the email-log tag. */
async function sendTagged(key: NotificationKey, to: string, configurationSetName = config().emailConfigurationSetName) {
  const { ses } = createNotificationClients({ region: "ap-southeast-1", endpoint: stack.url });
  const sent = await ses.send(
    new SendEmailCommand({
      Source: config().senderEmail,
      Destination: { ToAddresses: [to] },
      Message: { Subject: { Data: `Payment received #${key.orderId}` }, Body: { Text: { Data: "paid" } } },
      ConfigurationSetName: configurationSetName,
      Tags: [emailLogTagOf(key)!],
    }),
  );
  await stack.ses.emailEventsSettled();
  await stack.eventBridge.whenIdle();
  return sent.MessageId!;
}

async function readRow(key: NotificationKey) {
  return (await clients().documentClient.send(new GetCommand({ TableName: config().emailLogTableName, Key: key })))
    .Item;
}

describe("the email-events subscriber on the local default bus", () => {
  it("turns an uncertain email sent once into sent, with its SES message id and delivery time", async () => {
    // Prepare
    const key = await uncertainRow();

    // Act
    const messageId = await sendTagged(key, "buyer@example.com");

    // Assert
    expect(await readRow(key)).toMatchObject({
      status: "sent",
      emailResult: "sent",
      messageId,
      sesMessageId: messageId,
      emailResolvedBy: "ses-event",
      sesSentAt: expect.any(String),
      sesDeliveredAt: expect.any(String),
    });
  });

  it("records a bounce from the mailbox simulator and suppresses the address", async () => {
    // Prepare
    const key = await uncertainRow();

    // Act
    await sendTagged(key, "bounce@simulator.amazonses.com");
    const suppressed = await clients().documentClient.send(
      new GetCommand({
        TableName: config().emailSuppressionTableName,
        Key: { address: "bounce@simulator.amazonses.com" },
      }),
    );

    // Assert
    expect(await readRow(key)).toMatchObject({ sesBouncedAt: expect.any(String), sesBounceType: "Permanent/General" });
    expect(suppressed.Item).toMatchObject({ reason: "bounce", orderId: key.orderId });
  });

  it("does not route an email without the email-log tag to the subscriber", async () => {
    // Prepare
    const { ses } = createNotificationClients({ region: "ap-southeast-1", endpoint: stack.url });
    const ruleDeliveries = () => stack.eventBridge.getStatistics().deliveries;
    const before = JSON.stringify(ruleDeliveries());

    // Act
    await ses.send(
      new SendEmailCommand({
        Source: config().senderEmail,
        Destination: { ToAddresses: ["complaint@simulator.amazonses.com"] },
        Message: { Subject: { Data: "Newsletter" }, Body: { Text: { Data: "hello" } } },
        ConfigurationSetName: config().emailConfigurationSetName,
      }),
    );
    await stack.ses.emailEventsSettled();
    await stack.eventBridge.whenIdle();

    // Assert
    expect(JSON.stringify(ruleDeliveries())).toBe(before);
    const suppressed = await clients().documentClient.send(
      new GetCommand({
        TableName: config().emailSuppressionTableName,
        Key: { address: "complaint@simulator.amazonses.com" },
      }),
    );
    expect(suppressed.Item).toBeUndefined();
  });
});

/** Pays a fresh order of `email` through the whole flow and waits until its email's SES events are recorded. */
async function payOrder(email: string): Promise<string> {
  orders += 1;
  const orderId = `sup-${orders}`;
  const { documentClient, eventBridge } = clients();
  await documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: {
        orderId,
        customer: { name: "Somchai", email, locale: "th" },
        items: [{ name: "Thai tea", quantity: 2, unitPrice: 150 }],
      },
    }),
  );
  await publishWalletPaymentConfirmed(
    { orderId, paymentId: `pay-${orderId}`, success: true, amount: 300 },
    { publisher: createEventBridgePublisher({ client: eventBridge }), eventBusName: config().eventBusName },
  );
  // The email's SES events follow the send; a report that beats the notifier's last write is retried.
  for (let round = 0; round < 5; round += 1) {
    await stack.eventBridge.whenIdle();
    await stack.ses.emailEventsSettled();
  }
  return orderId;
}

async function emailRowOf(orderId: string): Promise<Record<string, unknown>> {
  const answer = await clients().documentClient.send(
    new QueryCommand({
      TableName: config().emailLogTableName,
      KeyConditionExpression: "orderId = :orderId",
      ExpressionAttributeValues: { ":orderId": orderId },
    }),
  );
  expect(answer.Items, `email-log rows of ${orderId}`).toHaveLength(1);
  return answer.Items![0]!;
}

async function delivered(messageId: unknown): Promise<boolean> {
  return (await stack.ses.listSentEmails()).some((email) => email.messageId === messageId);
}

async function inOurTable(address: string) {
  return (
    await clients().documentClient.send(
      new GetCommand({ TableName: config().emailSuppressionTableName, Key: { address } }),
    )
  ).Item;
}

describe("suppressed addresses, end to end", () => {
  it.each([
    ["hard-bounced", "bounced", "BOUNCE", "bounce"],
    ["complained", "complained", "COMPLAINT", "complaint"],
  ] as const)(
    "does not deliver a later order's email to a %s address: the row is suppressed and counted",
    async (label, fate: EmailFate, sesReason, ourReason) => {
      // Prepare
      const address = `${label}-customer@example.com`;
      stack.ses.planEmailFate([address], fate);
      const firstOrder = await payOrder(address);
      stack.ses.clearFaults();
      const suppressedBefore = metrics.counts()[BUSINESS_METRIC.emailSuppressed] ?? 0;

      // Act
      const laterOrder = await payOrder(address);

      // Assert
      expect(stack.ses.suppressionList.find(address)).toMatchObject({ Reason: sesReason });
      expect(await inOurTable(address)).toMatchObject({ reason: ourReason, orderId: firstOrder });
      const later = await emailRowOf(laterOrder);
      expect(later).toMatchObject({
        status: "suppressed",
        emailResult: "suppressed",
        sesBounceType: "Permanent/OnAccountSuppressionList",
        emailSuppressedAt: expect.any(String),
      });
      expect(await delivered(later.messageId)).toBe(false);
      expect(await delivered((await emailRowOf(firstOrder)).messageId)).toBe(true);
      expect(metrics.counts()[BUSINESS_METRIC.emailSuppressed]).toBe(suppressedBefore + 1);
    },
  );

  it("keeps delivering to an address that only soft-bounced", async () => {
    // Prepare
    const address = "full-mailbox@example.com";
    stack.ses.planEmailFate([address], "soft-bounced");
    await payOrder(address);
    stack.ses.clearFaults();

    // Act
    const laterOrder = await payOrder(address);

    // Assert
    expect(stack.ses.suppressionList.find(address)).toBeUndefined();
    expect(await inOurTable(address)).toBeUndefined();
    const later = await emailRowOf(laterOrder);
    expect(later).toMatchObject({ status: "sent", emailResult: "sent", sesDeliveredAt: expect.any(String) });
    expect(await delivered(later.messageId)).toBe(true);
  });
});
