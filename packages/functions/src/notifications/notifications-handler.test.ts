import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  createDocumentClient,
  createNotificationLog,
  createSesMailSender,
  createSnsTopicPublisher,
  EMAIL_LOG_TABLE_KEYS,
  IDEMPOTENCY_TABLE_KEYS,
} from "@payment3/core";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNotificationsHandler } from "./notifications-handler";

let stack: AwsLocal;
let handler: ReturnType<typeof createNotificationsHandler>;
const idempotencyTableName = "notifications-idempotency-test";

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
  await ensureTable(stack.dynamoDb, idempotencyTableName, IDEMPOTENCY_TABLE_KEYS);
  const options = { endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 };
  const sns = new SNSClient(options);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "notifications-handler-test" }))).TopicArn!;
  const documentClient = createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url });
  handler = createNotificationsHandler(
    {
      notificationLog: createNotificationLog({ documentClient, tableName: "email-log-handler-test", leaseMs: 60_000 }),
      mailSender: createSesMailSender({ client: new SESClient(options), senderEmail: "payments@payment3.example" }),
      topicPublisher: createSnsTopicPublisher({ client: sns, topicArn }),
    },
    new DynamoDBPersistenceLayer({
      tableName: idempotencyTableName,
      awsSdkV3Client: new DynamoDBClient({ region: "ap-southeast-1", endpoint: stack.url }),
    }),
    new Logger({ logLevel: "SILENT" }),
  );
});
afterAll(async () => {
  await stack?.close();
});

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

const idempotencyRecords = async () =>
  (
    await createDocumentClient({ region: "ap-southeast-1", endpoint: stack.url }).send(
      new ScanCommand({ TableName: idempotencyTableName }),
    )
  ).Items ?? [];
const mailsTo = async (orderId: string) =>
  (await stack.ses.listSentEmails()).filter((mail) => mail.to.includes(`h-${orderId}@example.com`));

describe("notifications Lambda handler", () => {
  it("a failed invocation leaves no Powertools INPROGRESS record behind, so the platform's retry sends at once; a later duplicate gets the stored result", async () => {
    const event = paidEnvelope("920");
    stack.ses.failNext(1, "Throttling");

    await expect(handler(event, context)).rejects.toMatchObject({
      name: "NotificationNotFinishedError",
      claimReleased: true,
    });
    const afterFailure = await idempotencyRecords();
    const retried = await handler(event, context);
    const duplicate = await handler(event, context);

    expect(afterFailure).toEqual([]);
    expect(retried).toMatchObject({ status: "sent", email: "sent", sns: "sent" });
    expect(duplicate).toEqual(retried);
    expect((await idempotencyRecords()).map((record) => record.status)).toEqual(["COMPLETED"]);
    expect(await mailsTo("920")).toHaveLength(1);
  });
});
