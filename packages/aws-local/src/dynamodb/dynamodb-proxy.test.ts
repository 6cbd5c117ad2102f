import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const TABLE = "orders-proxy-test";
const STORED = { orderId: { S: "8000001" }, status: { S: "PAID" }, totalPaid: { N: "300" } };

let stack: AwsLocal;
let client: DynamoDBClient;
beforeAll(async () => {
  stack = await startAwsLocal({ region: "eu-west-1" });
  client = new DynamoDBClient({ endpoint: stack.url, region: "eu-west-1", credentials, maxAttempts: 1 });
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
    }),
  );
  await client.send(new PutItemCommand({ TableName: TABLE, Item: STORED }));
});
afterAll(async () => {
  client?.destroy();
  await stack?.close();
});

async function failedCondition(send: () => Promise<unknown>): Promise<ConditionalCheckFailedException> {
  const error = await send().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConditionalCheckFailedException))
    throw new Error(`expected ConditionalCheckFailedException, got ${String(error)}`);
  return error;
}

describe("DynamoDB behind the local endpoint", () => {
  it("answers TransactWriteItems (dynalite has no transactions) with an UnknownOperationException naming it", async () => {
    // Act
    const error = await client
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: TABLE, Item: STORED } }] }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "UnknownOperationException", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain("does not serve TransactWriteItems");
  });

  it("names the request's region in table ARNs, not the one dynalite writes (with a recomputed x-amz-crc32, which the AWS CLI checks)", async () => {
    // Prepare
    const otherRegion = new DynamoDBClient({
      endpoint: stack.url,
      region: "ap-northeast-1",
      credentials,
      maxAttempts: 1,
    });

    // Act
    const described = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    const seenFromElsewhere = await otherRegion.send(new DescribeTableCommand({ TableName: TABLE }));
    otherRegion.destroy();
    const raw = await fetch(stack.url, {
      method: "POST",
      headers: {
        "x-amz-target": "DynamoDB_20120810.DescribeTable",
        "content-type": "application/x-amz-json-1.0",
        "x-amz-date": "20260101T000000Z",
        authorization:
          "AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: JSON.stringify({ TableName: TABLE }),
    });
    const rawBody = Buffer.from(await raw.arrayBuffer());

    // Assert
    expect(described.Table?.TableArn).toBe(`arn:aws:dynamodb:eu-west-1:000000000000:table/${TABLE}`);
    expect(seenFromElsewhere.Table?.TableArn).toBe(`arn:aws:dynamodb:ap-northeast-1:000000000000:table/${TABLE}`);
    expect(rawBody.toString()).toContain(`"TableArn":"arn:aws:dynamodb:eu-west-1:`);
    expect(raw.headers.get("x-amz-crc32")).toBe(String(crc32(rawBody)));
  });

  it("returns the item in ConditionalCheckFailedException when PutItem, UpdateItem or DeleteItem ask ReturnValuesOnConditionCheckFailure ALL_OLD", async () => {
    // Prepare
    const condition = {
      ConditionExpression: "attribute_not_exists(orderId)",
      ReturnValuesOnConditionCheckFailure: "ALL_OLD" as const,
    };

    // Act
    const put = await failedCondition(() =>
      client.send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "8000001" } }, ...condition })),
    );
    const update = await failedCondition(() =>
      client.send(
        new UpdateItemCommand({
          TableName: TABLE,
          Key: { orderId: { S: "8000001" } },
          UpdateExpression: "SET #s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": { S: "NEW" } },
          ...condition,
        }),
      ),
    );
    const remove = await failedCondition(() =>
      client.send(new DeleteItemCommand({ TableName: TABLE, Key: { orderId: { S: "8000001" } }, ...condition })),
    );

    // Assert
    expect(put.Item).toEqual(STORED);
    expect(update.Item).toEqual(STORED);
    expect(remove.Item).toEqual(STORED);
  });

  it("leaves the item out when ReturnValuesOnConditionCheckFailure is not ALL_OLD, as DynamoDB does", async () => {
    // Act
    const error = await failedCondition(() =>
      client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { orderId: { S: "8000001" } },
          ConditionExpression: "attribute_not_exists(orderId)",
        }),
      ),
    );

    // Assert
    expect(error.Item).toBeUndefined();
    expect(error.message).toBe("The conditional request failed");
  });
});
