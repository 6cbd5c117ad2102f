import { describe, expect, it } from "vitest";
import { FaultInjector, type FaultSite } from "./fault-injector";
import { createSeededRandom, parseSeed, unitHash } from "./seeded-random";

const site = (key: string, extra: Partial<FaultSite> = {}): FaultSite => ({
  operation: "GetItem",
  resource: "orders",
  key,
  ...extra,
});

/** Decisions for the same 200 calls under a seed. */
function decisions(seed: number): boolean[] {
  const faults = new FaultInjector({ seed }).configure("dynamodb-throttle", { probability: 0.3 });
  return Array.from({ length: 200 }, (_, index) => faults.decide("dynamodb-throttle", site(`k${index % 17}`)));
}

describe("FaultInjector", () => {
  it("injects nothing until a rule is configured or a failure planned", () => {
    const faults = new FaultInjector({ seed: 7 });

    const injected = Array.from({ length: 50 }, (_, index) => faults.decide("dynamodb-5xx", site(`k${index}`)));

    expect(injected.filter(Boolean)).toEqual([]);
    expect(faults.injectedCount()).toBe(0);
  });

  it("decides the same calls the same way for the same seed, and differently for another seed", () => {
    expect(decisions(42)).toEqual(decisions(42));
    expect(decisions(42)).not.toEqual(decisions(43));
  });

  it("injects about the configured share of calls", () => {
    const injected = decisions(5).filter(Boolean).length;

    expect(injected).toBeGreaterThan(30);
    expect(injected).toBeLessThan(90);
  });

  it("keeps failing the same key for the rest of a burst, then decides afresh", () => {
    const seed = 11;
    // A key whose first call fails and whose second fresh decision does not.
    const key = Array.from({ length: 1000 }, (_, index) => `key-${index}`).find(
      (candidate) =>
        unitHash(seed, "dynamodb-throttle", candidate, 0) < 0.5 &&
        unitHash(seed, "dynamodb-throttle", candidate, 1) >= 0.5,
    )!;
    const faults = new FaultInjector({ seed }).configure("dynamodb-throttle", { probability: 0.5, burst: 3 });

    const calls = Array.from({ length: 4 }, () => faults.decide("dynamodb-throttle", site(key)));

    expect(calls).toEqual([true, true, true, false]);
    expect(faults.injectedCount("dynamodb-throttle")).toBe(3);
  });

  it("considers only the operations and resources a rule names", () => {
    const faults = new FaultInjector().configure("dynamodb-5xx", {
      probability: 1,
      operations: ["UpdateItem"],
      resources: ["orders"],
    });

    expect(faults.decide("dynamodb-5xx", site("a"))).toBe(false);
    expect(faults.decide("dynamodb-5xx", site("a", { operation: "UpdateItem", resource: "audit" }))).toBe(false);
    expect(faults.decide("dynamodb-5xx", site("a", { operation: "UpdateItem" }))).toBe(true);
  });

  it("fails exactly the planned number of matching calls", () => {
    const faults = new FaultInjector().failNext("sns-failure", 2, {
      match: (candidate) => candidate.orderIds?.includes("9") ?? false,
    });

    const calls = ["8", "9", "9", "9"].map((orderId) =>
      faults.decide("sns-failure", site(orderId, { orderIds: [orderId] })),
    );

    expect(calls).toEqual([false, true, true, false]);
  });

  it("stops at the rule's limit", () => {
    const faults = new FaultInjector().configure("ses-failure", { probability: 1, limit: 2 });

    const calls = ["a", "b", "c"].map((key) => faults.decide("ses-failure", site(key)));

    expect(calls).toEqual([true, true, false]);
  });

  it("counts faults per kind with the orders they hit, and keeps the counts after the faults are fixed", () => {
    const faults = new FaultInjector().configure("put-events-total", { probability: 1 });
    faults.decide("put-events-total", site("a", { orderIds: ["1", "2"] }));
    faults.decide("put-events-total", site("b"));

    faults.disableAll();

    expect(faults.decide("put-events-total", site("c"))).toBe(false);
    expect(faults.counts().find((count) => count.kind === "put-events-total")).toEqual({
      kind: "put-events-total",
      injected: 2,
      orderIds: new Set(["1", "2"]),
      unattributed: 1,
    });
  });

  it("rejects a probability outside 0..1 and a burst below 1", () => {
    expect(() => new FaultInjector().configure("dynamodb-5xx", { probability: 1.5 })).toThrow(
      "probability of dynamodb-5xx must be 0..1, got 1.5",
    );
    expect(() => new FaultInjector().configure("dynamodb-5xx", { probability: 0.5, burst: [0] })).toThrow(
      "burst of dynamodb-5xx must be whole numbers >= 1",
    );
  });
});

describe("seeded randomness", () => {
  it("repeats a sequence for a seed", () => {
    const first = createSeededRandom(99);
    const second = createSeededRandom(99);

    const a = Array.from({ length: 5 }, first);
    const b = Array.from({ length: 5 }, second);

    expect(a).toEqual(b);
    expect(a.every((value) => value >= 0 && value < 1)).toBe(true);
  });

  it("reads a printed seed back, and names a bad one", () => {
    expect(parseSeed("  1234 ", 1)).toBe(1234);
    expect(parseSeed(undefined, 77)).toBe(77);
    expect(() => parseSeed("abc", 1)).toThrow('a seed must be a whole number from 0 to 4294967295, got "abc"');
  });
});
