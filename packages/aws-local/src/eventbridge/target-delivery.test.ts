import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { recordingInvoker, startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";
import type { LocalEventBridgeOptions } from "./local-event-bridge";
import { TargetInvocationError } from "./target-delivery";

const RECORDER_ARN = "arn:aws:lambda:ap-southeast-1:000000000000:function:recorder";
const DLQ_ARN = "arn:aws:sqs:ap-southeast-1:000000000000:orders-dlq";
const RULE_ARN = "arn:aws:events:ap-southeast-1:000000000000:rule/orders";

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: LocalEventBridgeOptions = {}) {
  const recorder = recordingInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: recorder.invoker, ...options });
  harnesses.push(harness);
  return { ...harness, recorder };
}

async function subscribe(
  client: EventBridgeClient,
  targets: Target[],
  ruleName = "orders",
  pattern: object = { source: ["orders"] },
) {
  await client.send(new PutRuleCommand({ Name: ruleName, EventPattern: JSON.stringify(pattern) }));
  await client.send(new PutTargetsCommand({ Rule: ruleName, Targets: targets }));
}

async function publishOrder(
  client: EventBridgeClient,
  detail: object = { orderId: "o-1", amount: 12.5 },
): Promise<string> {
  const response = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: "orders",
          DetailType: "OrderPlaced",
          Detail: JSON.stringify(detail),
          Time: new Date("2026-01-02T03:04:05Z"),
        },
      ],
    }),
  );
  const eventId = response.Entries?.[0]?.EventId;
  if (!eventId) throw new Error(`PutEvents failed: ${JSON.stringify(response)}`);
  return eventId;
}

describe("delivery to matching rules and targets", () => {
  it("delivers each event to every target of every enabled rule whose pattern matches, and to nothing else", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(
      client,
      [
        { Id: "a", Arn: `${RECORDER_ARN}-a` },
        { Id: "b", Arn: `${RECORDER_ARN}-b` },
      ],
      "orders",
    );
    await subscribe(client, [{ Id: "c", Arn: `${RECORDER_ARN}-c` }], "big-orders", {
      detail: { amount: [{ numeric: [">", 10] }] },
    });
    await subscribe(client, [{ Id: "d", Arn: `${RECORDER_ARN}-d` }], "payments", { source: ["payments"] });

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls.map((call) => call.target.targetArn).sort()).toEqual([
      `${RECORDER_ARN}-a`,
      `${RECORDER_ARN}-b`,
      `${RECORDER_ARN}-c`,
    ]);
    expect(recorder.calls.find((call) => call.target.targetId === "c")?.target.ruleArn).toBe(
      "arn:aws:events:ap-southeast-1:000000000000:rule/big-orders",
    );
    expect(recorder.calls.every((call) => call.context.deliveryAttempt === 1)).toBe(true);
  });

  it("passes the constant Input instead of the event", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN, Input: '{"job":"rebuild","force":true}' }]);

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls[0]?.input).toEqual({ job: "rebuild", force: true });
  });

  it.each([
    ["$.detail", { orderId: "o-1", amount: 12.5 }],
    ["$.detail.orderId", "o-1"],
    ["$.detail.missing", null],
  ])("passes the value at InputPath %s", async (inputPath, expected) => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN, InputPath: inputPath }]);

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls[0]?.input).toEqual(expected);
  });

  it("renders an InputTransformer JSON template with quoted and unquoted placeholders and predefined variables", async () => {
    // Prepare
    const { client, bridge, recorder } = await start({ clock: () => new Date("2026-05-06T07:08:09.010Z") });
    await subscribe(client, [
      {
        Id: "t",
        Arn: RECORDER_ARN,
        InputTransformer: {
          InputPathsMap: {
            order: "$.detail.orderId",
            amount: "$.detail.amount",
            type: "$.detail-type",
            gone: "$.detail.nothing",
          },
          InputTemplate:
            '{"order": <order>, "amount": <amount>, "text": "<type> <order>", "gone": <gone>, ' +
            '"rule": <aws.events.rule-name>, "ruleArn": "<aws.events.rule-arn>", "received": <aws.events.event.ingestion-time>, ' +
            '"original": <aws.events.event.json>}',
        },
      },
    ]);

    // Act
    const eventId = await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls[0]?.input).toEqual({
      order: "o-1",
      amount: 12.5,
      text: "OrderPlaced o-1",
      gone: "",
      rule: "orders",
      ruleArn: RULE_ARN,
      received: "2026-05-06T07:08:09.010Z",
      original: expect.objectContaining({ id: eventId, detail: { orderId: "o-1", amount: 12.5 } }),
    });
  });

  it("renders a quoted string template into a string", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [
      {
        Id: "t",
        Arn: RECORDER_ARN,
        InputTransformer: {
          InputPathsMap: { order: "$.detail.orderId" },
          InputTemplate: '"Order <order> placed (<aws.events.rule-name>)"',
        },
      },
    ]);

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls[0]?.input).toBe("Order o-1 placed (orders)");
  });
});

describe("retries and dead letters", () => {
  it("retries a failing target with backoff and delivers once it recovers", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN, DeadLetterConfig: { Arn: DLQ_ARN } }]);
    recorder.failNext(2);

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls.map((call) => call.context.deliveryAttempt)).toEqual([1, 2, 3]);
    expect(bridge.deadLetters.list()).toHaveLength(0);
    expect(bridge.getStatistics().deliveries).toEqual({
      delivered: 1,
      failedAttempts: 2,
      deadLettered: 0,
      droppedAfterFailure: 0,
    });
  });

  it("dead-letters the event with AWS's attributes once MaximumRetryAttempts is used up", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [
      {
        Id: "t",
        Arn: RECORDER_ARN,
        RetryPolicy: { MaximumRetryAttempts: 2 },
        DeadLetterConfig: { Arn: DLQ_ARN },
        InputPath: "$.detail",
      },
    ]);
    recorder.failAlways(new Error("connection refused"));

    // Act
    const eventId = await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(3);
    const [deadLetter] = bridge.deadLetters.list();
    expect(deadLetter).toMatchObject({
      event: { id: eventId, source: "orders" },
      input: { orderId: "o-1", amount: 12.5 },
      ruleArn: RULE_ARN,
      ruleName: "orders",
      targetId: "t",
      targetArn: RECORDER_ARN,
      deadLetterArn: DLQ_ARN,
      errorName: "Error",
      errorMessage: "connection refused",
      errorCode: "SDK_CLIENT_ERROR",
      exhaustedRetryCondition: "MaximumRetryAttempts",
      retryAttempts: 2,
    });
    expect(bridge.deadLetters.get(deadLetter?.id ?? "")).toBe(deadLetter);
  });

  it("reports each failed attempt in one short line to info, its full error to debug, and the full error once to warn at dead-letter", async () => {
    // Prepare
    const info: string[] = [];
    const debug: string[] = [];
    const warn: string[] = [];
    const { client, bridge, recorder } = await start({
      logger: {
        warn: (message) => warn.push(message),
        info: (message) => info.push(message),
        debug: (message) => debug.push(message),
      },
    });
    await subscribe(client, [
      { Id: "t", Arn: RECORDER_ARN, RetryPolicy: { MaximumRetryAttempts: 1 }, DeadLetterConfig: { Arn: DLQ_ARN } },
    ]);
    recorder.failAlways(new Error("connection refused", { cause: new Error("ECONNREFUSED 10.0.0.7:443") }));

    // Act
    const eventId = await publishOrder(client, { orderId: "o-42" });
    await bridge.whenIdle();

    // Assert
    expect(info).toEqual(
      [1, 2].map(
        (attempt) =>
          `Delivery attempt ${attempt} of 2 failed: rule orders, target t, event ${eventId}, order o-42: Error: connection refused`,
      ),
    );
    expect(debug).toHaveLength(2);
    expect(debug[0]).toMatch(
      /Error: connection refused\n\s+at .*\nCaused by: Error: ECONNREFUSED 10\.0\.0\.7:443\n\s+at /s,
    );
    expect(warn).toHaveLength(1);
    expect(warn[0]).toMatch(
      new RegExp(
        `could not deliver event ${eventId} .* Last error: Error: connection refused\\n\\s+at .*Caused by: Error: ECONNREFUSED`,
        "s",
      ),
    );
  });

  it("drops the event with a warning when the failing target has no DeadLetterConfig", async () => {
    // Prepare
    const { client, bridge, recorder, warnings } = await start();
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN, RetryPolicy: { MaximumRetryAttempts: 1 } }]);
    recorder.failAlways();

    // Act
    const eventId = await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(2);
    expect(bridge.deadLetters.list()).toHaveLength(0);
    expect(warnings.join("\n")).toContain(`dropped event ${eventId} for target t`);
    expect(bridge.getStatistics().deliveries.droppedAfterFailure).toBe(1);
  });

  it("sends a non-retryable failure straight to the dead-letter store", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN, DeadLetterConfig: { Arn: DLQ_ARN } }]);
    recorder.failAlways(
      new TargetInvocationError("Function not found", { errorCode: "NO_RESOURCE", retryable: false }),
    );

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(1);
    const [deadLetter] = bridge.deadLetters.list();
    expect(deadLetter).toMatchObject({
      errorCode: "NO_RESOURCE",
      errorName: "TargetInvocationError",
      retryAttempts: 0,
    });
    expect(deadLetter?.exhaustedRetryCondition).toBeUndefined();
  });

  it("stops retrying when the event would be older than MaximumEventAgeInSeconds", async () => {
    // Prepare: every reading of the clock is 35 s later, so the second retry would come 70 s after ingestion.
    let now = Date.parse("2026-01-01T00:00:00Z");
    const { client, bridge, recorder } = await start({
      clock: () => {
        now += 35_000;
        return new Date(now);
      },
    });
    await subscribe(client, [
      {
        Id: "t",
        Arn: RECORDER_ARN,
        RetryPolicy: { MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: DLQ_ARN },
      },
    ]);
    recorder.failAlways();

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(2);
    expect(bridge.deadLetters.list()[0]).toMatchObject({
      exhaustedRetryCondition: "MaximumEventAgeInSeconds",
      retryAttempts: 1,
    });
  });

  it("redelivers a dead letter to the same target and removes it from the store", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribe(client, [
      { Id: "t", Arn: RECORDER_ARN, RetryPolicy: { MaximumRetryAttempts: 0 }, DeadLetterConfig: { Arn: DLQ_ARN } },
    ]);
    recorder.failNext(1);
    const eventId = await publishOrder(client);
    await bridge.whenIdle();
    const [deadLetter] = bridge.deadLetters.list();

    // Act
    const outcome = await bridge.redeliver(deadLetter?.id ?? "");

    // Assert
    expect(outcome).toEqual({ status: "delivered", attempts: 1 });
    expect(recorder.calls).toHaveLength(2);
    expect(recorder.calls[1]?.target).toEqual({ ruleArn: RULE_ARN, targetArn: RECORDER_ARN, targetId: "t" });
    expect((recorder.calls[1]?.input as { id: string } | undefined)?.id).toBe(eventId);
    expect(bridge.deadLetters.list()).toHaveLength(0);
  });

  it("refuses to redeliver a dead letter that does not exist", async () => {
    // Prepare
    const { bridge } = await start();

    // Act
    const redelivering = bridge.redeliver("no-such-letter");

    // Assert
    await expect(redelivering).rejects.toMatchObject({
      name: "EventBridgeResourceNotFoundError",
      code: "ResourceNotFoundException",
      message: "Dead letter no-such-letter does not exist.",
    });
  });

  it("keeps waiting in whenIdle until scheduled retries have run", async () => {
    // Prepare
    const { client, bridge, recorder } = await start({ retryBaseDelayMs: 40 });
    await subscribe(client, [{ Id: "t", Arn: RECORDER_ARN }]);
    recorder.failNext(1);

    // Act
    await publishOrder(client);
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(2);
    expect(bridge.getStatistics().pendingWork).toBe(0);
  });
});
