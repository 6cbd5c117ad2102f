import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { recordingInvoker, startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";
import type { DeliveryAttemptRecord, DeliveryJob, DeliveryOutcome } from "./target-delivery";

const RECORDER_ARN = "arn:aws:lambda:ap-southeast-1:000000000000:function:recorder";
const DLQ_ARN = "arn:aws:sqs:ap-southeast-1:000000000000:orders-dlq";

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

describe("onDelivery observers", () => {
  it("are told about every attempt and the outcome: a retried delivery, then a dead-lettered one", async () => {
    // Prepare: a target that fails twice, then recovers; an observer recording everything
    const recorder = recordingInvoker();
    const harness = await startEventBridgeHarness({ targetInvoker: recorder.invoker });
    harnesses.push(harness);
    const { bridge, client } = harness;
    await client.send(new PutRuleCommand({ Name: "orders", EventPattern: JSON.stringify({ source: ["orders"] }) }));
    await client.send(
      new PutTargetsCommand({
        Rule: "orders",
        Targets: [
          { Id: "t", Arn: RECORDER_ARN, RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: DLQ_ARN } },
        ],
      }),
    );
    const attempts: DeliveryAttemptRecord[] = [];
    const outcomes: { job: DeliveryJob; outcome: DeliveryOutcome }[] = [];
    bridge.onDelivery({
      attemptEnded: (record) => attempts.push(record),
      settled: (job, outcome) => outcomes.push({ job, outcome }),
    });
    const publish = async () =>
      client.send(new PutEventsCommand({ Entries: [{ Source: "orders", DetailType: "OrderPlaced", Detail: "{}" }] }));

    // Act: one event that is delivered on the third attempt, one that fails all three
    recorder.failNext(2);
    await publish();
    await bridge.whenIdle();
    recorder.failAlways();
    await publish();
    await bridge.whenIdle();

    // Assert
    expect(attempts.map((record) => [record.attempt, record.error === undefined])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [1, false],
      [2, false],
      [3, false],
    ]);
    expect(attempts.every((record) => record.durationMs >= 0 && record.job.ruleName === "orders")).toBe(true);
    expect(outcomes.map(({ outcome }) => outcome.status)).toEqual(["delivered", "dead-lettered"]);
    expect(outcomes[1]?.job.targetId).toBe("t");
  });

  it("stop being told once unsubscribed, and a throwing observer neither breaks delivery nor other observers", async () => {
    // Prepare
    const recorder = recordingInvoker();
    const harness = await startEventBridgeHarness({ targetInvoker: recorder.invoker });
    harnesses.push(harness);
    const { bridge, client } = harness;
    await client.send(new PutRuleCommand({ Name: "orders", EventPattern: JSON.stringify({ source: ["orders"] }) }));
    await client.send(new PutTargetsCommand({ Rule: "orders", Targets: [{ Id: "t", Arn: RECORDER_ARN }] }));
    const told: string[] = [];
    bridge.onDelivery({
      attemptEnded: () => {
        throw new Error("observer bug");
      },
      settled: () => told.push("throwing observer settled"),
    });
    const unsubscribe = bridge.onDelivery({
      attemptEnded: () => told.push("attempt"),
      settled: () => told.push("settled"),
    });

    // Act
    await client.send(new PutEventsCommand({ Entries: [{ Source: "orders", DetailType: "A", Detail: "{}" }] }));
    await bridge.whenIdle();
    unsubscribe();
    await client.send(new PutEventsCommand({ Entries: [{ Source: "orders", DetailType: "B", Detail: "{}" }] }));
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls).toHaveLength(2);
    expect(told).toEqual(["attempt", "throwing observer settled", "settled", "throwing observer settled"]);
    expect(harness.warnings.filter((warning) => warning.includes("A delivery observer failed"))).toHaveLength(2);
  });
});
