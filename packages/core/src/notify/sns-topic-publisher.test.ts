import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSnsTopicPublisher } from "./sns-topic-publisher";

let stack: AwsLocal;
let topicArn: string;

beforeAll(async () => {
  stack = await startAwsLocal();
  topicArn = (await client().send(new CreateTopicCommand({ Name: "sns-topic-publisher-test" }))).TopicArn!;
});
afterAll(async () => {
  await stack?.close();
});

function client(): SNSClient {
  return new SNSClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 });
}

describe("the SNS topic publisher, against the local SNS", () => {
  it("publishes the body with every attribute as a String and answers published with SNS's message id", async () => {
    const answer = await createSnsTopicPublisher({ client: client(), topicArn }).publish({
      body: '{"orderId":"sns-1"}',
      attributes: { eventType: "OrderPaid", orderId: "sns-1" },
    });

    const published = stack.sns
      .listPublishedMessages(topicArn)
      .filter((message) => message.message === '{"orderId":"sns-1"}');
    expect(answer).toEqual({ kind: "published", messageId: published[0]?.messageId });
    expect(published).toEqual([
      expect.objectContaining({
        attributes: {
          eventType: { dataType: "String", stringValue: "OrderPaid" },
          orderId: { dataType: "String", stringValue: "sns-1" },
        },
      }),
    ]);
  });

  it("answers failed without effect when SNS answers an error", async () => {
    stack.sns.failNext(1, "InternalError");

    const answer = await createSnsTopicPublisher({ client: client(), topicArn }).publish({
      body: '{"orderId":"sns-2"}',
      attributes: {},
    });

    expect(answer).toMatchObject({ kind: "failed", effect: "none", error: { name: "InternalErrorException" } });
    expect(
      stack.sns.listPublishedMessages(topicArn).filter((message) => message.message === '{"orderId":"sns-2"}'),
    ).toEqual([]);
  });
});
