/**
 * A bounded buffer of keyed entries, oldest dropped first: the console keeps the last `capacity` flow records
 * whatever the runtime has seen, so memory stays flat on a long run.
 */
export class FlowRingBuffer<T> {
  private readonly slots: (T | undefined)[];
  private readonly keys: (string | undefined)[];
  private readonly byKey = new Map<string, T>();
  private next = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`the flow buffer's capacity must be a whole number of at least 1, got ${capacity}`);
    this.slots = new Array(capacity);
    this.keys = new Array(capacity);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Adds `value` under `key`, dropping the oldest entry when full; returns the entry dropped, if any. */
  push(key: string, value: T): T | undefined {
    const slot = this.next % this.capacity;
    const droppedKey = this.keys[slot];
    const dropped = this.slots[slot];
    if (droppedKey !== undefined && this.byKey.get(droppedKey) === dropped) this.byKey.delete(droppedKey);
    this.slots[slot] = value;
    this.keys[slot] = key;
    this.byKey.set(key, value);
    this.next += 1;
    return dropped;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** The entries, newest first. */
  *newestFirst(): Generator<T> {
    const count = Math.min(this.next, this.capacity);
    for (let index = 1; index <= count; index += 1) {
      const value = this.slots[(this.next - index) % this.capacity];
      if (value !== undefined) yield value;
    }
  }
}
