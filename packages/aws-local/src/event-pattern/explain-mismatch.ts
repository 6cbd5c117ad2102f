import { compileEventPattern } from "./compile-event-pattern";

/** One part of a pattern the event does not satisfy. */
export interface PatternMismatch {
  /** Dotted field path, e.g. `detail.reason`; `$or` parts are named `…$or`. */
  readonly field: string;
  /** What the pattern asks for there, as JSON. */
  readonly expected: string;
  /** What the event has there, as JSON, or `(missing)`. */
  readonly actual: string;
}

function valueAt(event: unknown, path: readonly string[]): unknown {
  let node = event;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !(key in node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function nest(path: readonly string[], leaf: unknown): Record<string, unknown> {
  return path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), leaf as Record<string, unknown>);
}

/**
 * Why an event does not match a pattern: each field whose condition alone fails, with what
 * the pattern wants and what the event has. Empty when the pattern matches. The pattern must
 * be valid (compileEventPattern throws InvalidEventPatternError otherwise).
 */
export function explainPatternMismatch(pattern: Record<string, unknown>, event: unknown): PatternMismatch[] {
  if (compileEventPattern(pattern).matches(event)) return [];
  const mismatches: PatternMismatch[] = [];
  const visit = (node: Record<string, unknown>, path: string[]) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$or" && Array.isArray(value)) {
        const alone = nest(path, { $or: value });
        if (!compileEventPattern(alone).matches(event)) {
          mismatches.push({
            field: [...path, "$or"].join("."),
            expected: `one of ${value.length} branches`,
            actual: "no branch matched",
          });
          for (const branch of value) visit(branch as Record<string, unknown>, path);
        }
      } else if (Array.isArray(value)) {
        const fieldPath = [...path, ...key.split(".")];
        if (!compileEventPattern(nest(fieldPath, value)).matches(event)) {
          const actual = valueAt(event, fieldPath);
          mismatches.push({
            field: fieldPath.join("."),
            expected: JSON.stringify(value),
            actual: actual === undefined ? "(missing)" : JSON.stringify(actual),
          });
        }
      } else if (typeof value === "object" && value !== null) {
        visit(value as Record<string, unknown>, [...path, ...key.split(".")]);
      }
    }
  };
  visit(pattern, []);
  return mismatches;
}
