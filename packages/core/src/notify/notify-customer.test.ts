import { SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { parseOrderOutcomeEvent, type OrderOutcomeEvent } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startLocalStack, type LocalStack } from "@payment3/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocumentClient } from "../aws/aws-clients";
import { EMAIL_LOG_TABLE_KEYS } from "../config/table-keys";
import { createEmailLog, NotificationInProgressError } from "./email-log";
import { notifyCustomer, type NotificationDependencies } from "./notify-customer";

let stack: LocalStack;
let topicArn: string;
const tableName = "email-log-test";

beforeAll(async () => {
  stack = await startLocalStack();
  await ensureTable(stack.dynamoDb, tableName, EMAIL_LOG_TABLE_KEYS);
  const sns = new SNSClient({ endpoint: stack.url, region: "ap-southeast-1" });
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "notify-test" }))).TopicArn!;
});
afterAll(async () => {
  await stack?.close();
});

function deps(leaseMs = 60_000): NotificationDependencies {
  const options = { endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 };
  return {
    emailLog: createEmailLog({ documentClient: createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url }), tableName, leaseMs }),
    ses: new SESClient(options),
    sns: new SNSClient(options),
    topicArn,
    senderEmail: "payments@payment3.example",
  };
}

/** The example OrderPaid, for an order of the test's own. */
function paidFor(orderId: string): OrderOutcomeEvent {
  const example = readExampleEnvelope("OrderPaid.v1.json") as { detail: Record<string, unknown> };
  const order = { ...(example.detail.order as object), orderId, customer: { name: "Somchai", email: `n-${orderId}@example.com`, locale: "th" } };
  return parseOrderOutcomeEvent({ ...example, detail: { ...example.detail, orderId, order, idempotencyKey: `${orderId}:p:OrderPaid` } });
}

const mailsTo = async (orderId: string) => (await stack.ses.listSentEmails()).filter((m) => m.to.includes(`n-${orderId}@example.com`));
const snsFor = (orderId: string) => stack.sns.listPublishedMessages(topicArn).filter((m) => JSON.parse(m.message).orderId === orderId);

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

  it("after SES answered an error (so certainly sent nothing), the retry sends the email", async () => {
    const event = paidFor("901");
    stack.ses.failNext(1, "Throttling");

    await expect(notifyCustomer(event, deps())).rejects.toMatchObject({ name: "Throttling" });
    const afterFailure = await deps().emailLog.read({ orderId: "901", notificationKey: event.detail.idempotencyKey });
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
    const key = { orderId: "903", notificationKey: event.detail.idempotencyKey };
    const crashed = deps(0).emailLog;
    const claim = await crashed.claim(key, { template: "paid", recipient: "n-903@example.com", eventId: event.id });
    if (claim.kind !== "claimed") throw new Error("expected a claim");
    await crashed.markAttempt(key, claim.token, "email");
    // ...the process dies here, maybe after SES accepted the email.

    const result = await notifyCustomer(event, deps(0));

    expect(result).toMatchObject({ status: "uncertain", email: "uncertain", sns: "sent" });
    expect(await mailsTo("903")).toHaveLength(0);
  });

  it("turns away a second invocation while the first holds a fresh claim", async () => {
    const event = paidFor("904");
    const key = { orderId: "904", notificationKey: event.detail.idempotencyKey };
    await deps().emailLog.claim(key, { template: "paid", recipient: null, eventId: event.id });

    await expect(notifyCustomer(event, deps())).rejects.toBeInstanceOf(NotificationInProgressError);
    expect(await mailsTo("904")).toHaveLength(0);
  });
});
