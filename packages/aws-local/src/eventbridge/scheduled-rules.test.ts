import {
  DisableRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { recordingInvoker, startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";
import type { LocalEventBridgeOptions } from "./local-event-bridge";

// Schedule expressions: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
const SCHEDULE_DOCS = "eb-scheduled-rule-pattern";
const RECORDER_ARN = "arn:aws:lambda:ap-southeast-1:000000000000:function:recorder";
const DLQ_ARN = "arn:aws:sqs:ap-southeast-1:000000000000:sweep-dlq";
const MINUTE_MS = 60_000;

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

/** A bridge on a clock the test moves with `advance`. */
async function start(startTime: string, options: LocalEventBridgeOptions = {}) {
  let now = Date.parse(startTime);
  const recorder = recordingInvoker();
  const harness = await startEventBridgeHarness({
    targetInvoker: recorder.invoker,
    clock: () => new Date(now),
    scheduleTickIntervalMs: 0,
    ...options,
  });
  harnesses.push(harness);
  const advance = async (ms: number): Promise<number> => {
    now += ms;
    const fired = harness.bridge.fireDueSchedules();
    await harness.bridge.whenIdle();
    return fired;
  };
  return { ...harness, recorder, advance };
}

async function scheduleRule(client: EventBridgeClient, name: string, expression: string, targets: Target[]) {
  const { RuleArn } = await client.send(new PutRuleCommand({ Name: name, ScheduleExpression: expression }));
  await client.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  return RuleArn;
}

describe("PutRule's ScheduleExpression over HTTP", () => {
  it.each([
    ["rate(1 minute)"],
    ["rate(5 minutes)"],
    ["rate(1 hour)"],
    ["rate(1 day)"],
    ["cron(0 10 * * ? *)"],
    ["cron(15 12 * * ? *)"],
    ["cron(0 18 ? * MON-FRI *)"],
    ["cron(0 8 1 * ? *)"],
    ["cron(0/10 * ? * MON-FRI *)"],
    ["cron(0/5 8-17 ? * MON-FRI *)"],
    ["cron(0 9 ? * 2#1 *)"],
    ["cron(0 0 L * ? *)"],
    ["cron(0 0 3W JAN,FEB,MAR ? 2026-2199)"],
  ])(`accepts %s [${SCHEDULE_DOCS}]`, async (expression) => {
    // Prepare
    const { client, bridge } = await start("2026-03-01T00:00:00Z");

    // Act
    const { RuleArn } = await client.send(new PutRuleCommand({ Name: "sweep", ScheduleExpression: expression }));

    // Assert
    expect(RuleArn).toBe("arn:aws:events:ap-southeast-1:000000000000:rule/sweep");
    expect(bridge.describeRule({ Name: "sweep" }).ScheduleExpression).toBe(expression);
  });

  it.each([
    ["a plural unit for 1", "rate(1 hours)"],
    ["a singular unit for 5", "rate(5 hour)"],
    ["a zero rate", "rate(0 minutes)"],
    ["a unit AWS does not have", "rate(5 seconds)"],
    ["five cron fields", "cron(0 10 * * ?)"],
    ["* in both day fields", "cron(0 10 * * * *)"],
    ["? in both day fields", "cron(0 10 ? * ? *)"],
    ["a value out of range", "cron(60 10 * * ? *)"],
    ["two # expressions", "cron(0 10 ? * 3#1,6#3 *)"],
    ["a year before 1970", "cron(0 10 * * ? 1969)"],
    ["neither rate nor cron", "every 5 minutes"],
    // Recorded against AWS in https://github.com/localstack/localstack/pull/12156
    ["values in both day fields (recorded)", "cron(7 20 * * 1-7 *)"],
  ])(`rejects %s with "Parameter ScheduleExpression is not valid." [${SCHEDULE_DOCS}]`, async (_, expression) => {
    // Prepare
    const { client } = await start("2026-03-01T00:00:00Z");

    // Act
    const putting = client.send(new PutRuleCommand({ Name: "sweep", ScheduleExpression: expression }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter ScheduleExpression is not valid.",
    });
  });

  // AWS's answer, quoted in https://github.com/aws-controllers-k8s/community/issues/1984 (there for an empty expression).
  it.each([["rate(5 minutes)"], [""]])("refuses the schedule %j on a custom bus as AWS does", async (expression) => {
    // Prepare
    const { client, bridge } = await start("2026-03-01T00:00:00Z");
    bridge.createEventBus({ Name: "orders" });

    // Act
    const putting = client.send(
      new PutRuleCommand({ Name: "sweep", EventBusName: "orders", ScheduleExpression: expression }),
    );

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: "ScheduleExpression is supported only on the default event bus.",
    });
  });
});

describe("firing scheduled rules on an advanced clock", () => {
  it("fires a rate(5 minutes) rule three times in 15 minutes with the scheduled-event envelope", async () => {
    // Prepare
    const { client, recorder, advance } = await start("2026-03-01T10:00:00Z");
    const ruleArn = await scheduleRule(client, "sweep", "rate(5 minutes)", [{ Id: "t", Arn: RECORDER_ARN }]);

    // Act
    const fired = await advance(15 * MINUTE_MS);

    // Assert
    expect(fired).toBe(3);
    expect(recorder.calls.map((call) => call.context.event.time)).toEqual([
      "2026-03-01T10:05:00Z",
      "2026-03-01T10:10:00Z",
      "2026-03-01T10:15:00Z",
    ]);
    const [first] = recorder.calls;
    expect(first?.input).toEqual({
      version: "0",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "000000000000",
      time: "2026-03-01T10:05:00Z",
      region: "ap-southeast-1",
      resources: [ruleArn],
      detail: {},
    });
    expect(Object.keys(first?.input as object)).toEqual([
      "version",
      "id",
      "detail-type",
      "source",
      "account",
      "time",
      "region",
      "resources",
      "detail",
    ]);
    expect(new Set(recorder.calls.map((call) => call.context.event.id)).size).toBe(3);
  });

  it("fires cron(0 12 * * ? *) at noon UTC on each of two days", async () => {
    // Prepare
    const { client, recorder, advance, bridge } = await start("2026-03-01T09:00:00Z");
    await scheduleRule(client, "noon", "cron(0 12 * * ? *)", [{ Id: "t", Arn: RECORDER_ARN }]);

    // Act
    const beforeNoon = await advance(2 * 60 * MINUTE_MS + 59 * MINUTE_MS);
    const twoDaysLater = await advance(2 * 24 * 60 * MINUTE_MS - 59 * MINUTE_MS);

    // Assert
    expect(beforeNoon).toBe(0);
    expect(twoDaysLater).toBe(2);
    expect(recorder.calls.map((call) => call.context.event.time)).toEqual([
      "2026-03-01T12:00:00Z",
      "2026-03-02T12:00:00Z",
    ]);
    expect(bridge.nextScheduledFireTime("noon")?.toISOString()).toBe("2026-03-03T12:00:00.000Z");
  });

  it("does not fire a disabled rule, nor one created disabled", async () => {
    // Prepare
    const { client, recorder, advance } = await start("2026-03-01T10:00:00Z");
    await scheduleRule(client, "sweep", "rate(1 minute)", [{ Id: "t", Arn: RECORDER_ARN }]);
    await client.send(new PutRuleCommand({ Name: "off", ScheduleExpression: "rate(1 minute)", State: "DISABLED" }));
    await client.send(new PutTargetsCommand({ Rule: "off", Targets: [{ Id: "t", Arn: RECORDER_ARN }] }));
    await advance(2 * MINUTE_MS);

    // Act
    await client.send(new DisableRuleCommand({ Name: "sweep" }));
    const fired = await advance(10 * MINUTE_MS);

    // Assert
    expect(fired).toBe(0);
    expect(recorder.calls.map((call) => call.context.ruleName)).toEqual(["sweep", "sweep"]);
  });

  it("stops firing a deleted rule", async () => {
    // Prepare
    const { client, bridge, recorder, advance } = await start("2026-03-01T10:00:00Z");
    await scheduleRule(client, "sweep", "rate(1 minute)", [{ Id: "t", Arn: RECORDER_ARN }]);
    bridge.removeTargets({ Rule: "sweep", Ids: ["t"] });
    bridge.deleteRule({ Name: "sweep" });

    // Act
    const fired = await advance(10 * MINUTE_MS);

    // Assert
    expect(fired).toBe(0);
    expect(recorder.calls).toHaveLength(0);
  });

  it("retries a failing target and dead-letters the scheduled event as other deliveries do", async () => {
    // Prepare
    const { client, bridge, recorder, advance } = await start("2026-03-01T10:00:00Z");
    const ruleArn = await scheduleRule(client, "sweep", "rate(5 minutes)", [
      { Id: "t", Arn: RECORDER_ARN, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ_ARN } },
    ]);
    recorder.failAlways(new Error("connection refused"));

    // Act
    await advance(5 * MINUTE_MS);

    // Assert
    expect(recorder.calls).toHaveLength(3);
    expect(bridge.listDeadLetters()).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ source: "aws.events", "detail-type": "Scheduled Event" }),
        ruleArn,
        ruleName: "sweep",
        targetId: "t",
        deadLetterArn: DLQ_ARN,
        exhaustedRetryCondition: "MaximumRetryAttempts",
        retryAttempts: 2,
      }),
    ]);
  });
});
