import type { EventBridgeClient, PutEventsCommand, PutEventsCommandOutput } from "@aws-sdk/client-eventbridge";
import type { PutEventsEntry } from "@payment3/events";
import { describe, expect, it } from "vitest";
import { batchEntries, createEventBridgePublisher, PublishError } from "./event-publisher";

const entry = (n: number, size = 10): PutEventsEntry => ({
  Source: "payment3.processor",
  DetailType: "OrderPaid",
  Detail: JSON.stringify({ n, pad: "x".repeat(size) }),
  EventBusName: "payment3-test",
});

/**
 * A client whose answers are scripted per call. Partial PutEvents failures cannot be produced
 * on demand by the local bus, so this is the fault-injection exception to "no mocks".
 */
function scriptedClient(script: ((entries: unknown[]) => Partial<PutEventsCommandOutput> | Error)[]) {
  const calls: unknown[][] = [];
  const client = {
    async send(command: PutEventsCommand) {
      const entries = command.input.Entries ?? [];
      calls.push(entries);
      const step =
        script[calls.length - 1] ??
        ((e: unknown[]) => ({
          FailedEntryCount: 0,
          Entries: e.map((_, i) => ({ EventId: `id-${calls.length}-${i}` })),
        }));
      const result = step(entries);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as EventBridgeClient;
  return { client, calls };
}

const noSleep = async () => {};

describe("EventBridge publisher", () => {
  it("retries only the entries that failed with a retryable code", async () => {
    const { client, calls } = scriptedClient([
      () => ({
        FailedEntryCount: 1,
        Entries: [{ EventId: "a" }, { ErrorCode: "ThrottlingException", ErrorMessage: "slow down" }, { EventId: "c" }],
      }),
      () => ({ FailedEntryCount: 0, Entries: [{ EventId: "b" }] }),
    ]);

    const ids = await createEventBridgePublisher({ client, sleep: noSleep }).publish([entry(1), entry(2), entry(3)]);

    expect(ids).toEqual(["a", "b", "c"]);
    expect(calls.map((c) => c.length)).toEqual([3, 1]);
    expect(calls[1]).toEqual([expect.objectContaining({ Detail: entry(2).Detail })]);
  });

  it("treats a 200 with a non-retryable failed entry as a failure naming the entry", async () => {
    const { client, calls } = scriptedClient([
      () => ({
        FailedEntryCount: 1,
        Entries: [{ EventId: "a" }, { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." }],
      }),
    ]);

    const publish = createEventBridgePublisher({ client, sleep: noSleep }).publish([entry(1), entry(2)]);

    await expect(publish).rejects.toBeInstanceOf(PublishError);
    await expect(publish).rejects.toThrow(
      "PutEvents did not accept 1 entry: #1 OrderPaid MalformedDetail (Detail is malformed.)",
    );
    expect(calls).toHaveLength(1);
  });

  it("gives up after the last attempt and names what still failed", async () => {
    const throttled = () => ({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "InternalFailure", ErrorMessage: "try later" }],
    });
    const { client, calls } = scriptedClient([throttled, throttled, throttled]);

    const publish = createEventBridgePublisher({ client, sleep: noSleep, maxAttempts: 3 }).publish([entry(1)]);

    await expect(publish).rejects.toMatchObject({
      name: "PublishError",
      transient: true,
      failed: [expect.objectContaining({ index: 0, errorCode: "InternalFailure" })],
    });
    expect(calls).toHaveLength(3);
  });

  it("retries a whole request that failed with a transient error", async () => {
    const outage = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const { client, calls } = scriptedClient([() => outage]);

    const ids = await createEventBridgePublisher({ client, sleep: noSleep }).publish([entry(1)]);

    expect(ids).toEqual(["id-2-0"]);
    expect(calls).toHaveLength(2);
  });

  it("splits entries into requests of at most 10 and within the size limit", () => {
    const many = Array.from({ length: 25 }, (_, n) => entry(n));
    const large = [entry(1, 600), entry(2, 600), entry(3, 10)];

    expect(batchEntries(many, 1_000_000).map((b) => b.length)).toEqual([10, 10, 5]);
    expect(batchEntries(large, 1000)).toEqual([[0], [1, 2]]);
  });
});
