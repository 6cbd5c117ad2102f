/**
 * Deterministic randomness for fault injection and scenario generation: the same seed gives the
 * same numbers on every machine, so a failing run can be replayed from its printed seed.
 */

/** A PRNG returning numbers in [0, 1), like Math.random. */
export type Random = () => number;

/** mulberry32: a small, fast, well-distributed 32-bit generator (good enough for tests, not for secrets). */
export function createSeededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A number in [0, 1) that depends only on the parts (cyrb53 hash). Fault decisions use it
 * instead of a shared PRNG stream, so the decision for "the 3rd UpdateItem of order 42" does
 * not change when concurrent requests arrive in another order.
 */
export function unitHash(...parts: readonly (string | number)[]): number {
  const text = parts.join("\u241f");
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2_654_435_761);
    h2 = Math.imul(h2 ^ code, 1_597_334_677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
  const hash53 = 2_097_152 * (h2 >>> 0) + (h1 >>> 0);
  return hash53 / 9_007_199_254_740_992;
}

/** An integer in [min, max] from a PRNG. */
export function randomInteger(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** A seed for a run: RELIABILITY_SEED-style text ("42", "0x2a") or, when absent, `fallback`. */
export function parseSeed(text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback >>> 0;
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
    throw new RangeError(`a seed must be a whole number from 0 to 4294967295, got ${JSON.stringify(text)}`);
  }
  return value;
}
