import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import { AsyncInvokeRejectedError } from "./async-invocations";
import { localFunctionArn } from "./lambda-context";

const REGION = "eu-west-1";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
const RULE_DLQ = "arn:aws:sqs:eu-west-1:000000000000:orders-rule-dlq";
const ON_FAILURE = "arn:aws:sqs:eu-west-1:000000000000:orders-on-failure";

const stacks: AwsLocal[] = [];
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.close()));
});

interface Setup {
  readonly stack: AwsLocal;
  readonly lines: string[];
  /** Every payload the function ran with, in order. */
  readonly runs: unknown[];
  /** Makes the function throw (true) or succeed (false) from now on. */
  failing(on: boolean): void;
  publish(orderId: string): Promise<void>;
}

/**
 * One rule with one Lambda target, set up as the stacks set a subscription up: the target's RetryPolicy (2 retries)
 * and DLQ, and the function's event-invoke config (1 retry, an on-failure destination). Delays are a few ms.
 */
async function setUp(options: { throttledInvokes?: number; clock?: () => Date; functionName?: string } = {}) {
  const lines: string[] = [];
  const runs: unknown[] = [];
  let failing = false;
  let throttled = 0;
  const stack = await startAwsLocal({
    region: REGION,
    eventBridge: {
      retryBaseDelayMs: 1,
      retryMaxDelayMs: 4,
      logger: { warn: (message) => lines.push(`WARN ${message}`), info: (message) => lines.push(`INFO ${message}`) },
      ...(options.clock ? { clock: options.clock } : {}),
    },
    lambdaAsync: {
      retryDelaysMs: [2, 4],
      invokeFaults: () => {
        if (throttled >= (options.throttledInvokes ?? 0)) return undefined;
        throttled += 1;
        return new AsyncInvokeRejectedError("TooManyRequestsException", 429, "Rate Exceeded.");
      },
    },
  });
  stacks.push(stack);
  stack.functions.set("orders", (payload) => {
    runs.push(payload);
    if (failing) throw Object.assign(new Error("orders table unreachable"), { name: "OutageError" });
    return { ok: true };
  });
  const lambda = new LambdaClient({ endpoint: stack.url, region: REGION, credentials: CREDENTIALS });
  await lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: "orders",
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: ON_FAILURE } },
    }),
  );
  const events = new EventBridgeClient({ endpoint: stack.url, region: REGION, credentials: CREDENTIALS });
  await events.send(new PutRuleCommand({ Name: "orders-rule", EventPattern: JSON.stringify({ source: ["shop"] }) }));
  await events.send(
    new PutTargetsCommand({
      Rule: "orders-rule",
      Targets: [
        {
          Id: "orders",
          Arn: localFunctionArn(options.functionName ?? "orders", REGION),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: RULE_DLQ },
        },
      ],
    }),
  );
  return {
    stack,
    lines,
    runs,
    failing: (on: boolean) => {
      failing = on;
    },
    async publish(orderId: string) {
      await events.send(
        new PutEventsCommand({
          Entries: [{ Source: "shop", DetailType: "OrderPlaced", Detail: JSON.stringify({ orderId }) }],
        }),
      );
      await stack.eventBridge.whenIdle();
    },
  } satisfies Setup;
}

describe("a Lambda target: EventBridge hands the event to Lambda, Lambda retries the function", () => {
  it("a function that keeps failing runs 1 + its own retries, then its record is in the function's on-failure store, not the rule's DLQ", async () => {
    // Prepare
    const setup = await setUp();
    setup.failing(true);

    // Act
    await setup.publish("1001");

    // Assert
    expect(setup.runs).toHaveLength(2);
    expect(setup.stack.eventBridge.listDeadLetters()).toEqual([]);
    const failures = setup.stack.lambdaAsync.listFailures({ destination: ON_FAILURE });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.record).toMatchObject({
      version: "1.0",
      requestContext: {
        functionArn: `${localFunctionArn("orders", REGION)}:$LATEST`,
        condition: "RetriesExhausted",
        approximateInvokeCount: 2,
      },
      requestPayload: { source: "shop", "detail-type": "OrderPlaced", detail: { orderId: "1001" } },
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: "OutageError", errorMessage: "orders table unreachable" },
    });
    expect(setup.stack.eventBridge.getStatistics().deliveries).toMatchObject({ delivered: 1, failedAttempts: 0 });
  });

  it("logs one line per failed run in the bus's attempt format (n of 1 + the function's retries) and the full error once", async () => {
    // Prepare
    const setup = await setUp();
    setup.failing(true);

    // Act
    await setup.publish("1002");

    // Assert
    const attempts = setup.lines.filter((line) => line.startsWith("INFO Delivery attempt"));
    expect(attempts.map((line) => line.replace(/event [0-9a-f-]+/, "event <id>"))).toEqual([
      "INFO Delivery attempt 1 of 2 failed: rule orders-rule, target orders, event <id>, order 1002: OutageError: orders table unreachable",
      "INFO Delivery attempt 2 of 2 failed: rule orders-rule, target orders, event <id>, order 1002: OutageError: orders table unreachable",
    ]);
    const gaveUp = setup.lines.filter((line) => line.includes("Lambda gave up"));
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toContain("after 2 attempt(s) (RetriesExhausted). Kept as on-failure record");
    expect(gaveUp[0]).toMatch(/\n\s+at /);
  });

  it("an event older than the function's MaximumEventAgeInSeconds is not run again: its record says EventAgeExceeded", async () => {
    // Prepare: a clock the test moves past the function's 60 s while the retry waits.
    let now = Date.parse("2026-12-03T10:00:00Z");
    const setup = await setUp({ clock: () => new Date(now) });
    setup.stack.functions.set("orders", (payload) => {
      setup.runs.push(payload);
      now += 61_000;
      throw new Error("slow and failing");
    });

    // Act
    await setup.publish("1003");

    // Assert
    expect(setup.runs).toHaveLength(1);
    expect(setup.stack.lambdaAsync.listFailures()[0]!.record.requestContext).toMatchObject({
      condition: "EventAgeExceeded",
      approximateInvokeCount: 1,
    });
  });

  it("a throttled invoke is retried by EventBridge per the target's RetryPolicy and the function runs once it is accepted", async () => {
    // Prepare: Lambda refuses the first two invokes with 429.
    const setup = await setUp({ throttledInvokes: 2 });

    // Act
    await setup.publish("1004");

    // Assert
    expect(setup.runs).toHaveLength(1);
    expect(setup.stack.eventBridge.listDeadLetters()).toEqual([]);
    expect(setup.stack.eventBridge.getStatistics().deliveries).toMatchObject({ delivered: 1, failedAttempts: 2 });
  });

  it("an invoke throttled past the RetryPolicy ends in the rule's DLQ with THROTTLING, and the function never ran", async () => {
    // Prepare: more refusals than 1 + the target's 2 retries.
    const setup = await setUp({ throttledInvokes: 5 });

    // Act
    await setup.publish("1005");

    // Assert
    expect(setup.runs).toEqual([]);
    expect(setup.stack.lambdaAsync.listFailures()).toEqual([]);
    const letters = setup.stack.eventBridge.listDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      deadLetterArn: RULE_DLQ,
      errorCode: "THROTTLING",
      errorName: "TargetInvocationError",
      exhaustedRetryCondition: "MaximumRetryAttempts",
      retryAttempts: 2,
    });
    expect(letters[0]!.errorMessage).toContain("TooManyRequestsException: Rate Exceeded.");
  });

  it("a target whose function does not exist goes to the rule's DLQ at once with NO_RESOURCE", async () => {
    // Prepare
    const setup = await setUp({ functionName: "gone" });

    // Act
    await setup.publish("1006");

    // Assert
    const letters = setup.stack.eventBridge.listDeadLetters();
    expect(letters.map((letter) => [letter.errorCode, letter.retryAttempts, letter.exhaustedRetryCondition])).toEqual([
      ["NO_RESOURCE", 0, undefined],
    ]);
    expect(letters[0]!.errorMessage).toContain("ResourceNotFoundException: Function not found");
  });
});

describe("the invoke fault hook over HTTP", () => {
  it("an asynchronous Invoke Lambda refuses answers 429 TooManyRequestsException and queues nothing", async () => {
    // Prepare
    const setup = await setUp({ throttledInvokes: 1 });
    const lambda = new LambdaClient({
      endpoint: setup.stack.url,
      region: REGION,
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });

    // Act
    const refused = await lambda
      .send(new InvokeCommand({ FunctionName: "orders", InvocationType: "Event", Payload: Buffer.from("{}") }))
      .catch((error: unknown) => error);
    await setup.stack.lambdaAsync.whenIdle();

    // Assert
    expect(refused).toMatchObject({
      name: "TooManyRequestsException",
      message: "Rate Exceeded.",
      $metadata: { httpStatusCode: 429 },
    });
    expect(setup.runs).toEqual([]);
  });
});

describe("redriving what each layer kept", () => {
  it("a rule dead letter (a refused invoke) is handed to Lambda again and the function runs", async () => {
    // Prepare
    const setup = await setUp({ throttledInvokes: 3 });
    await setup.publish("1007");
    const [letter] = setup.stack.eventBridge.listDeadLetters();

    // Act
    const report = await setup.stack.eventBridge.redriveDeadLetters({ ids: [letter!.id] }, { singleAttempt: true });
    await setup.stack.eventBridge.whenIdle();

    // Assert
    expect(report).toMatchObject({ delivered: 1, failed: 0 });
    expect(setup.runs).toEqual([expect.objectContaining({ detail: { orderId: "1007" } })]);
    expect(setup.stack.eventBridge.listDeadLetters()).toEqual([]);
  });

  it("an on-failure record (a function error) runs the function again with its payload and is removed once it succeeds", async () => {
    // Prepare
    const setup = await setUp();
    setup.failing(true);
    await setup.publish("1008");
    setup.failing(false);

    // Act
    const report = await setup.stack.lambdaAsync.redriveFailures({ destination: ON_FAILURE });

    // Assert
    expect(report).toMatchObject({
      delivered: 1,
      failed: 0,
      results: [{ status: "delivered", functionName: "orders" }],
    });
    expect(setup.runs).toHaveLength(3);
    expect(setup.runs[2]).toMatchObject({ detail: { orderId: "1008" } });
    expect(setup.stack.lambdaAsync.listFailures()).toEqual([]);
  });
});
