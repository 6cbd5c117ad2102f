import { LocalEventBridge, type AsyncFunctionRun, type TargetInvoker } from "@payment3/aws-local";
import { afterEach, describe, expect, it } from "vitest";
import { FlowRecorder, type FlowRecord } from "./flow-recorder";

const DLQ = "arn:aws:sqs:ap-southeast-1:000000000000:audit-dlq";
const bridges: LocalEventBridge[] = [];
afterEach(() => {
  for (const bridge of bridges.splice(0)) bridge.close();
});

/** A bus `shop` with rules `payments` (two targets) and `audit` (one, with a DLQ and no retries). */
function startBus(invoker: TargetInvoker = async () => undefined) {
  const bridge = new LocalEventBridge({ targetInvoker: invoker, retryBaseDelayMs: 1, logger: { warn() {} } });
  bridges.push(bridge);
  bridge.createEventBus({ Name: "shop" });
  bridge.putRule({ Name: "payments", EventBusName: "shop", EventPattern: JSON.stringify({ source: ["wallet"] }) });
  bridge.putTargets({
    Rule: "payments",
    EventBusName: "shop",
    Targets: [
      { Id: "processor", Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:processor" },
      { Id: "mirror", Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:mirror" },
    ],
  });
  bridge.putRule({ Name: "audit", EventBusName: "shop", EventPattern: JSON.stringify({ "detail-type": ["Paid"] }) });
  bridge.putTargets({
    Rule: "audit",
    EventBusName: "shop",
    Targets: [
      {
        Id: "audit",
        Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:audit",
        RetryPolicy: { MaximumRetryAttempts: 0 },
        DeadLetterConfig: { Arn: DLQ },
      },
    ],
  });
  return bridge;
}

function put(bridge: LocalEventBridge, source: string, detailType: string, detail: object) {
  const answer = bridge.putEvents({
    Entries: [{ EventBusName: "shop", Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }],
  });
  const entry = answer.Entries[0];
  if (!entry || !("EventId" in entry)) throw new Error(`PutEvents refused the entry: ${JSON.stringify(entry)}`);
  return entry.EventId;
}

describe("FlowRecorder", () => {
  it("records each event with the rules it matched and every target's delivery, and tells listeners as it changes", async () => {
    // Prepare
    const bridge = startBus();
    const recorder = new FlowRecorder(bridge);
    const told: string[] = [];
    recorder.subscribe((record) => told.push(`${record.detailType}:${record.outcome}`));

    // Act
    const eventId = put(bridge, "wallet", "Confirmed", { orderId: "o-1", paymentId: "p-1" });
    await bridge.whenIdle();

    // Assert
    const record = recorder.get(eventId);
    expect(record).toMatchObject({
      source: "wallet",
      detailType: "Confirmed",
      eventBusName: "shop",
      orderId: "o-1",
      paymentId: "p-1",
      rules: ["payments"],
      outcome: "delivered",
    });
    expect(record?.deliveries.map((delivery) => [delivery.targetId, delivery.status, delivery.attempts])).toEqual([
      ["processor", "delivered", 1],
      ["mirror", "delivered", 1],
    ]);
    expect(told[0]).toBe("Confirmed:in-flight");
    expect(told.at(-1)).toBe("Confirmed:delivered");
  });

  it("records a failing target's retries and dead letter, then the redrive as a second delivery", async () => {
    // Prepare: the audit target fails until told otherwise
    let auditDown = true;
    const bridge = startBus(async (target) => {
      if (target.targetId === "audit" && auditDown) throw new TypeError("audit table unreachable");
    });
    const recorder = new FlowRecorder(bridge);
    const eventId = put(bridge, "processor", "Paid", { orderId: "o-2" });
    await bridge.whenIdle();
    const deadLettered = structuredClone(recorder.get(eventId));

    // Act
    auditDown = false;
    await bridge.redriveDeadLetters({ ruleName: "audit" });
    await bridge.whenIdle();

    // Assert
    expect(deadLettered?.outcome).toBe("dead-lettered");
    expect(deadLettered?.deliveries[0]).toMatchObject({
      targetId: "audit",
      status: "dead-lettered",
      attempts: 1,
      lastError: "TypeError: audit table unreachable",
      deadLetterId: expect.any(String),
    });
    const redriven = recorder.get(eventId);
    expect(redriven?.deliveries.map((delivery) => [delivery.status, delivery.redelivery])).toEqual([
      ["dead-lettered", false],
      ["delivered", true],
    ]);
    expect(redriven?.outcome).toBe("retried");
  });

  it("marks an event no rule matched as unmatched", async () => {
    // Prepare
    const bridge = startBus();
    const recorder = new FlowRecorder(bridge);

    // Act
    const eventId = put(bridge, "qr", "Confirmed", { orderId: "o-3" });
    await bridge.whenIdle();

    // Assert
    expect(recorder.get(eventId)).toMatchObject({ rules: [], deliveries: [], outcome: "unmatched" });
  });

  it("records a replayed copy of an event under its own key, with the replay's name", async () => {
    // Prepare
    const bridge = startBus();
    bridge.createArchive({ ArchiveName: "all", EventSourceArn: bridge.eventBusArn("shop") });
    const recorder = new FlowRecorder(bridge);
    const start = new Date(Date.now() - 60_000);
    const eventId = put(bridge, "wallet", "Confirmed", { orderId: "o-4" });
    await bridge.whenIdle();

    // Act
    bridge.startReplay({
      ReplayName: "again",
      EventSourceArn: bridge.archiveArn("all"),
      EventStartTime: start,
      EventEndTime: new Date(Date.now() + 60_000),
      Destination: { Arn: bridge.eventBusArn("shop"), FilterArns: [bridge.ruleArnFor("shop", "payments")] },
    });
    await bridge.whenReplayEnded("again");
    await bridge.whenIdle();

    // Assert
    const replayed = recorder.get(`${eventId}@again`);
    expect(replayed).toMatchObject({ eventId, replayName: "again", rules: ["payments"], outcome: "delivered" });
    expect(replayed?.deliveries).toHaveLength(2);
    expect(recorder.get(eventId)?.replayName).toBeNull();
  });

  it("pages newest first through the records a filter selects", () => {
    // Prepare: 250 records made directly, every tenth for order o-7
    const bridge = startBus();
    const recorder = new FlowRecorder(bridge, 200);
    for (let index = 0; index < 250; index += 1) {
      recorder.add(
        {
          version: "0",
          id: `e-${index}`,
          "detail-type": index % 2 ? "Paid" : "Confirmed",
          source: "wallet",
          account: "000000000000",
          time: new Date(0).toISOString(),
          region: "ap-southeast-1",
          resources: [],
          detail: { orderId: index % 10 === 0 ? "o-7" : `o-${index}` },
        },
        "shop",
        new Date(),
        [],
      );
    }

    // Act
    const first = recorder.page({ orderId: "o-7" }, { limit: 8 });
    const second = recorder.page({ orderId: "o-7" }, { limit: 8, beforeSeq: first.nextBeforeSeq ?? 0 });
    const all = recorder.page({}, { limit: 500 });

    // Assert: the ring keeps the last 200 (e-50 … e-249)
    const ids = (records: FlowRecord[]) => records.map((record) => record.eventId);
    expect(ids(first.records)).toEqual(["e-240", "e-230", "e-220", "e-210", "e-200", "e-190", "e-180", "e-170"]);
    expect(first.matching).toBe(20);
    expect(ids(second.records)).toEqual(["e-160", "e-150", "e-140", "e-130", "e-120", "e-110", "e-100", "e-90"]);
    expect(all.records).toHaveLength(200);
    expect(all.records.at(-1)?.eventId).toBe("e-50");
    expect(all.nextBeforeSeq).toBeNull();
  });

  it("counts a Lambda target's function runs and marks the delivery dead-lettered when Lambda gives up", async () => {
    // Prepare: a bus whose invoker only queues the event (as EventBridge hands a Lambda target over), and runs told by hand
    const bridge = startBus();
    const runListeners: ((run: AsyncFunctionRun) => void)[] = [];
    const recorder = new FlowRecorder(bridge, 100, {
      onRunEnded: (listener) => {
        runListeners.push(listener);
        return () => undefined;
      },
    });
    const eventId = put(bridge, "shop.orders", "Paid", { orderId: "o-9" });
    await bridge.whenIdle();
    const event = recorder.get(eventId)!.event;
    const run = (attempt: number, willRetry: boolean) => {
      const error = new Error(`run ${attempt} failed`);
      for (const listener of runListeners)
        listener({ functionName: "audit", payload: event, attempt, error, willRetry });
    };

    // Act
    run(1, true);
    const retrying = structuredClone(recorder.get(eventId)!);
    run(2, false);

    // Assert
    expect(retrying.deliveries[0]).toMatchObject({
      status: "delivered",
      functionRuns: 1,
      lastError: "Error: run 1 failed",
    });
    expect(recorder.get(eventId)).toMatchObject({
      outcome: "dead-lettered",
      deliveries: [{ targetId: "audit", status: "dead-lettered", functionRuns: 2, lastError: "Error: run 2 failed" }],
    });
  });
});
