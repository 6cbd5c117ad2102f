import { SendEmailCommand } from "@aws-sdk/client-ses";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createNotificationClients, emailLogTagOf, type NotificationKey } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localConfig } from "./local-runtime";
import { startLocalStack, type LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "./provision";

let stack: LocalStack;
let rows = 0;
const config = () => localConfig(stack, { BRANCH: "email-events" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 2, retryMaxDelayMs: 20, logger: { warn() {} } } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
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
