import { SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { parseOrderOutcomeEvent, type OrderOutcomeEvent } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDocumentClient } from "../aws/aws-clients";
import { EMAIL_LOG_TABLE_KEYS } from "../config/table-keys";
import { createBusinessMetricsCounter } from "../metrics/business-metrics";
import { emailLogTagOf } from "./email-log-tag";
import type { MailSender } from "./mail-sender";
import { createNotificationLog } from "./notification-log";
import { notifyCustomer } from "./notify-customer";
import { createSesMailSender } from "./ses-mail-sender";
import { createSnsTopicPublisher } from "./sns-topic-publisher";
import { sweepUncertainEmails, type UncertainEmailSweepDependencies } from "./sweep-uncertain-emails";
import { createUncertainEmailLog } from "./uncertain-emails";

const REGION = "ap-southeast-1";
/** Each test its own email log, so one test's rows awaiting proof are not another's sweep's. */
let tableName = "";
let tables = 0;
const WINDOW_MS = 15 * 60_000;
/** When the test's emails became uncertain; the sweeps run at this time plus the window. */
const T0 = new Date("2026-12-03T10:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let stack: AwsLocal;
let topicArn: string;

beforeAll(async () => {
  stack = await startAwsLocal();
  const sns = new SNSClient({ endpoint: stack.url, region: REGION });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "sweep-test" }))).TopicArn!;
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(async () => {
  tables += 1;
  tableName = `email-log-sweep-${tables}`;
  await ensureTable(stack.dynamoDb, tableName, EMAIL_LOG_TABLE_KEYS);
});

const documentClient = () => createDocumentClient({ region: REGION, endpoint: stack.url });
const ses = (options: { maxAttempts?: number } = {}) =>
  new SESClient({ endpoint: stack.url, region: REGION, maxAttempts: options.maxAttempts ?? 1 });
const sesMailSender = (client: SESClient = ses()): MailSender =>
  createSesMailSender({ client, senderEmail: "payments@payment3.example" });

/** SES that sends the email, and then the answer is lost on the way back. */
function sesLosingTheAnswer(): SESClient {
  const client = ses();
  return {
    async send(command: Parameters<SESClient["send"]>[0]) {
      await client.send(command);
      throw Object.assign(new Error("Connection timed out after 2000 ms (injected)"), { name: "TimeoutError" });
    },
  } as unknown as SESClient;
}

/** SES whose connection drops before the request reaches it: nothing sent, and no answer. */
const sesNeverReached = (): SESClient =>
  ({
    send: async () => {
      throw Object.assign(new Error("socket hang up (injected)"), { name: "Error", code: "ECONNRESET" });
    },
  }) as unknown as SESClient;

function sweepDeps(
  now: Date,
  overrides: Partial<UncertainEmailSweepDependencies> = {},
): UncertainEmailSweepDependencies {
  return {
    uncertainEmails: createUncertainEmailLog({ documentClient: documentClient(), tableName }),
    mailSender: sesMailSender(),
    windowMs: WINDOW_MS,
    now: () => now,
    ...overrides,
  };
}

function paidFor(orderId: string): OrderOutcomeEvent {
  const example = readExampleEnvelope("OrderPaid.v1.json") as { detail: Record<string, unknown> };
  const order = {
    ...(example.detail.order as object),
    orderId,
    customer: { name: "Somchai", email: `s-${orderId}@example.com`, locale: "th" },
  };
  return parseOrderOutcomeEvent({
    ...example,
    detail: { ...example.detail, orderId, order, idempotencyKey: `${orderId}:p:OrderPaid` },
  });
}

const keyOf = (event: OrderOutcomeEvent) => ({
  orderId: event.detail.orderId,
  notificationKey: event.detail.idempotencyKey,
});
const rowOf = (event: OrderOutcomeEvent) =>
  createNotificationLog({ documentClient: documentClient(), tableName, leaseMs: 0 }).read(keyOf(event));
const mailsTo = async (orderId: string) =>
  (await stack.ses.listSentEmails()).filter((mail) => mail.to.includes(`s-${orderId}@example.com`));

/**
 * An email-log row whose email is `uncertain` since T0, as the notifier leaves it: the first attempt's SES call got
 * no answer (`firstAttempt`), then the redelivery found the mark without a result.
 */
async function uncertainEmailOf(
  orderId: string,
  firstAttempt: SESClient = sesNeverReached(),
): Promise<OrderOutcomeEvent> {
  const event = paidFor(orderId);
  const notification = {
    notificationLog: createNotificationLog({ documentClient: documentClient(), tableName, leaseMs: 0 }),
    topicPublisher: createSnsTopicPublisher({
      client: new SNSClient({ endpoint: stack.url, region: REGION }),
      topicArn,
    }),
    now: () => T0,
  };
  await notifyCustomer(event, { ...notification, mailSender: sesMailSender(firstAttempt) }).catch(() => undefined);
  const settled = await notifyCustomer(event, { ...notification, mailSender: sesMailSender() });
  if (settled.email !== "uncertain") throw new Error(`expected an uncertain email, got ${JSON.stringify(settled)}`);
  return event;
}

/** What the email-events subscriber writes when an SES event of the row's email arrives (record-email-event.ts). */
async function sesEventReaches(event: OrderOutcomeEvent, messageId: string): Promise<void> {
  await documentClient().send(
    new UpdateCommand({
      TableName: tableName,
      Key: keyOf(event),
      UpdateExpression:
        "SET sesMessageId = if_not_exists(sesMessageId, :id), sesSentAt = if_not_exists(sesSentAt, :at)",
      ExpressionAttributeValues: { ":id": messageId, ":at": at(1).toISOString() },
    }),
  );
}

describe("sweepUncertainEmails", () => {
  it("sends an email no SES event proved sent within the window, once, with its tag, and records it sent by the sweep", async () => {
    // Prepare
    const event = await uncertainEmailOf("8101");
    const metrics = createBusinessMetricsCounter();

    // Act
    const first = await sweepUncertainEmails({ ...sweepDeps(at(16)), metrics });
    const second = await sweepUncertainEmails(sweepDeps(at(40)));

    // Assert
    const mails = await mailsTo("8101");
    const row = await rowOf(event);
    expect(first).toMatchObject({ resent: 1 });
    expect(second.resent).toBe(0);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("8101");
    expect(row).toMatchObject({
      status: "sent",
      emailResult: "sent",
      emailResolvedBy: "sweep",
      messageId: mails[0]!.messageId,
      emailSweepAttempts: 1,
    });
    for (const field of ["emailAwaitingProof", "emailUncertainSince", "uncertainEmail", "emailSweepToken"])
      expect(row).not.toHaveProperty(field);
    expect(metrics.counts()).toMatchObject({ EmailResentBySweep: 1 });
  });

  it("leaves an email alone while its window runs", async () => {
    const event = await uncertainEmailOf("8102");

    const result = await sweepUncertainEmails(sweepDeps(at(14)));

    expect(result.resent).toBe(0);
    expect(await mailsTo("8102")).toHaveLength(0);
    expect(await rowOf(event)).toMatchObject({ emailResult: "uncertain", emailUncertainSince: T0.toISOString() });
  });

  it("records an email sent, without sending, when an SES event of it reached the row (the event came while the notifier was still on it)", async () => {
    // Prepare
    const event = await uncertainEmailOf("8103", sesLosingTheAnswer());
    const [accepted] = await mailsTo("8103");
    await sesEventReaches(event, accepted!.messageId);

    // Act
    const result = await sweepUncertainEmails(sweepDeps(at(16)));

    // Assert
    expect(result).toMatchObject({ proved: 1, resent: 0 });
    expect(await mailsTo("8103")).toHaveLength(1);
    expect(await rowOf(event)).toMatchObject({
      status: "sent",
      emailResult: "sent",
      emailResolvedBy: "ses-event",
      messageId: accepted!.messageId,
    });
  });

  it("a send SES answers with an error sends nothing and leaves the row due: the next sweep sends it, once", async () => {
    // Prepare
    const event = await uncertainEmailOf("8104");
    stack.ses.failNext(1, "ServiceUnavailable");

    // Act
    const failed = await sweepUncertainEmails(sweepDeps(at(16)));
    const afterFailure = await rowOf(event);
    const next = await sweepUncertainEmails(sweepDeps(at(21)));

    // Assert
    expect(failed).toMatchObject({ notSent: 1, resent: 0 });
    expect(afterFailure).toMatchObject({
      emailResult: "uncertain",
      emailUncertainSince: T0.toISOString(),
      lastSweepError: expect.stringContaining("ServiceUnavailable"),
    });
    expect(next.resent).toBe(1);
    expect(await mailsTo("8104")).toHaveLength(1);
  });

  it("a send without an answer that SES did accept is not sent again: the row waits a new window, and the send's SES event settles it", async () => {
    // Prepare
    const event = await uncertainEmailOf("8105");
    const unanswered = await sweepUncertainEmails(
      sweepDeps(at(16), { mailSender: sesMailSender(sesLosingTheAnswer()) }),
    );
    const afterUnanswered = await rowOf(event);
    const [accepted] = await mailsTo("8105");
    const withinTheNewWindow = await sweepUncertainEmails(sweepDeps(at(30)));
    await sesEventReaches(event, accepted!.messageId);

    // Act
    const afterTheNewWindow = await sweepUncertainEmails(sweepDeps(at(32)));

    // Assert
    expect(unanswered).toMatchObject({ unanswered: 1 });
    expect(afterUnanswered).toMatchObject({
      emailResult: "uncertain",
      emailUncertainSince: at(16).toISOString(),
      emailSweepAttempts: 1,
    });
    expect(withinTheNewWindow.due).toBe(0);
    expect(afterTheNewWindow).toMatchObject({ proved: 1, resent: 0 });
    expect(await mailsTo("8105")).toHaveLength(1);
  });

  it("a send without an answer that never reached SES is sent by the first sweep after the new window, once", async () => {
    const event = await uncertainEmailOf("8106");
    await sweepUncertainEmails(sweepDeps(at(16), { mailSender: sesMailSender(sesNeverReached()) }));

    const early = await sweepUncertainEmails(sweepDeps(at(30)));
    const due = await sweepUncertainEmails(sweepDeps(at(31)));

    expect(early.resent).toBe(0);
    expect(due.resent).toBe(1);
    expect(await mailsTo("8106")).toHaveLength(1);
    expect(await rowOf(event)).toMatchObject({ emailResolvedBy: "sweep", emailSweepAttempts: 2 });
  });

  it("two sweeps at once send one email", async () => {
    await uncertainEmailOf("8107");

    const results = await Promise.all([
      sweepUncertainEmails(sweepDeps(at(16))),
      sweepUncertainEmails(sweepDeps(at(16))),
    ]);

    expect(results.map((result) => result.resent).sort()).toEqual([0, 1]);
    expect(await mailsTo("8107")).toHaveLength(1);
  });

  it("records an email SES refuses as failed, not retried", async () => {
    const event = await uncertainEmailOf("8108");
    stack.ses.rejectRecipients(["s-8108@example.com"]);

    const result = await sweepUncertainEmails(sweepDeps(at(16)));
    stack.ses.rejectRecipients([]);
    const later = await sweepUncertainEmails(sweepDeps(at(60)));

    expect(result.refused).toBe(1);
    expect(later.due).toBe(0);
    expect(await rowOf(event)).toMatchObject({ status: "failed", emailResult: "failed", emailResolvedBy: "sweep" });
    expect(await mailsTo("8108")).toHaveLength(0);
  });

  it("leaves a row the index lists but an SES event resolved meanwhile (the index is eventually consistent)", async () => {
    // Prepare
    const event = await uncertainEmailOf("8109");
    const stale = { key: keyOf(event), since: "2026-12-03T09:00:00.000Z" };
    const log = createUncertainEmailLog({ documentClient: documentClient(), tableName });
    const listing = { ...log, listDue: async () => ({ entries: [stale], next: undefined }) };

    // Act
    const result = await sweepUncertainEmails(sweepDeps(at(16), { uncertainEmails: listing }));

    // Assert
    expect(result).toMatchObject({ due: 1, skipped: 1, resent: 0 });
    expect(await mailsTo("8109")).toHaveLength(0);
  });

  it("sends the email with the row's tag, so the sweep's own send has SES events for the row", async () => {
    const event = await uncertainEmailOf("8110");
    const sent: Parameters<MailSender["send"]>[0][] = [];
    const recording: MailSender = {
      send: async (email) => {
        sent.push(email);
        return { kind: "sent", messageId: "m-8110" };
      },
    };

    await sweepUncertainEmails(sweepDeps(at(16), { mailSender: recording }));

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: "s-8110@example.com", tags: [emailLogTagOf(keyOf(event))] });
  });

  it("settles at most maxRows rows in one sweep, oldest first, and leaves the rest due for the next", async () => {
    // Prepare
    await uncertainEmailOf("8111");
    await uncertainEmailOf("8112");
    await uncertainEmailOf("8113");

    // Act
    const first = await sweepUncertainEmails(sweepDeps(at(16), { maxRows: 2 }));
    const second = await sweepUncertainEmails(sweepDeps(at(21), { maxRows: 2 }));

    // Assert
    expect(first).toMatchObject({ due: 2, resent: 2 });
    expect(second).toMatchObject({ due: 1, resent: 1 });
    for (const orderId of ["8111", "8112", "8113"]) expect(await mailsTo(orderId)).toHaveLength(1);
  });
});
