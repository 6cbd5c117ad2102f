import { describe, expect, it } from "vitest";
import { medianConfidenceInterval } from "./statistics";

const ranks = (n: number) => Array.from({ length: n }, (_, index) => index + 1);

describe("medianConfidenceInterval", () => {
  it("gives the order statistics of the published 95 % tables for the median", () => {
    // Prepare: the ranks themselves, so each bound reads as the rank of its order statistic.
    const sizes = [6, 9, 21, 41, 100];

    // Act
    const intervals = sizes.map((n) => medianConfidenceInterval(ranks(n)));

    // Assert: n = 6 → x(1)–x(6), 9 → x(2)–x(8), 21 → x(6)–x(16), 41 → x(14)–x(28), 100 → x(40)–x(61).
    expect(intervals).toEqual([
      { low: 1, high: 6 },
      { low: 2, high: 8 },
      { low: 6, high: 16 },
      { low: 14, high: 28 },
      { low: 40, high: 61 },
    ]);
  });

  it("gives none for fewer than 6 values, where even the whole range is less than 95 % sure to hold the median", () => {
    // Act
    const interval = medianConfidenceInterval(ranks(5));

    // Assert
    expect(interval).toBeUndefined();
  });

  it("narrows as the sample grows, as the middle half of the values does not", () => {
    // Prepare: the same spread of values, 21 and 81 of them.
    const spread = (n: number) => ranks(n).map((rank) => rank / n);

    // Act
    const few = medianConfidenceInterval(spread(21))!;
    const many = medianConfidenceInterval(spread(81))!;

    // Assert
    expect(many.high - many.low).toBeLessThan((few.high - few.low) * 0.6);
  });
});
