import { compileLeaf, type LeafMatcher } from "./compile-leaf";
import { InvalidEventPatternError } from "./invalid-event-pattern-error";
import { isJsonObject } from "./json-value";

/** One field of a pattern branch: a dotted path and the compiled array found there. */
export interface PatternField {
  /** Keys joined with dots, `detail.state.status`, which is also how event keys are joined. */
  readonly path: string;
  readonly leaf: LeafMatcher;
}

/** Fields that must all match (AND). A pattern is a list of branches, any of which may match (OR). */
export type PatternBranch = readonly PatternField[];

/** The most branches the `$or`s of one pattern may produce [DOC filt, ER README]. */
export const MAX_OR_COMBINATIONS = 1000;

// event-ruler refuses these as field names inside $or, to keep them for operators [ER Constants].
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

type PatternItem =
  | { readonly kind: "field"; readonly field: PatternField }
  | { readonly kind: "or"; readonly alternatives: readonly (readonly PatternItem[])[] };

/**
 * Validates a pattern object and flattens it into OR'd branches of AND'd fields, the way event-ruler's
 * JsonRuleCompiler does: each `$or` forks the fields gathered so far into one branch per alternative,
 * fields after it are added to every branch, and a path given twice keeps its last value (so
 * `"a.b"` and `{"a": {"b": ...}}` override each other) [DOC filt note on duplicate keys].
 */
export function expandPatternBranches(pattern: Record<string, unknown>): PatternBranch[] {
  const items: PatternItem[] = [];
  parseObject(pattern, undefined, false, items);
  const combinations = countOrCombinations(items);
  if (combinations > MAX_OR_COMBINATIONS) {
    throw new InvalidEventPatternError(
      `The $or combinations of this pattern multiply to ${combinations}, over the limit of ${MAX_OR_COMBINATIONS}`,
    );
  }
  return applyItems([], items).map((fields) => [...fields.values()]);
}

function parseObject(
  object: Record<string, unknown>,
  prefix: string | undefined,
  insideOr: boolean,
  items: PatternItem[],
): void {
  const keys = Object.keys(object);
  if (keys.length === 0) throw new InvalidEventPatternError("Empty objects are not allowed");
  for (const key of keys) {
    const value = object[key];
    if (key === "$or") {
      items.push(parseOr(value, prefix));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      throw new InvalidEventPatternError(`${key} is Ruler reserved fieldName which cannot be used inside $or.`);
    }
    const path = prefix === undefined ? key : `${prefix}.${key}`;
    if (isJsonObject(value)) parseObject(value, path, insideOr, items);
    else if (Array.isArray(value)) items.push({ kind: "field", field: { path, leaf: compileLeaf(value) } });
    else throw new InvalidEventPatternError(`"${key}" must be an object or an array`);
  }
}

function parseOr(value: unknown, prefix: string | undefined): PatternItem {
  if (!Array.isArray(value)) throw new InvalidEventPatternError("It must be an Array followed with $or.");
  const alternatives: PatternItem[][] = [];
  for (const alternative of value as unknown[]) {
    if (!isJsonObject(alternative)) {
      throw new InvalidEventPatternError("Only JSON object is allowed in array of $or relationship.");
    }
    const items: PatternItem[] = [];
    parseObject(alternative, prefix, true, items);
    alternatives.push(items);
  }
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError("There must have at least 2 Objects in $or relationship.");
  }
  return { kind: "or", alternatives };
}

/** The product of the branch counts of every `$or` in the pattern, nested ones included. */
function countOrCombinations(items: readonly PatternItem[]): number {
  let product = 1;
  for (const item of items) {
    if (item.kind !== "or") continue;
    product *= item.alternatives.length;
    for (const alternative of item.alternatives) product *= countOrCombinations(alternative);
  }
  return product;
}

function applyItems(rules: Map<string, PatternField>[], items: readonly PatternItem[]): Map<string, PatternField>[] {
  let current = rules;
  for (const item of items) {
    if (item.kind === "field") {
      if (current.length === 0) current = [new Map()];
      for (const rule of current) rule.set(item.field.path, item.field);
      continue;
    }
    const before = current;
    current = [];
    for (const alternative of item.alternatives) {
      const forked = before.length === 0 ? [new Map<string, PatternField>()] : before.map((rule) => new Map(rule));
      current.push(...applyItems(forked, alternative));
    }
  }
  return current;
}
