import { SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  ALARMED_BUSINESS_METRICS,
  createDocumentClient,
  createNotificationLog,
  createSesMailSender,
  createSnsTopicPublisher,
  EMAIL_LOG_TABLE_KEYS,
  NotificationInProgressError,
} from "@payment3/core";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { createNotificationsHandler } from "./notifications-handler";

let stack: AwsLocal;
let handler: ReturnType<typeof createNotificationsHandler>;
let topicArn: string;

const context = {
  functionName: "payment3-test-notifications",
  functionVersion: "$LATEST",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:payment3-test-notifications",
  memoryLimitInMB: "512",
  awsRequestId: "req-1",
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

beforeAll(async () => {
  stack = await startAwsLocal();
  await ensureTable(stack.dynamoDb, "email-log-handler-test", EMAIL_LOG_TABLE_KEYS);
  const options = { endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 };
  const sns = new SNSClient(options);
  topicArn = (await sns.send(new CreateTopicCommand({ Name: "notifications-handler-test" }))).TopicArn!;
  const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
  handler = createNotificationsHandler(
    {
      notificationLog: createNotificationLog({ documentClient, tableName: "email-log-handler-test", leaseMs: 60_000 }),
      mailSender: createSesMailSender({ client: new SESClient(options), senderEmail: "payments@payment3.example" }),
      topicPublisher: createSnsTopicPublisher({ client: sns, topicArn }),
      metrics: createEmfBusinessMetrics({ stage: "test", subscriptionName: "notifications" }),
    },
    new Logger({ logLevel: "SILENT" }),
  );
});
afterAll(async () => {
  vi.restoreAllMocks();
  await stack?.close();
});

/** The CloudWatch embedded metric format lines the function writes to its log (stdout) while `act` runs. */
async function emfLinesDuring(act: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  });
  try {
    await act();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.filter((line) => "_aws" in line);
}

/** The example OrderPaid envelope, for an order of the test's own. */
function paidEnvelope(orderId: string) {
  const example = readExampleEnvelope("OrderPaid.v1.json") as { detail: Record<string, unknown> };
  const order = {
    ...(example.detail.order as object),
    orderId,
    customer: { name: "Somchai", email: `h-${orderId}@example.com`, locale: "en" },
  };
  return { ...example, detail: { ...example.detail, orderId, order, idempotencyKey: `${orderId}:p:OrderPaid` } };
}

const mailsTo = async (orderId: string) =>
  (await stack.ses.listSentEmails()).filter((mail) => mail.to.includes(`h-${orderId}@example.com`));
const snsFor = (orderId: string) =>
  stack.sns.listPublishedMessages(topicArn).filter((message) => JSON.parse(message.message).orderId === orderId);

describe("notifications Lambda handler", () => {
  it("a failed invocation gives its claim back, so the platform's retry sends at once; a later duplicate gets the recorded result and sends nothing", async () => {
    const event = paidEnvelope("920");
    stack.ses.failNext(1, "Throttling");

    const failure = await handler(event, context).catch((error: unknown) => error);
    const retried = await handler(event, context);
    const duplicate = await handler(event, context);

    expect(failure).toMatchObject({ name: "NotificationNotFinishedError", claimReleased: true });
    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(duplicate).toEqual({ ...retried, status: "duplicate" });
    expect(await mailsTo("920")).toHaveLength(1);
    expect(snsFor("920")).toHaveLength(1);
  });

  it("of concurrent deliveries of one outcome, one sends and the others are turned away until it is done; their retries send nothing", async () => {
    const event = paidEnvelope("922");

    const settled = await Promise.allSettled(Array.from({ length: 6 }, () => handler(event, context)));
    const retries = await Promise.all(
      settled.filter((result) => result.status === "rejected").map(() => handler(event, context)),
    );

    const sent = settled.filter((result) => result.status === "fulfilled" && result.value.status === "sent");
    const turnedAway = settled.filter((result) => result.status === "rejected");
    expect(sent).toHaveLength(1);
    for (const result of turnedAway)
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(NotificationInProgressError);
    expect(retries.every((result) => result.status === "duplicate")).toBe(true);
    expect(await mailsTo("922")).toHaveLength(1);
    expect(snsFor("922")).toHaveLength(1);
  });

  it("emits, for an email SES refuses, the EMF line the EmailRefused alarm watches: payment3 / EmailRefused, service and stage", async () => {
    const event = paidEnvelope("921");
    stack.ses.rejectRecipients(["h-921@example.com"]);

    let result: unknown;
    const emf = await emfLinesDuring(async () => {
      result = await handler(event, context);
    });
    stack.ses.clearFaults();

    expect(result).toMatchObject({ status: "failed", email: "failed", sns: "sent" });
    const alarm = ALARMED_BUSINESS_METRICS.find((entry) => entry.id === "EmailRefused")!;
    expect(emf).toContainEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          { Namespace: "payment3", Dimensions: [["service", "stage"]], Metrics: [{ Name: alarm.name, Unit: "Count" }] },
        ],
      },
      service: "payment3-notifications",
      stage: "test",
      [alarm.name]: 1,
    });
    expect(emf.map((line) => Object.keys(line).find((key) => !["_aws", "service", "stage"].includes(key)))).toEqual([
      "EmailRefused",
      "SnsPublished",
    ]);
  });
});
