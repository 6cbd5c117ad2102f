import { describe, expect, it } from "vitest";
import { parseNumericMatch } from "./numeric-match";

describe("parseNumericMatch", () => {
  it.each([
    [
      ["=", 5],
      [4, 5, 6],
      [false, true, false],
    ],
    [
      ["<", 5],
      [4, 5],
      [true, false],
    ],
    [
      ["<=", 5],
      [5, 6],
      [true, false],
    ],
    [
      [">", 5],
      [5, 6],
      [false, true],
    ],
    [
      [">=", 5],
      [4, 5],
      [false, true],
    ],
    [
      [">", 0, "<", 1],
      [0, 0.5, 1],
      [false, true, false],
    ],
    [
      [">=", 0, "<=", 1],
      [0, 1, 1.000001],
      [true, true, false],
    ],
    [
      [">", -1e12, "<", 1e12],
      [-1e12 + 1, 1e12],
      [true, false],
    ],
  ] as const)("%j", (operand, values, expected) => {
    // Prepare
    const predicate = parseNumericMatch(operand);

    // Act
    const results = values.map((value) => predicate(value));

    // Assert
    expect(results).toEqual(expected);
  });

  it.each([
    [[], "Invalid member in numeric match: ]"],
    [[">"], "Value of > must be numeric"],
    [["=", 1, 2], "Too many elements in numeric expression"],
    [[">", 1, 5], "Bad value in numeric range: 5"],
    [[">", 1, "<=", 1], "Bottom must be less than top"],
  ] as const)("rejects %j", (operand, reason) => {
    // Act
    const act = () => parseNumericMatch(operand);

    // Assert
    expect(act).toThrow(expect.objectContaining({ reason }));
  });
});
