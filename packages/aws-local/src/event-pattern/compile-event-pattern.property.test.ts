import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileEventPattern, InvalidEventPatternError } from "./index";

const operatorNames = [
  "prefix",
  "suffix",
  "equals-ignore-case",
  "wildcard",
  "anything-but",
  "numeric",
  "exists",
  "cidr",
  "$or",
];
const key = fc.oneof(fc.constantFrom(...operatorNames, "a", "b", "a.b", "detail"), fc.string({ maxLength: 3 }));
const patternLike = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 3 }),
  ),
})).value;

describe("compileEventPattern on arbitrary input", () => {
  it("either compiles or throws InvalidEventPatternError, and matching never throws", () => {
    // Prepare
    const property = fc.property(patternLike, fc.jsonValue({ maxDepth: 4 }), (pattern, event) => {
      // Act
      let compiled: ReturnType<typeof compileEventPattern>;
      try {
        compiled = compileEventPattern(JSON.stringify(pattern) ?? "null");
      } catch (error) {
        // Assert
        expect(error).toBeInstanceOf(InvalidEventPatternError);
        return;
      }
      expect(typeof compiled.matches(event)).toBe("boolean");
    });

    // Act + Assert
    fc.assert(property, { numRuns: 3000 });
  });
});
