import { describe, expect, it } from "vitest";
import { InvalidEventPatternError } from "./invalid-event-pattern-error";
import { matchesWildcard, MAX_WILDCARD_COMPLEXITY, parseWildcard, wildcardComplexity } from "./wildcard";

function reasonOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.reason;
    throw error;
  }
  throw new Error("expected an InvalidEventPatternError");
}

describe("parseWildcard", () => {
  it("unescapes \\* and \\\\ into literal pieces", () => {
    // Prepare
    const source = "a\\*b*c\\\\";

    // Act
    const pattern = parseWildcard(source);

    // Assert
    expect(pattern.pieces).toEqual(["a*b", "c\\"]);
  });

  it("reports ** at its UTF-8 byte position inside the quoted operand", () => {
    // Prepare: after the opening quote (byte 0) and "é" (bytes 1-2) the first * is byte 3.
    const source = "é**";

    // Act
    const reason = reasonOf(() => parseWildcard(source));

    // Assert
    expect(reason).toBe("Consecutive wildcard characters at pos 3");
  });

  it("rejects an escape other than \\* and \\\\", () => {
    // Prepare
    const source = "ab\\c";

    // Act
    const reason = reasonOf(() => parseWildcard(source));

    // Assert
    expect(reason).toBe("Invalid escape character at pos 3");
  });

  it("rejects a trailing backslash, which would escape the closing quote", () => {
    // Prepare
    const source = "ab\\";

    // Act
    const reason = reasonOf(() => parseWildcard(source));

    // Assert
    expect(reason).toBe("Invalid escape character at pos 3");
  });
});

describe("matchesWildcard", () => {
  it.each([
    ["*.png", "a/b/c.png", true],
    ["*.png", "c.png.txt", false],
    ["a*b*c", "abc", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["*", "", true],
    ["", "", true],
    ["", "x", false],
    ["*a*a*", "aa", true],
    ["*a*a*", "a", false],
  ] as const)("%s against %s is %s", (source, value, expected) => {
    // Prepare
    const pattern = parseWildcard(source);

    // Act
    const result = matchesWildcard(pattern, value);

    // Assert
    expect(result).toBe(expected);
  });
});

describe("wildcardComplexity", () => {
  it.each([
    ["an ARN with two wildcards", ["arn:aws:events:us-east-1:*:event-bus/*"]],
    ["repeating segments after one wildcard", ["/Users/*/dir/dir/dir/dir/dir/doc.txt"]],
    ["two datasync suffixes", ["*/datasync/*.bif", "*/datasync/*.tif"]],
  ])("accepts %s", (_label, sources) => {
    // Prepare
    const patterns = sources.map(parseWildcard);

    // Act
    const complexity = wildcardComplexity(patterns);

    // Assert
    expect(complexity).toBeLessThanOrEqual(MAX_WILDCARD_COMPLEXITY);
  });

  it.each([
    ["five colon-separated wildcards", ["*:*:*:*:*:event-bus/*"]],
    ["four suffix wildcards on one field", ["*.bif", "*.tiff", "*.tif", "*.svs"]],
    ["eleven wildcards on one field", Array.from({ length: 11 }, (_, i) => `${String.fromCharCode(97 + i)}*`)],
  ])("rejects %s", (_label, sources) => {
    // Prepare
    const patterns = sources.map(parseWildcard);

    // Act
    const complexity = wildcardComplexity(patterns);

    // Assert
    expect(complexity).toBeGreaterThan(MAX_WILDCARD_COMPLEXITY);
  });
});
