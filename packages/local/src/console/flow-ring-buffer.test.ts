import { describe, expect, it } from "vitest";
import { FlowRingBuffer } from "./flow-ring-buffer";

describe("FlowRingBuffer", () => {
  it("keeps the last `capacity` entries, newest first, and forgets the dropped ones by key", () => {
    // Prepare
    const buffer = new FlowRingBuffer<number>(3);

    // Act
    const dropped = [1, 2, 3, 4, 5].map((value) => buffer.push(`k${value}`, value));

    // Assert
    expect([...buffer.newestFirst()]).toEqual([5, 4, 3]);
    expect(buffer.size).toBe(3);
    expect(dropped).toEqual([undefined, undefined, undefined, 1, 2]);
    expect(buffer.get("k1")).toBeUndefined();
    expect(buffer.get("k3")).toBe(3);
  });

  it("lists nothing when empty and fewer than capacity before it wraps", () => {
    // Prepare
    const buffer = new FlowRingBuffer<string>(4);
    const empty = [...buffer.newestFirst()];

    // Act
    buffer.push("a", "a");
    buffer.push("b", "b");

    // Assert
    expect(empty).toEqual([]);
    expect([...buffer.newestFirst()]).toEqual(["b", "a"]);
  });

  it("keeps a key pointing at its newest entry when the older one with that key is dropped", () => {
    // Prepare
    const buffer = new FlowRingBuffer<string>(2);
    buffer.push("same", "old");
    buffer.push("same", "new");

    // Act: "old" falls out of the ring
    buffer.push("other", "x");

    // Assert
    expect(buffer.get("same")).toBe("new");
  });

  it("refuses a capacity that is not a whole number of at least 1", () => {
    expect(() => new FlowRingBuffer(0)).toThrow(/at least 1, got 0/);
    expect(() => new FlowRingBuffer(2.5)).toThrow(RangeError);
  });
});
