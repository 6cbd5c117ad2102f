import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  CALCULATE_COST_FUNCTION_NAME,
  calculateCostStandIn,
  createEventBridgePublisher,
  type ProcessorDependencies,
} from "@payment3/core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../local-stack";
import { FaultInjector } from "./fault-injector";
import { InjectedCrashError, withProcessorCrashes } from "./processor-faults";
import { beginSubscriberOutage, SubscriberOutageError } from "./subscriber-outage";
import type { LocalFunction } from "@payment3/aws-local";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const region = "ap-southeast-1";
const TABLE = "fault-hooks-orders";

let faults: FaultInjector;
let stack: LocalStack;
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(
  make: (config: { endpoint: string; region: string; credentials: typeof credentials; maxAttempts: number }) => T,
  maxAttempts = 1,
): T {
  const made = make({ endpoint: stack.url, region, credentials, maxAttempts });
  clients.push(made);
  return made;
}

const dynamo = (maxAttempts = 1) => client((config) => new DynamoDBClient(config), maxAttempts);
const events = (maxAttempts = 1) => client((config) => new EventBridgeClient(config), maxAttempts);
const entry = (orderId: string) => ({ Source: "fault.test", DetailType: "Probe", Detail: JSON.stringify({ orderId }) });

beforeAll(async () => {
  faults = new FaultInjector({ seed: 3 });
  stack = await startLocalStack({ faults });
  await stack.dynamoDb.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
});

afterEach(() => {
  faults.disableAll();
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await stack?.close();
});

describe("faults are never on by default", () => {
  it("a stack started without an injector serves the plain calculate-cost and answers every call", async () => {
    const plain = await startLocalStack();
    try {
      const lambda = new LambdaClient({ endpoint: plain.url, region, credentials, maxAttempts: 1 });
      const answer = await lambda.send(
        new InvokeCommand({
          FunctionName: CALCULATE_COST_FUNCTION_NAME,
          Payload: Buffer.from(JSON.stringify({ orderId: "1", items: [{ quantity: 1, unitPrice: 5 }] })),
        }),
      );
      lambda.destroy();

      expect(plain.functions.get(CALCULATE_COST_FUNCTION_NAME)).toBe(calculateCostStandIn);
      expect(answer.FunctionError).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it("an injector without rules lets every call through", async () => {
    await dynamo().send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "quiet" } } }));
    const read = await dynamo().send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: "quiet" } } }));

    expect(read.Item?.orderId).toEqual({ S: "quiet" });
    expect(faults.injectedCount("dynamodb-throttle") + faults.injectedCount("dynamodb-5xx")).toBe(0);
  });
});

describe("DynamoDB faults", () => {
  it("answers a chosen operation with ProvisionedThroughputExceededException, as DynamoDB does", async () => {
    await dynamo().send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "t1" } } }));
    faults.failNext("dynamodb-throttle", 1, { operations: ["GetItem"] });

    const error = await dynamo()
      .send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: "t1" } } }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect((error as ProvisionedThroughputExceededException).$metadata.httpStatusCode).toBe(400);
    expect(faults.ordersHitBy("dynamodb-throttle")).toContain("t1");
  });

  it("answers 500 InternalServerError, which the SDK retries on its own", async () => {
    faults.failNext("dynamodb-5xx", 1, { operations: ["PutItem"] });

    const once = await dynamo(1)
      .send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "t2" } } }))
      .catch((caught: unknown) => caught);
    faults.failNext("dynamodb-5xx", 1, { operations: ["PutItem"] });
    const retried = await dynamo(3).send(new PutItemCommand({ TableName: TABLE, Item: { orderId: { S: "t2" } } }));

    expect(once).toMatchObject({ name: "InternalServerError", $metadata: { httpStatusCode: 500 } });
    expect(retried.$metadata.attempts).toBe(2);
  });
});

describe("PutEvents faults", () => {
  it("a partial failure fails the chosen entry with InternalFailure and accepts the others", async () => {
    const before = stack.eventBridge.listAcceptedEvents().length;
    faults.failNext("put-events-partial", 1, { match: (site) => site.orderIds?.includes("p2") ?? false });

    const answer = await events().send(new PutEventsCommand({ Entries: [entry("p1"), entry("p2"), entry("p3")] }));

    expect(answer.FailedEntryCount).toBe(1);
    expect(answer.Entries?.map((result) => result.ErrorCode ?? "ok")).toEqual(["ok", "InternalFailure", "ok"]);
    expect(
      stack.eventBridge
        .listAcceptedEvents()
        .slice(before)
        .map((accepted) => (accepted.event.detail as { orderId: string }).orderId),
    ).toEqual(["p1", "p3"]);
  });

  it("a total failure answers 500 InternalException and accepts nothing", async () => {
    const before = stack.eventBridge.listAcceptedEvents().length;
    faults.failNext("put-events-total", 1);

    const error = await events()
      .send(new PutEventsCommand({ Entries: [entry("q1")] }))
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "InternalException", $metadata: { httpStatusCode: 500 } });
    expect(stack.eventBridge.listAcceptedEvents()).toHaveLength(before);
  });

  it("the project's publisher retries only the failed entry, so each event is accepted once", async () => {
    const before = stack.eventBridge.listAcceptedEvents().length;
    faults.failNext("put-events-partial", 2, { match: (site) => site.orderIds?.includes("r2") ?? false });
    const publisher = createEventBridgePublisher({ client: events(), sleep: () => Promise.resolve() });

    const ids = await publisher.publish([entry("r1"), entry("r2")].map((e) => ({ ...e, EventBusName: "default" })));

    const accepted = stack.eventBridge
      .listAcceptedEvents()
      .slice(before)
      .map((a) => (a.event.detail as { orderId: string }).orderId);
    expect(ids).toHaveLength(2);
    expect(accepted.sort()).toEqual(["r1", "r2"]);
  });
});

describe("calculate-cost faults", () => {
  const invoke = (orderId: string) =>
    client((config) => new LambdaClient(config)).send(
      new InvokeCommand({
        FunctionName: CALCULATE_COST_FUNCTION_NAME,
        Payload: Buffer.from(JSON.stringify({ orderId, items: [{ quantity: 1, unitPrice: 10 }] })),
      }),
    );
  const payloadOf = (answer: { Payload?: Uint8Array }) =>
    JSON.parse(Buffer.from(answer.Payload!).toString("utf8")) as Record<string, unknown>;

  it("an error answers statusCode 503 first, then a raised FunctionError", async () => {
    faults.failNext("calculate-cost-error", 2);

    const first = await invoke("c1");
    const second = await invoke("c1");
    const third = await invoke("c1");

    expect(payloadOf(first)).toMatchObject({ statusCode: 503 });
    expect(second.FunctionError).toBe("Unhandled");
    expect(payloadOf(third)).toMatchObject({ statusCode: 200 });
  });

  it("a timeout ends as Lambda ends a function past its timeout: FunctionError Sandbox.Timedout", async () => {
    faults.failNext("calculate-cost-timeout", 1);

    const answer = await invoke("c2");

    expect(answer.FunctionError).toBe("Unhandled");
    expect(payloadOf(answer)).toMatchObject({
      errorType: "Sandbox.Timedout",
      errorMessage: expect.stringContaining("Task timed out after"),
    });
  });
});

describe("SES and SNS faults", () => {
  it("fails a send with ServiceUnavailable through the local SES, and the next one goes out", async () => {
    const ses = client((config) => new SESClient(config));
    const send = () =>
      ses.send(
        new SendEmailCommand({
          Source: "payments@payment3.example",
          Destination: { ToAddresses: ["buyer@example.com"] },
          Message: { Subject: { Data: "Order #5001" }, Body: { Text: { Data: "paid" } } },
        }),
      );
    faults.failNext("ses-failure", 1);

    const error = await send().catch((caught: unknown) => caught);
    await send();

    expect(error).toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    expect((await stack.ses.listSentEmails()).filter((mail) => mail.subject === "Order #5001")).toHaveLength(1);
    expect(faults.ordersHitBy("ses-failure")).toContain("5001");
  });

  it("fails a Publish with InternalError through the local SNS", async () => {
    const sns = client((config) => new SNSClient(config));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "fault-hooks" }));
    faults.failNext("sns-failure", 1);

    const error = await sns
      .send(new PublishCommand({ TopicArn, Message: JSON.stringify({ orderId: "6001" }) }))
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "InternalErrorException", $metadata: { httpStatusCode: 500 } });
    expect(stack.sns.listPublishedMessages(TopicArn)).toEqual([]);
  });
});

describe("processor crashes and subscriber outages", () => {
  function fakeDependencies(log: string[]): ProcessorDependencies {
    return {
      orders: {
        getOrder: () => Promise.resolve(undefined),
        saveFinalOutcome: ({ orderId }) => {
          log.push(`saved ${orderId}`);
          return Promise.resolve();
        },
      },
      costCalculator: { recalculate: (order) => Promise.resolve(order) },
      publisher: {
        publish: (entries) => {
          log.push(`published ${entries.length}`);
          return Promise.resolve(entries.map(() => "id"));
        },
      },
      eventBusName: "bus",
      eventSizeLimitBytes: 1_000_000,
    };
  }
  const write = { paymentId: "pay-1" } as Parameters<ProcessorDependencies["orders"]["saveFinalOutcome"]>[1];

  it("crashes after the order write is committed", async () => {
    const log: string[] = [];
    const injector = new FaultInjector().failNext("crash-after-order-write", 1);

    const error = await withProcessorCrashes(fakeDependencies(log), injector)
      .orders.saveFinalOutcome({ orderId: "7001" }, write)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InjectedCrashError);
    expect(log).toEqual(["saved 7001"]);
  });

  it("crashes before the publish sends anything", async () => {
    const log: string[] = [];
    const injector = new FaultInjector().failNext("crash-before-publish", 1);
    const outcome = {
      Source: "payment3.processor",
      DetailType: "OrderPaid",
      Detail: JSON.stringify({ orderId: "7002", idempotencyKey: "7002:p:OrderPaid" }),
      EventBusName: "bus",
    };

    const error = await withProcessorCrashes(fakeDependencies(log), injector)
      .publisher.publish([outcome])
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: "InjectedCrashError", step: "before-publish" });
    expect(log).toEqual([]);
  });

  it("takes a subscriber down until the outage ends, counting each failed invocation", async () => {
    const functions = new Map<string, LocalFunction>([["subscriber", () => "ok"]]);
    const injector = new FaultInjector();

    const outage = beginSubscriberOutage(functions, "subscriber", injector);
    const during = (() => {
      try {
        return functions.get("subscriber")!({ detail: { orderId: "8001" } }, {} as never);
      } catch (error) {
        return error;
      }
    })();
    outage.end();

    expect(during).toBeInstanceOf(SubscriberOutageError);
    expect(functions.get("subscriber")!({}, {} as never)).toBe("ok");
    expect(injector.ordersHitBy("subscriber-outage")).toEqual(new Set(["8001"]));
  });
});
