import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { emailEventsOf, ensureTable, startAwsLocal, type AwsLocal, type EmailFate } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../aws/aws-clients";
import { EMAIL_LOG_TABLE_KEYS, EMAIL_SUPPRESSION_TABLE_KEYS } from "../config/table-keys";
import { BUSINESS_METRIC, createBusinessMetricsCounter } from "../metrics/business-metrics";
import { EMAIL_LOG_TAG_NAME, emailLogTagOf, notificationKeyOfTags } from "./email-log-tag";
import { createEmailSuppressions } from "./email-suppressions";
import { SuppressedEmailMarkingError } from "./mark-suppressed-email";
import type { NotificationKey } from "./notification-log";
import { recordEmailEvent, type EmailEventRecordingDependencies } from "./record-email-event";
import { InvalidEmailEventError, parseSesEmailEvent, type EmailEvent } from "./ses-email-event";

const CONFIGURATION_SET = "payment3-test-email";
const emailLogTableName = "email-log-events-test";
const suppressionTableName = "email-suppressions-test";
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

/** A fresh email-log row as the notifier leaves it, with `fields` on top. */
async function row(fields: Record<string, unknown> = {}): Promise<NotificationKey> {
  rows += 1;
  const key = { orderId: `order-${rows}`, notificationKey: `outcome-${rows}#OrderPaid` };
  await documentClient.send(
    new PutCommand({
      TableName: emailLogTableName,
      Item: {
        ...key,
        status: "sent",
        emailResult: "sent",
        snsResult: "sent",
        recipient: "buyer@example.com",
        ...fields,
      },
    }),
  );
  return key;
}

async function readRow(key: NotificationKey): Promise<Record<string, unknown> | undefined> {
  return (await documentClient.send(new GetCommand({ TableName: emailLogTableName, Key: { ...key } }))).Item;
}

/**
 * The EventBridge events SES publishes for one email to `recipient` ending with `fate`, built by the local SES's own
 * event builder (the shapes the SES developer guide documents), as the email-events subscriber receives them.
 */
function sesEvents(
  key: NotificationKey | undefined,
  fate: EmailFate = "delivered",
  options: { configurationSetName?: string; recipient?: string } = {},
): unknown[] {
  const tag = key ? emailLogTagOf(key) : undefined;
  const messageId = `message-${rows}-${fate}`;
  return emailEventsOf(
    {
      messageId,
      source: "payments@payment3.example",
      destination: [options.recipient ?? "buyer@example.com"],
      subject: "Payment received",
      configurationSetName: options.configurationSetName ?? CONFIGURATION_SET,
      tags: tag ? [tag] : [],
      timestamp: new Date("2026-12-03T10:00:00Z"),
    },
    () => fate,
    { region: "ap-southeast-1", account: "000000000000", now: new Date("2026-12-03T10:00:05Z") },
  ).map((event, index) => ({
    version: "0",
    id: `${messageId}-event-${index}`,
    "detail-type": event.detailType,
    source: "aws.ses",
    account: "000000000000",
    time: "2026-12-03T10:00:05Z",
    region: "ap-southeast-1",
    resources: [],
    detail: event.detail,
  }));
}

const parsedEvents = (key: NotificationKey | undefined, fate?: EmailFate, options?: Parameters<typeof sesEvents>[2]) =>
  sesEvents(key, fate, options).map(parseSesEmailEvent);

describe("the email-log tag", () => {
  it("carries the order id and notification key in the characters SES allows, and reads back", () => {
    // Prepare
    const key = { orderId: "ORD#1001/ไทย", notificationKey: "wallet:pay_1#OrderPaid" };

    // Act
    const tag = emailLogTagOf(key)!;

    // Assert
    expect(tag.Name).toBe(EMAIL_LOG_TAG_NAME);
    expect(tag.Value).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(notificationKeyOfTags({ [EMAIL_LOG_TAG_NAME]: [tag.Value] })).toEqual(key);
  });

  it("is left off when the key is longer than an SES tag value may be, and a damaged tag reads as none", () => {
    // Act
    const tooLong = emailLogTagOf({ orderId: "o".repeat(200), notificationKey: "k".repeat(200) });
    const damaged = notificationKeyOfTags({ [EMAIL_LOG_TAG_NAME]: ["bm90LWpzb24"] });

    // Assert
    expect(tooLong).toBeUndefined();
    expect(damaged).toBeUndefined();
  });
});

describe("parseSesEmailEvent", () => {
  it.each([
    ["delivered", ["sent", "delivered"]],
    ["bounced", ["sent", "bounced"]],
    ["complained", ["sent", "delivered", "complained"]],
    ["delayed", ["sent", "delayed", "delivered"]],
    ["rejected", ["sent", "rejected"]],
  ] as const)("reads each event SES publishes for a %s email", (fate, kinds) => {
    // Act
    const events = parsedEvents({ orderId: "o-1", notificationKey: "k-1" }, fate);

    // Assert
    expect(events.map((event) => event.kind)).toEqual(kinds);
    expect(
      events.every((event) => event.key?.orderId === "o-1" && event.configurationSetName === CONFIGURATION_SET),
    ).toBe(true);
  });

  it("marks a permanent bounce and a complaint as suppressing, not a transient bounce", () => {
    // Act
    const [, hard] = parsedEvents(undefined, "bounced");
    const [, soft] = parsedEvents(undefined, "soft-bounced");
    const complaint = parsedEvents(undefined, "complained")[2]!;

    // Assert
    expect(hard).toMatchObject({ suppressesRecipients: true, bounceType: "Permanent/General" });
    expect(soft).toMatchObject({ suppressesRecipients: false, bounceType: "Transient/General" });
    expect(complaint).toMatchObject({ suppressesRecipients: true, recipients: ["buyer@example.com"] });
  });

  type Envelope = { source: string; "detail-type": string; detail: { mail: { messageId?: string }; bounce?: unknown } };
  it.each([
    ["no message id", (event: Envelope) => delete event.detail.mail.messageId, "detail.mail.messageId"],
    ["another source", (event: Envelope) => (event.source = "payment3.orders"), "source"],
    ["an event type not read", (event: Envelope) => (event["detail-type"] = "Email Opened"), "detail-type"],
    ["a bounce without its record", (event: Envelope) => delete event.detail.bounce, "detail.bounce"],
  ])("refuses an event with %s, naming the field", (_change, change, field) => {
    // Prepare
    const event = sesEvents(undefined, "bounced")[1] as Envelope;
    change(event);

    // Act
    const parse = () => parseSesEmailEvent(event);

    // Assert
    expect(parse).toThrow(InvalidEmailEventError);
    expect(parse).toThrow(field);
  });
});

describe("recordEmailEvent", () => {
  it("records each event once on its row, in any order and duplicated", async () => {
    // Prepare
    const key = await row();
    const [sent, delivered] = parsedEvents(key) as [EmailEvent, EmailEvent];

    // Act
    const results = [];
    for (const event of [delivered, sent, delivered, sent]) results.push(await recordEmailEvent(event, deps()));
    const recorded = await readRow(key);

    // Assert
    expect(results.map((result) => result.status)).toEqual(["recorded", "recorded", "recorded", "recorded"]);
    expect(recorded).toMatchObject({
      sesSentAt: "2026-12-03T10:00:00.000Z",
      sesDeliveredAt: "2026-12-03T10:00:05.000Z",
      sesMessageId: sent.messageId,
      status: "sent",
    });
  });

  it("resolves an uncertain email as sent with the SES message id", async () => {
    // Prepare
    const key = await row({ status: "uncertain", emailResult: "uncertain" });
    const [sent] = parsedEvents(key) as [EmailEvent];
    const metrics = createBusinessMetricsCounter();

    // Act
    const result = await recordEmailEvent(sent, deps({ metrics }));
    const again = await recordEmailEvent(sent, deps({ metrics }));

    // Assert
    expect(result.resolvedUncertain).toBe(true);
    expect(again.resolvedUncertain).toBe(false);
    expect(await readRow(key)).toMatchObject({
      status: "sent",
      emailResult: "sent",
      messageId: sent.messageId,
      emailResolvedBy: "ses-event",
    });
    expect(metrics.counts()[BUSINESS_METRIC.uncertainEmailResolved]).toBe(1);
  });

  it("keeps the notification uncertain when its SNS step still is", async () => {
    // Prepare
    const key = await row({ status: "uncertain", emailResult: "uncertain", snsResult: "uncertain" });
    const [sent] = parsedEvents(key) as [EmailEvent];

    // Act
    await recordEmailEvent(sent, deps());

    // Assert
    expect(await readRow(key)).toMatchObject({ status: "uncertain", emailResult: "sent", snsResult: "uncertain" });
  });

  it("suppresses the address of a permanent bounce and of a complaint once, and not of a transient bounce", async () => {
    // Prepare
    const suppressions = createEmailSuppressions({ documentClient, tableName: suppressionTableName });
    const key = await row();
    const hard = parsedEvents(key, "bounced", { recipient: "Gone@Example.com" })[1]!;
    const soft = parsedEvents(key, "soft-bounced", { recipient: "full@example.com" })[1]!;
    const complaint = parsedEvents(key, "complained", { recipient: "angry@example.com" })[2]!;

    // Act
    const first = await recordEmailEvent(hard, deps());
    const duplicate = await recordEmailEvent(hard, deps());
    await recordEmailEvent(soft, deps());
    await recordEmailEvent(complaint, deps());

    // Assert
    expect(first.suppressed).toEqual(["gone@example.com"]);
    expect(duplicate.suppressed).toEqual([]);
    expect(await suppressions.find("GONE@example.com")).toMatchObject({
      reason: "bounce",
      bounceType: "Permanent/General",
      orderId: key.orderId,
    });
    expect(await suppressions.find("full@example.com")).toBeUndefined();
    expect(await suppressions.find("angry@example.com")).toMatchObject({ reason: "complaint" });
    expect(await readRow(key)).toMatchObject({ sesBounceType: "Permanent/General" });
  });

  it("writes no row for an email whose row does not exist, and nothing for another stage's email", async () => {
    // Prepare
    const missing = { orderId: "order-never-written", notificationKey: "k#OrderPaid" };
    const [orphan] = parsedEvents(missing) as [EmailEvent];
    const key = await row();
    const [otherStage] = parsedEvents(key, "delivered", { configurationSetName: "payment3-prod-email" }) as [
      EmailEvent,
    ];

    // Act
    const orphanResult = await recordEmailEvent(orphan, deps());
    const otherResult = await recordEmailEvent(otherStage, deps());

    // Assert
    expect(orphanResult.status).toBe("row-missing");
    expect(await readRow(missing)).toBeUndefined();
    expect(otherResult.status).toBe("other-stage");
    expect(await readRow(key)).not.toHaveProperty("sesSentAt");
  });

  it("still suppresses the address of an untagged email's complaint", async () => {
    // Prepare
    const suppressions = createEmailSuppressions({ documentClient, tableName: suppressionTableName });
    const complaint = parsedEvents(undefined, "complained", { recipient: "untagged@example.com" })[2]!;

    // Act
    const result = await recordEmailEvent(complaint, deps());

    // Assert
    expect(result).toEqual({ status: "untagged", resolvedUncertain: false, suppressed: ["untagged@example.com"] });
    expect(await suppressions.find("untagged@example.com")).toMatchObject({ reason: "complaint" });
  });
});

describe("recordEmailEvent of an email SES did not send to a suppressed address", () => {
  it("reads it as on the suppression list, not as a new address to suppress", () => {
    // Act
    const [, bounce] = parsedEvents({ orderId: "o-1", notificationKey: "k-1" }, "suppressed");
    const [, hardBounce] = parsedEvents({ orderId: "o-1", notificationKey: "k-1" }, "bounced");

    // Assert
    expect(bounce).toMatchObject({
      kind: "bounced",
      bounceType: "Permanent/OnAccountSuppressionList",
      onSuppressionList: true,
      suppressesRecipients: false,
    });
    expect(hardBounce).toMatchObject({ onSuppressionList: false, suppressesRecipients: true });
  });

  it("marks the row suppressed and counts EmailSuppressed once, duplicated and before its Send, not EmailBounced", async () => {
    // Prepare
    const key = await row({ recipient: "listed@example.com" });
    const metrics = createBusinessMetricsCounter();
    const [send, bounce] = parsedEvents(key, "suppressed", { recipient: "listed@example.com" }) as [
      EmailEvent,
      EmailEvent,
    ];

    // Act
    const first = await recordEmailEvent(bounce, deps({ metrics }));
    const duplicate = await recordEmailEvent(bounce, deps({ metrics }));
    await recordEmailEvent(send, deps({ metrics }));

    // Assert
    expect(first).toMatchObject({ status: "recorded", emailSuppressed: true, suppressed: [] });
    expect(duplicate.emailSuppressed).toBeUndefined();
    expect(await readRow(key)).toMatchObject({
      status: "suppressed",
      emailResult: "suppressed",
      emailSuppressedAt: expect.any(String),
      sesBounceType: "Permanent/OnAccountSuppressionList",
      sesSentAt: expect.any(String),
    });
    expect(metrics.counts()).toMatchObject({ [BUSINESS_METRIC.emailSuppressed]: 1 });
    expect(metrics.counts()[BUSINESS_METRIC.emailBounced]).toBeUndefined();
    expect(
      await createEmailSuppressions({ documentClient, tableName: suppressionTableName }).find("listed@example.com"),
    ).toBeUndefined();
  });

  it("keeps a row uncertain whose SNS step is uncertain, and turns an uncertain email suppressed", async () => {
    // Prepare
    const snsUncertain = await row({ status: "uncertain", snsResult: "uncertain" });
    const emailUncertain = await row({ status: "uncertain", emailResult: "uncertain" });

    // Act
    await recordEmailEvent(parsedEvents(snsUncertain, "suppressed")[1]!, deps());
    await recordEmailEvent(parsedEvents(emailUncertain, "suppressed")[1]!, deps());

    // Assert
    expect(await readRow(snsUncertain)).toMatchObject({ status: "uncertain", emailResult: "suppressed" });
    expect(await readRow(emailUncertain)).toMatchObject({ status: "suppressed", emailResult: "suppressed" });
  });

  it("fails, to be retried, when it comes before the notifier's last write, and leaves the row to it", async () => {
    // Prepare
    const key = await row({ status: "sending" });

    // Act
    const recording = recordEmailEvent(parsedEvents(key, "suppressed")[1]!, deps());

    // Assert
    await expect(recording).rejects.toBeInstanceOf(SuppressedEmailMarkingError);
    expect(await readRow(key)).toMatchObject({ status: "sending", emailResult: "sent" });
  });
});
