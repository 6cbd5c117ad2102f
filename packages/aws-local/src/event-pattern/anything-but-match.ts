import { InvalidEventPatternError } from "./invalid-event-pattern-error";
import { isJsonObject } from "./json-value";
import { matchesWildcard, parseWildcard, type WildcardPattern } from "./wildcard";

/** A compiled operator: true when one event value passes it. */
export type ValuePredicate = (value: unknown) => boolean;

type AnythingButKind = "values" | "equals-ignore-case" | "prefix" | "suffix" | "wildcard";

/**
 * Compiles the operand of `anything-but`: a string, a number, a list of strings or of numbers (not
 * mixed), or `{prefix|suffix|equals-ignore-case|wildcard: string | string[]}`. Reasons follow
 * event-ruler [ER JsonRuleCompiler, LS-AWS content_anything_*_EXC].
 *
 * The predicate is applied to one event value. A value of another JSON type always passes: a number
 * passes `{"prefix": ...}`, and null passes every form [LS-AWS 2025-10]. A missing field never reaches
 * the predicate, so anything-but is false on it.
 */
export function parseAnythingBut(operand: unknown): ValuePredicate {
  let kind: AnythingButKind = "values";
  let value = operand;
  let extraKeys = false;
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    const name = keys[0];
    if (name === undefined) throw new InvalidEventPatternError("Anything-But expression name not found");
    if (name !== "equals-ignore-case" && name !== "prefix" && name !== "suffix" && name !== "wildcard") {
      throw new InvalidEventPatternError(`Unsupported anything-but pattern: ${name}`);
    }
    kind = name;
    value = operand[name];
    extraKeys = keys.length > 1;
  }
  if (!Array.isArray(value) && typeof value !== "string" && typeof value !== "number") {
    throw new InvalidEventPatternError("Value of anything-but must be an array or single string/number value.");
  }
  const items: readonly unknown[] = Array.isArray(value) ? value : [value];
  const predicate =
    kind === "values" ? compileExcludedValues(items, Array.isArray(value)) : compileExcludedStrings(kind, items);
  // event-ruler reports a second key here with its numeric wording [ER JsonRuleCompiler.tooManyElements].
  if (extraKeys) throw new InvalidEventPatternError("Too many elements in numeric expression");
  return predicate;
}

function compileExcludedValues(items: readonly unknown[], isList: boolean): ValuePredicate {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const item of items) {
    if (typeof item === "string") strings.add(item);
    else if (typeof item === "number") numbers.add(item);
    else {
      throw new InvalidEventPatternError(
        isList
          ? "Inside anything but list, start|null|boolean is not supported."
          : "Inside anything-but list, start|null|boolean is not supported.",
      );
    }
  }
  if (strings.size > 0 === numbers.size > 0) {
    throw new InvalidEventPatternError(
      "Inside anything but list, either all values are number or string, mixed type is not supported",
    );
  }
  if (strings.size > 0) return (value) => typeof value !== "string" || !strings.has(value);
  // Numbers compare by value: anything-but 300 excludes 300.0 [LS-AWS 2025-10].
  return (value) => typeof value !== "number" || !numbers.has(value);
}

function compileExcludedStrings(kind: Exclude<AnythingButKind, "values">, items: readonly unknown[]): ValuePredicate {
  const operands: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") throw new InvalidEventPatternError(notAStringReason(kind));
    if ((kind === "prefix" || kind === "suffix") && item === "") {
      throw new InvalidEventPatternError("Null prefix/suffix not allowed");
    }
    operands.push(item);
  }
  switch (kind) {
    case "equals-ignore-case": {
      const excluded = new Set(operands.map((operand) => operand.toLowerCase()));
      return (value) => typeof value !== "string" || !excluded.has(value.toLowerCase());
    }
    case "prefix":
      return (value) => typeof value !== "string" || !operands.some((operand) => value.startsWith(operand));
    case "suffix":
      return (value) => typeof value !== "string" || !operands.some((operand) => value.endsWith(operand));
    case "wildcard": {
      const patterns: WildcardPattern[] = operands.map(parseWildcard);
      return (value) => typeof value !== "string" || !patterns.some((pattern) => matchesWildcard(pattern, value));
    }
  }
}

function notAStringReason(kind: Exclude<AnythingButKind, "values">): string {
  if (kind === "equals-ignore-case") {
    return "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.";
  }
  if (kind === "wildcard") return "wildcard match pattern must be a string";
  return "prefix/suffix match pattern must be a string";
}
