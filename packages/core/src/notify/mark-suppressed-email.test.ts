import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { emailEventsOf, ensureTable, startAwsLocal, type AwsLocal, type EmailFate } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../aws/aws-clients";
import { EMAIL_LOG_TABLE_KEYS, EMAIL_SUPPRESSION_TABLE_KEYS } from "../config/table-keys";
import { BUSINESS_METRIC, createBusinessMetricsCounter } from "../metrics/business-metrics";
import { emailLogTagOf } from "./email-log-tag";
import { createEmailSuppressions } from "./email-suppressions";
import { SuppressedEmailMarkingError } from "./mark-suppressed-email";
import type { NotificationKey } from "./notification-log";
import { recordEmailEvent, type EmailEventRecordingDependencies } from "./record-email-event";
import { parseSesEmailEvent, type EmailEvent } from "./ses-email-event";

const CONFIGURATION_SET = "payment3-test-email";
const emailLogTableName = "email-log-suppressed-test";
const suppressionTableName = "email-suppressions-suppressed-test";
let stack: AwsLocal;
let documentClient: DynamoDBDocumentClient;
let rows = 0;

beforeAll(async () => {
  stack = await startAwsLocal();
  await ensureTable(stack.dynamoDb, emailLogTableName, EMAIL_LOG_TABLE_KEYS);
  await ensureTable(stack.dynamoDb, suppressionTableName, EMAIL_SUPPRESSION_TABLE_KEYS);
  documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
});
afterAll(async () => {
  await stack?.close();
});

function deps(overrides: Partial<EmailEventRecordingDependencies> = {}): EmailEventRecordingDependencies {
  return {
    documentClient,
    emailLogTableName,
    configurationSetName: CONFIGURATION_SET,
    suppressions: createEmailSuppressions({ documentClient, tableName: suppressionTableName }),
    ...overrides,
  };
}

/** A fresh email-log row as the notifier leaves it after SES accepted the email, with `fields` on top. */
async function row(fields: Record<string, unknown> = {}): Promise<NotificationKey> {
  rows += 1;
  const key = { orderId: `suppressed-order-${rows}`, notificationKey: `outcome-${rows}#OrderPaid` };
  await documentClient.send(
    new PutCommand({
      TableName: emailLogTableName,
      Item: {
        ...key,
        status: "sent",
        emailResult: "sent",
        snsResult: "sent",
        recipient: "gone@example.com",
        ...fields,
      },
    }),
  );
  return key;
}

async function readRow(key: NotificationKey): Promise<Record<string, unknown> | undefined> {
  return (await documentClient.send(new GetCommand({ TableName: emailLogTableName, Key: { ...key } }))).Item;
}

/** The events SES publishes for the row's email to gone@example.com ending with `fate`, read as the subscriber reads them. */
function eventsOf(key: NotificationKey, fate: EmailFate): EmailEvent[] {
  const messageId = `message-${key.orderId}-${fate}`;
  return emailEventsOf(
    {
      messageId,
      source: "payments@payment3.example",
      destination: ["gone@example.com"],
      subject: "Payment received",
      configurationSetName: CONFIGURATION_SET,
      tags: [emailLogTagOf(key)!],
      timestamp: new Date("2026-12-03T10:00:00Z"),
    },
    () => fate,
    { region: "ap-southeast-1", account: "000000000000", now: new Date("2026-12-03T10:00:01Z") },
  ).map((event, index) =>
    parseSesEmailEvent({
      version: "0",
      id: `${messageId}-event-${index}`,
      "detail-type": event.detailType,
      source: "aws.ses",
      account: "000000000000",
      time: "2026-12-03T10:00:01Z",
      region: "ap-southeast-1",
      resources: [],
      detail: event.detail,
    }),
  );
}

describe("an email SES did not send to a suppressed address", () => {
  it("is read as on the suppression list, not as a new address to suppress", () => {
    // Act
    const [, bounce] = eventsOf({ orderId: "o-1", notificationKey: "k-1" }, "suppressed");
    const [, hardBounce] = eventsOf({ orderId: "o-1", notificationKey: "k-1" }, "bounced");

    // Assert
    expect(bounce).toMatchObject({
      kind: "bounced",
      bounceType: "Permanent/OnAccountSuppressionList",
      onSuppressionList: true,
      suppressesRecipients: false,
    });
    expect(hardBounce).toMatchObject({ onSuppressionList: false, suppressesRecipients: true });
  });

  it("marks the row suppressed and counts EmailSuppressed once, duplicated and after its Send, not EmailBounced", async () => {
    // Prepare
    const key = await row();
    const counter = createBusinessMetricsCounter();
    const [send, bounce] = eventsOf(key, "suppressed") as [EmailEvent, EmailEvent];

    // Act
    const first = await recordEmailEvent(bounce, deps({ metrics: counter }));
    const duplicate = await recordEmailEvent(bounce, deps({ metrics: counter }));
    await recordEmailEvent(send, deps({ metrics: counter }));

    // Assert
    expect(first).toMatchObject({ status: "recorded", emailSuppressed: true, suppressed: [] });
    expect(duplicate.emailSuppressed).toBeUndefined();
    expect(await readRow(key)).toMatchObject({
      status: "suppressed",
      emailResult: "suppressed",
      emailSuppressedAt: "2026-12-03T10:00:01.000Z",
      sesBounceType: "Permanent/OnAccountSuppressionList",
      sesSentAt: "2026-12-03T10:00:00.000Z",
    });
    expect(counter.counts()).toMatchObject({ [BUSINESS_METRIC.emailSuppressed]: 1 });
    expect(counter.counts()[BUSINESS_METRIC.emailBounced]).toBeUndefined();
    expect(
      await createEmailSuppressions({ documentClient, tableName: suppressionTableName }).find("gone@example.com"),
    ).toBeUndefined();
  });

  it("keeps a row uncertain whose SNS step is uncertain, and turns an uncertain email suppressed", async () => {
    // Prepare
    const snsUncertain = await row({ status: "uncertain", snsResult: "uncertain" });
    const emailUncertain = await row({ status: "uncertain", emailResult: "uncertain" });

    // Act
    await recordEmailEvent(eventsOf(snsUncertain, "suppressed")[1]!, deps());
    await recordEmailEvent(eventsOf(emailUncertain, "suppressed")[1]!, deps());

    // Assert
    expect(await readRow(snsUncertain)).toMatchObject({ status: "uncertain", emailResult: "suppressed" });
    expect(await readRow(emailUncertain)).toMatchObject({ status: "suppressed", emailResult: "suppressed" });
  });

  it("is retried when it comes before the notifier's last write, and leaves the row to it", async () => {
    // Prepare
    const key = await row({ status: "sending" });

    // Act
    const recording = recordEmailEvent(eventsOf(key, "suppressed")[1]!, deps());

    // Assert
    await expect(recording).rejects.toBeInstanceOf(SuppressedEmailMarkingError);
    expect(await readRow(key)).toMatchObject({ status: "sending", emailResult: "sent" });
  });
});
