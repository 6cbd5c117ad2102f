import {
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { redeliveryJobFor } from "./dead-letter-redrive";
import type { DeadLetter } from "./dead-letter-store";
import { buildEventEnvelope } from "./event-envelope";
import { EventBridgeResourceNotFoundError } from "./errors";
import { startEventBridgeHarness, switchableInvoker, type EventBridgeHarness } from "./eventbridge-test-harness";
import type { LocalEventBridgeOptions } from "./local-event-bridge";
import type { TargetInvoker } from "./target-delivery";

const FUNCTION_PREFIX = "arn:aws:lambda:ap-southeast-1:000000000000:function:";

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(invoker?: TargetInvoker, options: LocalEventBridgeOptions = {}) {
  const targets = switchableInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: invoker ?? targets.invoker, ...options });
  harnesses.push(harness);
  return { ...harness, targets };
}

/** Rule `name` with one target of the same Id that dead-letters at the first failure. */
async function subscribe(client: EventBridgeClient, name: string): Promise<void> {
  await client.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ["orders"] }) }));
  await client.send(
    new PutTargetsCommand({
      Rule: name,
      Targets: [
        {
          Id: name,
          Arn: `${FUNCTION_PREFIX}${name}`,
          RetryPolicy: { MaximumRetryAttempts: 0 },
          DeadLetterConfig: { Arn: `arn:aws:sqs:ap-southeast-1:000000000000:${name}-dlq` },
        },
      ],
    }),
  );
}

async function publish(client: EventBridgeClient, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 10) {
    const entries = Array.from({ length: Math.min(10, count - start) }, (_, index) => ({
      Source: "orders",
      DetailType: "OrderPlaced",
      Detail: JSON.stringify({ orderId: `o-${start + index}` }),
    }));
    const response = await client.send(new PutEventsCommand({ Entries: entries }));
    ids.push(...(response.Entries ?? []).map((entry) => entry.EventId ?? ""));
  }
  return ids;
}

describe("dead letters: list, inspect", () => {
  it("lists dead letters by rule and target and inspects one", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    await subscribe(client, "billing");
    await subscribe(client, "audit");
    targets.down.add("billing").add("audit");
    const [eventId] = await publish(client, 1);
    await bridge.whenIdle();

    // Act
    const all = bridge.listDeadLetters();
    const billing = bridge.listDeadLetters({ ruleName: "billing" });
    const audit = bridge.listDeadLetters({ targetArn: `${FUNCTION_PREFIX}audit` });
    const none = bridge.listDeadLetters({ ruleName: "billing", targetId: "audit" });
    const inspected = bridge.getDeadLetter(billing[0]?.id ?? "");
    const unknown = () => bridge.getDeadLetter("ghost");

    // Assert
    expect(all).toHaveLength(2);
    expect(billing.map((letter) => letter.targetId)).toEqual(["billing"]);
    expect(audit.map((letter) => letter.ruleArn)).toEqual(["arn:aws:events:ap-southeast-1:000000000000:rule/audit"]);
    expect(none).toEqual([]);
    expect(inspected).toMatchObject({
      event: { id: eventId },
      errorMessage: "target billing is down",
      exhaustedRetryCondition: "MaximumRetryAttempts",
    });
    expect(unknown).toThrow(EventBridgeResourceNotFoundError);
    expect(unknown).toThrow("Dead letter ghost does not exist.");
  });
});

describe("dead letters: redrive", () => {
  it("redrives many dead letters at bounded concurrency, delivering each once and reporting each outcome", async () => {
    // Prepare
    let inFlight = 0;
    let maxInFlight = 0;
    let down = true;
    const deliveredIds: string[] = [];
    const invoker: TargetInvoker = async (_target, _input, context) => {
      if (down) throw new Error("target is down");
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      deliveredIds.push(context.event.id);
    };
    const { client, bridge } = await start(invoker);
    await subscribe(client, "billing");
    const ids = await publish(client, 40);
    await bridge.whenIdle();
    down = false;
    const progress: number[] = [];

    // Act
    const report = await bridge.redriveDeadLetters(
      {},
      { concurrency: 4, onResult: (_result, finished) => progress.push(finished) },
    );

    // Assert
    expect(report.delivered).toBe(40);
    expect(report.failed).toBe(0);
    expect(report.results.map((result) => [result.eventId, result.status, result.attempts])).toEqual(
      ids.map((id) => [id, "delivered", 1]),
    );
    expect([...deliveredIds].sort()).toEqual([...ids].sort());
    expect(maxInFlight).toBe(4);
    expect(progress).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(bridge.listDeadLetters()).toEqual([]);
  });

  it("with singleAttempt, reports letters that fail again with their new dead-letter ids, and unknown ids as not-found", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    await subscribe(client, "billing");
    await subscribe(client, "audit");
    targets.down.add("billing").add("audit");
    await publish(client, 2);
    await bridge.whenIdle();
    targets.down.delete("audit");
    await client.send(
      new PutTargetsCommand({
        Rule: "billing",
        Targets: [
          {
            Id: "billing",
            Arn: `${FUNCTION_PREFIX}billing`,
            RetryPolicy: { MaximumRetryAttempts: 3 },
            DeadLetterConfig: { Arn: "arn:aws:sqs:ap-southeast-1:000000000000:billing-dlq" },
          },
        ],
      }),
    );
    const auditLetters = bridge.listDeadLetters({ targetId: "audit" });
    const billingLetters = bridge.listDeadLetters({ targetId: "billing" });
    targets.failed.length = 0;

    // Act
    const report = await bridge.redriveDeadLetters(
      { ids: [...billingLetters, ...auditLetters].map((letter) => letter.id).concat("ghost") },
      { singleAttempt: true },
    );

    // Assert
    expect(report.results.map((result) => [result.targetId, result.status, result.attempts])).toEqual([
      ["billing", "dead-lettered", 1],
      ["billing", "dead-lettered", 1],
      ["audit", "delivered", 1],
      ["audit", "delivered", 1],
      [undefined, "not-found", undefined],
    ]);
    expect(targets.failed).toHaveLength(2);
    expect(report).toMatchObject({ delivered: 2, failed: 3 });
    const remaining = bridge.listDeadLetters().map((letter) => letter.id);
    expect(remaining).toEqual(report.results.slice(0, 2).map((result) => result.newDeadLetterId));
    expect(remaining).not.toContain(billingLetters[0]?.id);
  });

  it("redrives only the letters matching the filter", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    await subscribe(client, "billing");
    await subscribe(client, "audit");
    targets.down.add("billing").add("audit");
    await publish(client, 3);
    await bridge.whenIdle();
    targets.down.clear();
    targets.delivered.length = 0;

    // Act
    const report = await bridge.redriveDeadLetters({ ruleName: "audit" });

    // Assert
    expect(report.delivered).toBe(3);
    expect(targets.delivered.map((call) => call.target.targetId)).toEqual(["audit", "audit", "audit"]);
    expect(bridge.listDeadLetters().map((letter) => letter.targetId)).toEqual(["billing", "billing", "billing"]);
  });
});

describe("redeliveryJobFor", () => {
  const letter: DeadLetter = {
    id: "letter-1",
    event: buildEventEnvelope({
      id: "event-1",
      detailType: "OrderPlaced",
      source: "orders",
      account: "000000000000",
      time: new Date("2026-01-02T03:04:05Z"),
      region: "ap-southeast-1",
      resources: [],
      detail: { orderId: "o-1" },
    }),
    input: { orderId: "o-1" },
    eventBusName: "default",
    ruleName: "billing",
    ruleArn: "arn:aws:events:ap-southeast-1:000000000000:rule/billing",
    targetId: "billing",
    targetArn: `${FUNCTION_PREFIX}billing-old`,
    deadLetterArn: "arn:aws:sqs:ap-southeast-1:000000000000:billing-dlq",
    errorName: "Error",
    errorMessage: "target is down",
    errorCode: "SDK_CLIENT_ERROR",
    retryAttempts: 0,
    ingestionTime: new Date("2026-01-02T03:04:06Z"),
    time: new Date("2026-01-02T03:04:07Z"),
  };
  const now = new Date("2026-01-03T00:00:00Z");

  it("follows the target as it is configured now, its event age counted from the redelivery", () => {
    // Prepare
    const current = {
      Id: "billing",
      Arn: `${FUNCTION_PREFIX}billing-new`,
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 600 },
    };

    // Act
    const job = redeliveryJobFor(letter, current, {}, now);

    // Assert
    expect(job).toEqual({
      event: letter.event,
      input: letter.input,
      eventBusName: "default",
      ruleName: "billing",
      ruleArn: letter.ruleArn,
      targetId: "billing",
      targetArn: `${FUNCTION_PREFIX}billing-new`,
      maximumRetryAttempts: 3,
      maximumEventAgeSeconds: 600,
      ingestionTime: letter.ingestionTime,
      ageOrigin: now,
    });
  });

  it("makes one attempt to the letter's target and DLQ when the target is gone", () => {
    // Act
    const job = redeliveryJobFor(letter, undefined, {}, now);

    // Assert
    expect(job).toMatchObject({
      targetArn: `${FUNCTION_PREFIX}billing-old`,
      maximumRetryAttempts: 0,
      deadLetterArn: letter.deadLetterArn,
    });
  });

  it("makes one attempt with singleAttempt, whatever the target's retry policy", () => {
    // Prepare
    const current = { Id: "billing", Arn: `${FUNCTION_PREFIX}billing-new`, RetryPolicy: { MaximumRetryAttempts: 3 } };

    // Act
    const job = redeliveryJobFor(letter, current, { singleAttempt: true }, now);

    // Assert
    expect(job.maximumRetryAttempts).toBe(0);
  });
});
