import { describe, expect, it } from "vitest";
import { conformanceCases, invalidPatternCases } from "./conformance-cases";
import { compileEventPattern, InvalidEventPatternError } from "./index";

const ENVELOPE_KEYS = ["version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail"];

function patternText(pattern: unknown): string {
  return typeof pattern === "string" ? pattern : JSON.stringify(pattern);
}

describe("conformance cases", () => {
  it("cover at least 120 valid patterns with both outcomes", () => {
    // Prepare
    const outcomes = new Set(conformanceCases.map((c) => c.expected));

    // Act
    const count = conformanceCases.length;

    // Assert
    expect(count).toBeGreaterThanOrEqual(120);
    expect([...outcomes].sort()).toEqual([false, true]);
  });

  it("have unique names", () => {
    // Prepare
    const names = [...conformanceCases, ...invalidPatternCases].map((c) => c.name);

    // Act
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);

    // Assert
    expect(duplicates).toEqual([]);
  });

  it("use a full EventBridge envelope in every event", () => {
    // Prepare
    const missing = conformanceCases.flatMap((c) =>
      ENVELOPE_KEYS.filter((key) => !(key in c.event)).map((key) => `${c.name}: ${key}`),
    );

    // Act + Assert
    expect(missing).toEqual([]);
  });

  it.each(conformanceCases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    // Prepare
    const compiled = compileEventPattern(JSON.stringify(c.pattern));
    const event = JSON.parse(JSON.stringify(c.event)) as unknown;

    // Act
    const result = compiled.matches(event);

    // Assert
    expect(result).toBe(c.expected);
  });
});

describe("invalid pattern cases", () => {
  it.each(invalidPatternCases.map((c) => [c.name, c] as const))("rejects %s", (_name, c) => {
    // Prepare
    const text = patternText(c.pattern);

    // Act
    const act = () => compileEventPattern(text);

    // Assert
    expect(act).toThrow(InvalidEventPatternError);
    if (c.reasonIncludes !== undefined) {
      expect(act).toThrow(expect.objectContaining({ reason: expect.stringContaining(c.reasonIncludes) }));
    }
  });
});
