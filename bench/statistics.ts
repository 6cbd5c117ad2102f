/** Summary of a sample of durations, in the sample's unit. */
export interface Distribution {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** The value at percentile `p` (0–100) of an ascending-sorted sample, nearest-rank. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Min, mean, p50/p95/p99 and max, rounded to `digits` decimals. */
export function distributionOf(values: readonly number[], digits = 2): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => roundTo(value, digits);
  return {
    count: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    mean: round(mean(sorted)),
    p50: round(percentileOfSorted(sorted, 50)),
    p95: round(percentileOfSorted(sorted, 95)),
    p99: round(percentileOfSorted(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The distribution-free confidence interval of the median of an ascending-sorted sample: the order statistics
 * x(k) and x(n + 1 − k), with k the largest rank for which fewer than k of n values fall below the median with
 * probability at most (1 − confidence) / 2 (the binomial sign test: each value lies below the median with
 * probability ½). It narrows as the sample grows, unlike the middle half of the values. Undefined below 6 values,
 * where even the whole range covers the median with less than 95 % confidence.
 */
export function medianConfidenceInterval(
  sorted: readonly number[],
  confidence = 0.95,
): { readonly low: number; readonly high: number } | undefined {
  const n = sorted.length;
  const tail = (1 - confidence) / 2;
  // P(B <= j) for B ~ Binomial(n, ½), summed term by term: C(n, j) / 2^n.
  let term = 0.5 ** n;
  let cumulative = term;
  let k = 0;
  for (let j = 0; j < n && cumulative <= tail; j++) {
    k = j + 1;
    term = (term * (n - j)) / (j + 1);
    cumulative += term;
  }
  if (k === 0) return undefined;
  return { low: sorted[k - 1]!, high: sorted[n - k]! };
}
