import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListTopicsCommand,
  PublishCommand,
  SNSClient,
  SetTopicAttributesCommand,
  type PublishCommandInput,
  type SNSClientConfig,
} from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalEndpoint, type LocalEndpoint } from "../http/local-endpoint";
import { fakeSigV4Authorization } from "../http/fake-sigv4";
import { createLocalSns, type LocalSns } from "./local-sns";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

let sns: LocalSns;
let endpoint: LocalEndpoint;
const clients: SNSClient[] = [];

function snsClient(config: Partial<SNSClientConfig> = {}): SNSClient {
  const client = new SNSClient({ endpoint: endpoint.url, region: "ap-southeast-1", credentials, ...config });
  clients.push(client);
  return client;
}

async function createTopic(name: string, attributes?: Record<string, string>): Promise<string> {
  const { TopicArn } = await snsClient().send(
    new CreateTopicCommand({ Name: name, ...(attributes ? { Attributes: attributes } : {}) }),
  );
  return TopicArn!;
}

async function postForm(
  body: string,
  authorization: string | undefined = fakeSigV4Authorization("sns"),
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${endpoint.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  sns = createLocalSns();
  endpoint = await startLocalEndpoint({ port: 0, services: [sns.service] });
});

afterEach(() => {
  sns.clearFaults();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await endpoint.close();
  await sns.close();
});

describe("local SNS topics through @aws-sdk/client-sns", () => {
  it("CreateTopic answers the local ARN and is idempotent by name", async () => {
    // Prepare
    const client = snsClient();

    // Act
    const first = await client.send(
      new CreateTopicCommand({ Name: "order-paid", Attributes: { DisplayName: "Order paid" } }),
    );
    const again = await client.send(
      new CreateTopicCommand({ Name: "order-paid", Attributes: { DisplayName: "Order paid" } }),
    );

    // Assert
    expect(first.TopicArn).toBe("arn:aws:sns:ap-southeast-1:000000000000:order-paid");
    expect(again.TopicArn).toBe(first.TopicArn);
    expect(sns.listTopics().filter((topic) => topic.name === "order-paid")).toHaveLength(1);
  });

  it("CreateTopic with the same name but other attributes is InvalidParameter", async () => {
    // Prepare
    await createTopic("display-clash", { DisplayName: "one" });

    // Act
    const error = await snsClient()
      .send(new CreateTopicCommand({ Name: "display-clash", Attributes: { DisplayName: "two" } }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "InvalidParameterException", $metadata: { httpStatusCode: 400 } });
  });

  it("ListTopics lists the region's topics", async () => {
    // Prepare
    const arn = await createTopic("listed-topic");
    const elsewhere = new SNSClient({ endpoint: endpoint.url, region: "us-east-1", credentials });
    clients.push(elsewhere);
    const otherRegionArn = (await elsewhere.send(new CreateTopicCommand({ Name: "listed-topic" }))).TopicArn;

    // Act
    const { Topics } = await snsClient().send(new ListTopicsCommand({}));

    // Assert
    const arns = (Topics ?? []).map((topic) => topic.TopicArn);
    expect(arns).toContain(arn);
    expect(otherRegionArn).toBe("arn:aws:sns:us-east-1:000000000000:listed-topic");
    expect(arns).not.toContain(otherRegionArn);
  });

  it("GetTopicAttributes reports the ARN, owner and set attributes; SetTopicAttributes changes them", async () => {
    // Prepare
    const arn = await createTopic("with-attributes", { DisplayName: "before" });
    await snsClient().send(
      new SetTopicAttributesCommand({
        TopicArn: arn,
        AttributeName: "DisplayName",
        AttributeValue: "แจ้งเตือน & <alerts>",
      }),
    );

    // Act
    const { Attributes } = await snsClient().send(new GetTopicAttributesCommand({ TopicArn: arn }));

    // Assert
    expect(Attributes).toMatchObject({
      TopicArn: arn,
      Owner: "000000000000",
      DisplayName: "แจ้งเตือน & <alerts>",
      SubscriptionsConfirmed: "0",
    });
    expect(JSON.parse(Attributes!.Policy!)).toMatchObject({ Statement: [{ Resource: arn }] });
  });

  it("DeleteTopic removes the topic; a second delete is not an error, as in AWS", async () => {
    // Prepare
    const arn = await createTopic("to-delete");

    // Act
    await snsClient().send(new DeleteTopicCommand({ TopicArn: arn }));
    const again = await snsClient().send(new DeleteTopicCommand({ TopicArn: arn }));

    // Assert
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(sns.listTopics().map((topic) => topic.topicArn)).not.toContain(arn);
    await expect(snsClient().send(new GetTopicAttributesCommand({ TopicArn: arn }))).rejects.toMatchObject({
      name: "NotFoundException",
    });
  });
});

describe("local SNS Publish", () => {
  it("records the message, subject and typed attributes for listPublishedMessages", async () => {
    // Prepare
    const arn = await createTopic("payment-events");

    // Act
    const { MessageId } = await snsClient().send(
      new PublishCommand({
        TopicArn: arn,
        Subject: "ชำระเงินแล้ว",
        Message: JSON.stringify({ orderId: "o-1", note: "ขอบคุณ" }),
        MessageAttributes: {
          eventType: { DataType: "String", StringValue: "PaymentConfirmed" },
          amount: { DataType: "Number", StringValue: "1250.50" },
          tags: { DataType: "String.Array", StringValue: '["wallet","th"]' },
          signature: { DataType: "Binary", BinaryValue: new Uint8Array([0, 1, 254, 255]) },
        },
      }),
    );

    // Assert
    const [recorded] = sns.listPublishedMessages(arn);
    expect(recorded).toMatchObject({
      messageId: MessageId,
      topicArn: arn,
      subject: "ชำระเงินแล้ว",
      message: JSON.stringify({ orderId: "o-1", note: "ขอบคุณ" }),
      attributes: {
        eventType: { dataType: "String", stringValue: "PaymentConfirmed" },
        amount: { dataType: "Number", stringValue: "1250.50" },
        tags: { dataType: "String.Array", stringValue: '["wallet","th"]' },
      },
    });
    expect([...recorded!.attributes.signature!.binaryValue!]).toEqual([0, 1, 254, 255]);
    expect(MessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("accepts TargetArn in place of TopicArn", async () => {
    // Prepare
    const arn = await createTopic("by-target");

    // Act
    const { MessageId } = await snsClient().send(new PublishCommand({ TargetArn: arn, Message: "hello" }));

    // Assert
    expect(sns.listPublishedMessages(arn).map((message) => message.messageId)).toEqual([MessageId]);
  });

  it("publishing to a topic that does not exist is NotFound (404), surfaced as NotFoundException", async () => {
    // Prepare
    const missing = "arn:aws:sns:ap-southeast-1:000000000000:no-such-topic";

    // Act
    const error = await snsClient()
      .send(new PublishCommand({ TopicArn: missing, Message: "lost" }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      name: "NotFoundException",
      message: "Topic does not exist",
      $metadata: { httpStatusCode: 404 },
    });
    expect(sns.listPublishedMessages(missing)).toEqual([]);
  });

  it.each<[string, Partial<PublishCommandInput>, string, RegExp]>([
    ["a missing message", {}, "InvalidParameterException", /Empty message/],
    ["a subject with a line break", { Message: "m", Subject: "a\nb" }, "InvalidParameterException", /Subject/],
    [
      "json structure without default",
      { Message: '{"email":"x"}', MessageStructure: "json" },
      "InvalidParameterException",
      /No default entry/,
    ],
    [
      "a Number attribute that is not a number",
      { Message: "m", MessageAttributes: { n: { DataType: "Number", StringValue: "abc" } } },
      "InvalidParameterValueException",
      /cast message attribute 'n'/,
    ],
    [
      "an attribute of an unknown type",
      { Message: "m", MessageAttributes: { n: { DataType: "Date", StringValue: "x" } } },
      "InvalidParameterValueException",
      /invalid message attribute type/,
    ],
  ])("rejects %s with SNS's error", async (_label, input, name, message) => {
    // Prepare
    const arn = await createTopic("validation");

    // Act
    // The SDK does not check required members itself, so a missing Message reaches the service.
    const error = await snsClient()
      .send(new PublishCommand({ TopicArn: arn, ...input } as PublishCommandInput))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name, $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(message);
  });

  it("a FIFO topic needs MessageGroupId and answers a SequenceNumber", async () => {
    // Prepare
    const arn = await createTopic("orders.fifo", { FifoTopic: "true", ContentBasedDeduplication: "true" });

    // Act
    const withoutGroup = await snsClient()
      .send(new PublishCommand({ TopicArn: arn, Message: "m" }))
      .catch((caught: unknown) => caught);
    const first = await snsClient().send(
      new PublishCommand({ TopicArn: arn, Message: "m1", MessageGroupId: "order-1", MessageDeduplicationId: "d-1" }),
    );
    const second = await snsClient().send(
      new PublishCommand({ TopicArn: arn, Message: "m2", MessageGroupId: "order-1" }),
    );

    // Assert
    expect(withoutGroup).toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("MessageGroupId"),
    });
    expect(BigInt(second.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    expect(
      sns.listPublishedMessages(arn).map((message) => [message.messageGroupId, message.messageDeduplicationId]),
    ).toEqual([
      ["order-1", "d-1"],
      ["order-1", undefined],
    ]);
  });
});

describe("local SNS fault hook", () => {
  it("failNext answers the code to a client that does not retry, then serves again", async () => {
    // Prepare
    const arn = await createTopic("faulty");
    const client = snsClient({ maxAttempts: 1 });
    sns.failNext(1, "Throttled");

    // Act
    const error = await client
      .send(new PublishCommand({ TopicArn: arn, Message: "m" }))
      .catch((caught: unknown) => caught);
    const next = await client.send(new PublishCommand({ TopicArn: arn, Message: "m" }));

    // Assert
    expect(error).toMatchObject({ name: "ThrottledException", $metadata: { httpStatusCode: 429 } });
    expect(sns.listPublishedMessages(arn).map((message) => message.messageId)).toEqual([next.MessageId]);
  });

  it("failNext(3, InternalError) exhausts a default client's three attempts", async () => {
    // Prepare
    const arn = await createTopic("exhausted");
    sns.failNext(3, "InternalError");

    // Act
    const error = await snsClient()
      .send(new PublishCommand({ TopicArn: arn, Message: "m" }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "InternalErrorException", $metadata: { httpStatusCode: 500, attempts: 3 } });
    expect(sns.listPublishedMessages(arn)).toEqual([]);
  });
});

describe("local SNS, malformed requests", () => {
  it.each([
    ["a JSON body", '{"Action":"Publish"}', "MissingAction"],
    ["an unknown action", "Action=DoSomething", "InvalidAction"],
    ["a topic ARN that is not an ARN", "Action=Publish&TopicArn=order-paid&Message=m", "InvalidParameter"],
  ])("answers %s with 400 and a Query XML error", async (_label, body, code) => {
    // Act
    const response = await postForm(body);

    // Assert
    expect(response.status).toBe(400);
    expect(response.text).toContain(`<Code>${code}</Code>`);
    expect(response.text).toContain('<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">');
  });

  it("keeps serving after a malformed request", async () => {
    // Prepare
    const arn = await createTopic("after-garbage");
    await postForm("\u0000\u0001garbage=%E0%A4");

    // Act
    const { MessageId } = await snsClient().send(new PublishCommand({ TopicArn: arn, Message: "still here" }));

    // Assert
    expect(sns.listPublishedMessages(arn).map((message) => message.messageId)).toEqual([MessageId]);
  });
});
