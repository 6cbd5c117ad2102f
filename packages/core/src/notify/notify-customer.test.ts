import { InternalServerError } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { parseOrderOutcomeEvent, type OrderOutcomeEvent } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../aws/aws-clients";
import { EMAIL_LOG_TABLE_KEYS, IDEMPOTENCY_TABLE_KEYS } from "../config/table-keys";
import { createBusinessMetricsCounter } from "../metrics/business-metrics";
import { createNotificationLog, NotificationInProgressError, type NotificationLog } from "./notification-log";
import { notifyCustomer, type NotificationDependencies } from "./notify-customer";
import type { FailedCall } from "./failed-call";
import type { MailSendAnswer, MailSender, OutgoingEmail } from "./mail-sender";
import { createSesMailSender } from "./ses-mail-sender";
import { createSnsTopicPublisher } from "./sns-topic-publisher";
import { emailLogTagOf } from "./email-log-tag";
import type { TopicMessage, TopicPublishAnswer, TopicPublisher } from "./topic-publisher";

let stack: AwsLocal;
let topicArn: string;
const tableName = "email-log-test";
const idempotencyTableName = "idempotency-test";

beforeAll(async () => {
  stack = await startAwsLocal();
  await ensureTable(stack.dynamoDb, tableName, EMAIL_LOG_TABLE_KEYS);
  await ensureTable(stack.dynamoDb, idempotencyTableName, IDEMPOTENCY_TABLE_KEYS);
  const sns = new SNSClient({ endpoint: stack.url, region: "ap-southeast-1" });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "notify-test" }))).TopicArn!;
});
afterAll(async () => {
  await stack?.close();
});

function deps(leaseMs = 60_000): NotificationDependencies {
  const options = { endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 };
  return {
    notificationLog: createNotificationLog({
      documentClient: createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url }),
      tableName,
      leaseMs,
    }),
    mailSender: createSesMailSender({ client: new SESClient(options), senderEmail: "payments@payment3.example" }),
    topicPublisher: createSnsTopicPublisher({ client: new SNSClient(options), topicArn }),
  };
}

/**
 * A notification log whose writes fail as DynamoDB fails when it answers 500, each failure one write
 * attempt past the SDK's own retries: `count` UpdateItems from the `from`-th on (1: the claim
 * with the email mark, 2: the email result with the SNS mark, 3: the SNS result with the final
 * status; a release takes the place of the write that failed). `applied`: DynamoDB applies each
 * failing write before it answers the error, as it may on AWS. The local DynamoDB cannot fail one write of one row on
 * demand from here, so this is the fault-injection exception to "no mocks".
 */
function notificationLogFailingWrites(
  from: number,
  count: number,
  options: { idempotencyTableName?: string; applied?: boolean; leaseMs?: number } = {},
): NotificationLog {
  const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
  let updates = 0;
  const failing = {
    send(command: Parameters<DynamoDBDocumentClient["send"]>[0]) {
      if (command instanceof UpdateCommand && ++updates >= from && updates < from + count) {
        const failure = new InternalServerError({
          message: "Internal server error (injected)",
          $metadata: { httpStatusCode: 500 },
        });
        return options.applied
          ? documentClient.send(command).then(() => Promise.reject(failure))
          : Promise.reject(failure);
      }
      return documentClient.send(command);
    },
  } as unknown as DynamoDBDocumentClient;
  return createNotificationLog({
    documentClient: failing,
    tableName,
    leaseMs: options.leaseMs ?? 60_000,
    sleep: async () => {},
    ...(options.idempotencyTableName ? { idempotencyTableName: options.idempotencyTableName } : {}),
  });
}

/** A notification log that counts its UpdateItems (claims, marks, results, completions). */
function countingUpdates(): { log: NotificationLog; updates: () => number } {
  const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
  let updates = 0;
  const counting = {
    send(command: Parameters<DynamoDBDocumentClient["send"]>[0]) {
      if (command instanceof UpdateCommand) updates += 1;
      return documentClient.send(command);
    },
  } as unknown as DynamoDBDocumentClient;
  return {
    log: createNotificationLog({ documentClient: counting, tableName, leaseMs: 0 }),
    updates: () => updates,
  };
}

/** SES that sends the email, and then the answer is lost on the way back (a timeout the request outlived). */
function sesLosingTheAnswer(): SESClient {
  const ses = new SESClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 });
  return {
    async send(command: Parameters<SESClient["send"]>[0]) {
      await ses.send(command);
      throw Object.assign(new Error("Connection timed out after 2000 ms (injected)"), { name: "TimeoutError" });
    },
  } as unknown as SESClient;
}

const rowOf = (orderId: string, event: OrderOutcomeEvent) =>
  deps().notificationLog.read({ orderId, notificationKey: event.detail.idempotencyKey });

/** The example OrderPaid, for an order of the test's own. */
function paidFor(orderId: string): OrderOutcomeEvent {
  const example = readExampleEnvelope("OrderPaid.v1.json") as { detail: Record<string, unknown> };
  const order = {
    ...(example.detail.order as object),
    orderId,
    customer: { name: "Somchai", email: `n-${orderId}@example.com`, locale: "th" },
  };
  return parseOrderOutcomeEvent({
    ...example,
    detail: { ...example.detail, orderId, order, idempotencyKey: `${orderId}:p:OrderPaid` },
  });
}

const mailsTo = async (orderId: string) =>
  (await stack.ses.listSentEmails()).filter((m) => m.to.includes(`n-${orderId}@example.com`));
const snsFor = (orderId: string) =>
  stack.sns.listPublishedMessages(topicArn).filter((m) => JSON.parse(m.message).orderId === orderId);

/** What an invocation leaves when it dies right after its claim (with the email mark), maybe after SES accepted the email. */
async function claimWithTheEmailMark(event: OrderOutcomeEvent): Promise<void> {
  const { orderId, idempotencyKey } = event.detail;
  const claim = await deps(0).notificationLog.claim(
    { orderId, notificationKey: idempotencyKey },
    { template: "paid", recipient: `n-${orderId}@example.com`, eventId: event.id, markAttempt: "email" },
  );
  if (claim.kind !== "claimed" || claim.marked !== "email") throw new Error("expected a claim with the email mark");
}

describe("notifyCustomer", () => {
  it("sends once and reports a duplicate afterwards", async () => {
    const event = paidFor("900");

    const first = await notifyCustomer(event, deps());
    const second = await notifyCustomer(event, deps());

    expect(first).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(second.status).toBe("duplicate");
    expect(await mailsTo("900")).toHaveLength(1);
    expect(snsFor("900")).toHaveLength(1);
  });

  it("writes the email log once per step boundary: claim + email mark, email result + SNS mark, SNS result + final status (without an address: claim + SNS mark, results + final status)", async () => {
    const writes: string[] = [];
    const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
    const counting = {
      send(command: Parameters<DynamoDBDocumentClient["send"]>[0]) {
        writes.push(command.constructor.name);
        return documentClient.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const notificationLog = createNotificationLog({ documentClient: counting, tableName, leaseMs: 60_000 });
    const withoutAddress = parseOrderOutcomeEvent({
      ...paidFor("906"),
      detail: { ...paidFor("906").detail, order: { ...paidFor("906").detail.order, customer: { name: "Somchai" } } },
    });

    const withAddressResult = await notifyCustomer(paidFor("905"), { ...deps(), notificationLog });
    const withAddressWrites = writes.splice(0);
    const withoutAddressResult = await notifyCustomer(withoutAddress, { ...deps(), notificationLog });

    expect(withAddressResult).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(withAddressWrites).toEqual(["UpdateCommand", "UpdateCommand", "UpdateCommand"]);
    expect(withoutAddressResult).toMatchObject({ status: "skipped", email: "skipped", sns: "sent" });
    expect(writes).toEqual(["UpdateCommand", "UpdateCommand"]);
    expect(await rowOf("905", paidFor("905"))).toMatchObject({
      status: "sent",
      emailResult: "sent",
      snsResult: "sent",
      emailAttemptedAt: expect.any(Number),
      snsAttemptedAt: expect.any(Number),
    });
  });

  it("tells the customer the totals, the amount paid and the overpayment the outcome carries", async () => {
    const paid = paidFor("960");
    const event = parseOrderOutcomeEvent({
      ...paid,
      detail: {
        ...paid.detail,
        amount: 350,
        paymentHeader: {
          ...(paid.detail as { paymentHeader: object }).paymentHeader,
          totalPaid: 350,
          overpaidAmount: 50,
        },
      },
    });

    await notifyCustomer(event, deps());

    const [mail] = await mailsTo("960");
    expect(mail?.text).toContain(
      "ยอดรวมสินค้า: ฿330.00\nค่าจัดส่ง: ฿20.00\nส่วนลด: -฿50.00\nยอดรวมทั้งสิ้น: ฿300.00\nยอดที่ชำระ: ฿350.00",
    );
    expect(mail?.text).toContain("ชำระเกินยอดรวม ฿50.00");
  });

  it("says no amount was reported instead of 'paid 0 THB' when the callback sent none", async () => {
    const paid = paidFor("961");
    const header = {
      ...(paid.detail as { paymentHeader: object }).paymentHeader,
      totalPaid: 0,
      overpaidAmount: 0,
      amountReported: false,
    };
    const event = parseOrderOutcomeEvent({
      ...paid,
      detail: { ...paid.detail, amount: 0, amountReported: false, paymentHeader: header },
    });

    await notifyCustomer(event, deps());

    const [mail] = await mailsTo("961");
    expect(mail?.text).toContain("ยอดที่ชำระ: ผู้ให้บริการชำระเงินไม่ได้แจ้งยอดเงิน");
    expect(mail?.text).not.toContain("฿0.00");
  });

  it("after SES answered an error (so certainly sent nothing), the retry sends the email", async () => {
    const event = paidFor("901");
    stack.ses.failNext(1, "Throttling");

    await expect(notifyCustomer(event, deps())).rejects.toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      cause: { name: "Throttling" },
    });
    const afterFailure = await deps().notificationLog.read({
      orderId: "901",
      notificationKey: event.detail.idempotencyKey,
    });
    const retried = await notifyCustomer(event, deps());

    expect(afterFailure).toMatchObject({ status: "pending", lastError: expect.stringContaining("Throttling") });
    expect(afterFailure).not.toHaveProperty("emailAttemptedAt");
    expect(retried.status).toBe("sent");
    expect(await mailsTo("901")).toHaveLength(1);
  });

  it("after SNS failed, the retry publishes without sending the email again", async () => {
    const event = paidFor("902");
    stack.sns.failNext(1, "InternalError");

    await expect(notifyCustomer(event, deps())).rejects.toThrow();
    const retried = await notifyCustomer(event, deps());

    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("902")).toHaveLength(1);
    expect(snsFor("902")).toHaveLength(1);
  });

  it("never repeats a step a crashed invocation had started: it becomes uncertain instead", async () => {
    const event = paidFor("903");
    await claimWithTheEmailMark(event);
    // ...the process dies here, maybe after SES accepted the email.

    const result = await notifyCustomer(event, deps(0));

    expect(result).toMatchObject({ status: "uncertain", email: "uncertain", sns: "sent" });
    expect(await mailsTo("903")).toHaveLength(0);
  });

  it("counts an uncertain email as EmailUncertain (SES events or the sweep settle it, no person), and a later duplicate as a recognised redelivery", async () => {
    const event = paidFor("950");
    await claimWithTheEmailMark(event);
    const metrics = createBusinessMetricsCounter();

    await notifyCustomer(event, { ...deps(0), metrics });
    await notifyCustomer(event, { ...deps(0), metrics });

    expect(metrics.counts()).toEqual({ EmailUncertain: 1, SnsPublished: 1, RedeliveryRecognised: 1 });
  });

  it("keeps an uncertain email on its row, exactly as it would have been sent, with the sweep's index keys, in the writes a notification makes anyway", async () => {
    // Prepare
    const event = paidFor("9611");
    const twin = parseOrderOutcomeEvent({
      ...event,
      detail: { ...event.detail, idempotencyKey: "9611:twin:OrderPaid" },
    });
    const sent: OutgoingEmail[] = [];
    const recording: MailSender = {
      send: async (email) => {
        sent.push(email);
        return { kind: "sent", messageId: "twin-message" };
      },
    };
    await notifyCustomer(twin, { ...deps(), mailSender: recording });
    await claimWithTheEmailMark(event);
    const counted = countingUpdates();
    const at = new Date("2026-12-03T12:00:00.000Z");

    // Act
    const result = await notifyCustomer(event, { ...deps(0), notificationLog: counted.log, now: () => at });

    // Assert
    const row = await rowOf("9611", event);
    const key = { orderId: "9611", notificationKey: event.detail.idempotencyKey };
    expect(result).toMatchObject({ status: "uncertain", email: "uncertain" });
    expect(row).toMatchObject({
      status: "uncertain",
      emailResult: "uncertain",
      emailAwaitingProof: "uncertain-email",
      emailUncertainSince: "2026-12-03T12:00:00.000Z",
      uncertainEmail: { ...sent[0], tags: [emailLogTagOf(key)] },
    });
    // Claim, email result with the SNS mark, SNS result with the final status: as for an email sent.
    expect(counted.updates()).toBe(3);
    expect(await mailsTo("9611")).toHaveLength(0);
  });

  it("keeps nothing for the sweep on a row whose email was sent", async () => {
    const event = paidFor("9612");

    await notifyCustomer(event, deps());

    const row = await rowOf("9612", event);
    expect(row?.emailResult).toBe("sent");
    for (const field of ["emailAwaitingProof", "emailUncertainSince", "uncertainEmail"])
      expect(row).not.toHaveProperty(field);
  });

  it("records an uncertain email sent when an SES event of it already reached the row (sesMessageId), without sending", async () => {
    // Prepare
    const event = paidFor("9613");
    await claimWithTheEmailMark(event);
    const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
    await documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { orderId: "9613", notificationKey: event.detail.idempotencyKey },
        UpdateExpression: "SET sesMessageId = :id, sesSentAt = :at",
        ExpressionAttributeValues: { ":id": "ses-9613", ":at": "2026-12-03T12:00:01.000Z" },
      }),
    );

    // Act
    const result = await notifyCustomer(event, deps(0));

    // Assert
    expect(result).toMatchObject({ status: "sent", email: "sent", messageId: "ses-9613" });
    expect(await rowOf("9613", event)).toMatchObject({ emailResult: "sent", emailResolvedBy: "ses-event" });
    expect(await rowOf("9613", event)).not.toHaveProperty("emailAwaitingProof");
    expect(await mailsTo("9613")).toHaveLength(0);
  });

  it("counts an email SES refuses as EmailRefused, and one sent as EmailSent", async () => {
    const metrics = createBusinessMetricsCounter();
    stack.ses.rejectRecipients(["n-951@example.com"]);

    await notifyCustomer(paidFor("951"), { ...deps(), metrics });
    stack.ses.clearFaults();
    await notifyCustomer(paidFor("952"), { ...deps(), metrics });

    expect(metrics.counts()).toEqual({ EmailRefused: 1, EmailSent: 1, SnsPublished: 2 });
  });

  it("turns away a second invocation while the first holds a fresh claim", async () => {
    const event = paidFor("904");
    const key = { orderId: "904", notificationKey: event.detail.idempotencyKey };
    await deps().notificationLog.claim(key, { template: "paid", recipient: null, eventId: event.id });

    await expect(notifyCustomer(event, deps())).rejects.toBeInstanceOf(NotificationInProgressError);
    expect(await mailsTo("904")).toHaveLength(0);
  });
});

describe("notifyCustomer after a failure part-way gives the claim back, so the next delivery resumes at once (F3)", () => {
  it("the claim with the email mark failing: nothing was sent, and the retry sends the email", async () => {
    const event = paidFor("910");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(1, 1),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("910", event);
    const retried = await notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationLogError",
      message: expect.stringContaining("could not claim"),
    });
    expect(afterFailure).toBeUndefined();
    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("910")).toHaveLength(1);
  });

  it("the claim applied by DynamoDB but answered with an error: its email mark is noted as without effect, and the delivery after the lease sends the email, once", async () => {
    const event = paidFor("918");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(1, 1, { applied: true, idempotencyTableName }),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("918", event);
    const afterTheLease = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(0, 0, { idempotencyTableName, leaseMs: 0 }),
    });

    expect(failure).toMatchObject({
      name: "NotificationLogError",
      message: expect.stringContaining("could not claim"),
    });
    expect(afterFailure).toMatchObject({ status: "sending", emailAttemptedAt: expect.any(Number) });
    expect(afterTheLease).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("918")).toHaveLength(1);
  });

  it("SES answering an error while the release fails for longer than a record write's retries: the release still gets through, and the retry sends the email", async () => {
    const event = paidFor("911");
    stack.ses.failNext(1, "ServiceUnavailable");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(2, 4),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("911", event);
    const retried = await notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      cause: { name: "ServiceUnavailable" },
    });
    expect(afterFailure).toMatchObject({ status: "pending", lastError: expect.stringContaining("ServiceUnavailable") });
    expect(afterFailure).not.toHaveProperty("emailAttemptedAt");
    expect(retried.status).toBe("sent");
    expect(await mailsTo("911")).toHaveLength(1);
  });

  it("`complete` failing: the results stay recorded, and the retry completes the row without sending anything again", async () => {
    const event = paidFor("912");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(3, 3),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("912", event);
    const retried = await notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      message: expect.stringContaining("completing the email log row as sent failed"),
    });
    expect(afterFailure).toMatchObject({ status: "pending", emailResult: "sent", snsResult: "sent" });
    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("912")).toHaveLength(1);
    expect(snsFor("912")).toHaveLength(1);
  });

  it("the result of a sent email failing to be written with the SNS mark (F2): the release writes it and clears the SNS mark, and the retry publishes the SNS message without sending the email again", async () => {
    const event = paidFor("913");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(2, 3),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("913", event);
    const retried = await notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      message: expect.stringContaining("marking the SNS message as attempted with the email recorded as sent failed"),
    });
    expect(afterFailure).toMatchObject({
      status: "pending",
      emailResult: "sent",
      messageId: expect.any(String),
      emailAttemptedAt: expect.any(Number),
    });
    expect(afterFailure).not.toHaveProperty("snsAttemptedAt");
    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("913")).toHaveLength(1);
    expect(snsFor("913")).toHaveLength(1);
  });

  it("SES's answer lost (the email may have gone): the attempt stays marked, and the retry records it uncertain at once, without waiting out the lease, and publishes the SNS message", async () => {
    const event = paidFor("914");

    const failure = await notifyCustomer(event, {
      ...deps(),
      mailSender: createSesMailSender({ client: sesLosingTheAnswer(), senderEmail: "payments@payment3.example" }),
    }).catch((error: unknown) => error);
    const afterFailure = await rowOf("914", event);
    const retried = await notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      cause: { name: "TimeoutError" },
    });
    expect(afterFailure).toMatchObject({ status: "pending", emailAttemptedAt: expect.any(Number) });
    expect(retried).toMatchObject({ status: "uncertain", email: "uncertain", sns: "sent" });
    expect(await mailsTo("914")).toHaveLength(1);
    expect(snsFor("914")).toHaveLength(1);
  });

  it("the release failing past all its retries (the remaining window): the error says the claim is held and that SES sent nothing", async () => {
    const event = paidFor("915");
    stack.ses.failNext(1, "Throttling");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(2, 5),
    }).catch((error: unknown) => error);
    const next = notifyCustomer(event, deps());

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: false,
      cause: { name: "Throttling" },
    });
    expect((failure as Error).message).toContain("the claim could not be given back either");
    expect((failure as Error).message).toContain(
      "the email was NOT sent, but its attempt mark may still be on the row",
    );
    await expect(next).rejects.toBeInstanceOf(NotificationInProgressError);
    expect(await mailsTo("915")).toHaveLength(0);
  });

  it("the release failing past all its retries, with somewhere else to note it: the attempt is noted as without effect, and the delivery after the lease sends the email, once", async () => {
    const event = paidFor("916");
    stack.ses.failNext(1, "Throttling");

    const failure = await notifyCustomer(event, {
      ...deps(),
      notificationLog: notificationLogFailingWrites(2, 5, { idempotencyTableName }),
    }).catch((error: unknown) => error);
    const afterTheLease = {
      ...deps(),
      notificationLog: createNotificationLog({
        documentClient: createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url }),
        tableName,
        leaseMs: 0,
        idempotencyTableName,
      }),
    };
    const next = await notifyCustomer(event, afterTheLease);

    expect((failure as Error).message).toContain(
      "the email was NOT sent, and this is noted, so the delivery after the lease does it",
    );
    expect(next).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(await mailsTo("916")).toHaveLength(1);
    expect(snsFor("916")).toHaveLength(1);
  });

  it("an attempt mark without a note is still never repeated, even with somewhere to look: uncertain", async () => {
    const event = paidFor("917");
    const withNotes = (leaseMs: number) => ({
      ...deps(),
      notificationLog: createNotificationLog({
        documentClient: createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url }),
        tableName,
        leaseMs,
        idempotencyTableName,
      }),
    });
    const firstRun = withNotes(60_000);
    const claim = await firstRun.notificationLog.claim(
      { orderId: "917", notificationKey: event.detail.idempotencyKey },
      { template: "paid", recipient: "n-917@example.com", eventId: event.id, markAttempt: "email" },
    );
    if (claim.kind !== "claimed") throw new Error("expected a fresh claim");

    const next = await notifyCustomer(event, withNotes(0));

    expect(next).toMatchObject({ status: "uncertain", email: "uncertain", sns: "sent" });
    expect(await mailsTo("917")).toHaveLength(0);
  });
});

/** Ports that answer as planned (then `sent` / `published`) and record what they were asked to do. */
function plannedPorts(mailAnswers: readonly MailSendAnswer[], topicAnswers: readonly TopicPublishAnswer[]) {
  const emails: OutgoingEmail[] = [];
  const messages: TopicMessage[] = [];
  const mailSender: MailSender = {
    async send(email) {
      emails.push(email);
      return mailAnswers[emails.length - 1] ?? { kind: "sent", messageId: `m-${emails.length}` };
    },
  };
  const topicPublisher: TopicPublisher = {
    async publish(message) {
      messages.push(message);
      return topicAnswers[messages.length - 1] ?? { kind: "published", messageId: `s-${messages.length}` };
    },
  };
  return { mailSender, topicPublisher, emails, messages };
}

const awsError = (name: string) => Object.assign(new Error(`${name} (planned)`), { name });
const withoutEffect = (name: string): FailedCall => ({ kind: "failed", effect: "none", error: awsError(name) });
const maybeDone = (name: string): FailedCall => ({ kind: "failed", effect: "unknown", error: awsError(name) });

describe("notifyCustomer on each answer of its ports (in-memory mail sender and topic publisher, the notification log on the local DynamoDB)", () => {
  const cases: {
    readonly name: string;
    readonly orderId: string;
    readonly withAddress?: false;
    readonly mail: readonly MailSendAnswer[];
    readonly topic: readonly TopicPublishAnswer[];
    /** The first run's result, or the `claimReleased` of the error it throws. */
    readonly first: object | { readonly claimReleased: boolean };
    /** The row after the first run: fields it has, attempt marks it must not have. */
    readonly row: object;
    readonly rowLacks: readonly string[];
    /** The second run, with ports that succeed. */
    readonly second: object;
    /** Calls over both runs: [emails, topic messages]. */
    readonly calls: readonly [number, number];
  }[] = [
    {
      name: "both accepted: sent, with both message ids",
      orderId: "940",
      mail: [],
      topic: [],
      first: { status: "sent", email: "sent", sns: "sent", messageId: "m-1", snsMessageId: "s-1" },
      row: { status: "sent", emailResult: "sent", messageId: "m-1", snsResult: "sent", snsMessageId: "s-1" },
      rowLacks: ["claimToken"],
      second: { status: "duplicate" },
      calls: [1, 1],
    },
    {
      name: "the address refused: failed, not retried, the topic still told",
      orderId: "941",
      mail: [{ kind: "refused", error: awsError("MessageRejected") }],
      topic: [],
      first: { status: "failed", email: "failed", sns: "sent", snsMessageId: "s-1" },
      row: { status: "failed", emailError: expect.stringContaining("MessageRejected"), snsResult: "sent" },
      rowLacks: ["messageId"],
      second: { status: "duplicate" },
      calls: [1, 1],
    },
    {
      name: "no address: skipped without a send, the topic still told",
      orderId: "942",
      withAddress: false,
      mail: [],
      topic: [],
      first: { status: "skipped", email: "skipped", sns: "sent", snsMessageId: "s-1" },
      row: { status: "skipped", recipient: null, snsResult: "sent" },
      rowLacks: ["emailAttemptedAt"],
      second: { status: "duplicate" },
      calls: [0, 1],
    },
    {
      name: "the send failed without effect: released with no email mark, the retry sends",
      orderId: "943",
      mail: [withoutEffect("Throttling")],
      topic: [],
      first: { claimReleased: true },
      row: { status: "pending", lastError: expect.stringContaining("Throttling") },
      rowLacks: ["emailAttemptedAt", "claimToken"],
      second: { status: "sent", email: "sent", sns: "sent" },
      calls: [2, 1],
    },
    {
      name: "the send got no answer: released with the email mark kept, the retry records it uncertain without sending",
      orderId: "944",
      mail: [maybeDone("TimeoutError")],
      topic: [],
      first: { claimReleased: true },
      row: { status: "pending", emailAttemptedAt: expect.any(Number) },
      rowLacks: ["emailResult", "claimToken"],
      second: { status: "uncertain", email: "uncertain", sns: "sent" },
      calls: [1, 1],
    },
    {
      name: "the publish failed without effect: the email result kept, the retry publishes only",
      orderId: "945",
      mail: [],
      topic: [withoutEffect("InternalError")],
      first: { claimReleased: true },
      row: { status: "pending", emailResult: "sent", messageId: "m-1" },
      rowLacks: ["snsAttemptedAt", "claimToken"],
      second: { status: "sent", email: "sent", sns: "sent", messageId: "m-1", snsMessageId: "s-1" },
      calls: [1, 2],
    },
    {
      name: "the publish got no answer: the SNS mark kept, the retry records it uncertain without publishing",
      orderId: "946",
      mail: [],
      topic: [maybeDone("TimeoutError")],
      first: { claimReleased: true },
      row: { status: "pending", emailResult: "sent", snsAttemptedAt: expect.any(Number) },
      rowLacks: ["snsResult", "claimToken"],
      second: { status: "uncertain", email: "sent", sns: "uncertain" },
      calls: [1, 1],
    },
  ];

  it.each(cases)("$name", async ({ orderId, withAddress, mail, topic, first, row, rowLacks, second, calls }) => {
    const paid = paidFor(orderId);
    const event =
      withAddress === false
        ? parseOrderOutcomeEvent({
            ...paid,
            detail: { ...paid.detail, order: { ...paid.detail.order, customer: { name: "Somchai" } } },
          })
        : paid;
    const firstPorts = plannedPorts(mail, topic);
    const secondPorts = plannedPorts([], []);

    const firstRun = await notifyCustomer(event, { ...deps(), ...firstPorts }).catch((error: unknown) => error);
    const afterFirst = await rowOf(orderId, event);
    const secondRun = await notifyCustomer(event, { ...deps(), ...secondPorts });

    if ("claimReleased" in first) expect(firstRun).toMatchObject({ name: "NotificationNotFinishedError", ...first });
    else expect(firstRun).toEqual(first);
    expect(afterFirst).toMatchObject(row);
    for (const field of rowLacks) expect(afterFirst).not.toHaveProperty(field);
    expect(secondRun).toMatchObject(second);
    expect([
      firstPorts.emails.length + secondPorts.emails.length,
      firstPorts.messages.length + secondPorts.messages.length,
    ]).toEqual(calls);
  });

  it("writes the email to the customer's address and tells the topic the outcome and the email's result", async () => {
    const event = paidFor("947");
    const ports = plannedPorts([], []);

    await notifyCustomer(event, { ...deps(), ...ports });

    expect(ports.emails).toEqual([
      expect.objectContaining({
        to: "n-947@example.com",
        subject: expect.any(String),
        html: expect.any(String),
        text: expect.any(String),
      }),
    ]);
    expect(ports.messages).toEqual([
      { body: expect.any(String), attributes: { eventType: "OrderPaid", orderId: "947" } },
    ]);
    expect(JSON.parse(ports.messages[0]!.body)).toMatchObject({
      eventType: "OrderPaid",
      orderId: "947",
      idempotencyKey: "947:p:OrderPaid",
      email: "sent",
    });
  });

  it("a mail sender that throws instead of answering: its effect is unknown, so the mark stays and the email is never repeated", async () => {
    const event = paidFor("948");
    const throwing: MailSender = {
      async send() {
        throw awsError("Bug");
      },
    };
    const ports = plannedPorts([], []);

    const failure = await notifyCustomer(event, { ...deps(), mailSender: throwing }).catch((error: unknown) => error);
    const retried = await notifyCustomer(event, { ...deps(), ...ports });

    expect(failure).toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
      cause: { name: "Bug" },
    });
    expect(retried).toMatchObject({ status: "uncertain", email: "uncertain", sns: "sent" });
    expect(ports.emails).toEqual([]);
  });
});
