import type * as z from "zod/mini";

/** How zod names a size for the origins our contracts check (strings and arrays). */
const SIZE_UNITS: Readonly<Record<string, string>> = { string: "characters", array: "items" };

const quoted = (value: unknown) =>
  typeof value === "bigint" ? `${value}n` : typeof value === "string" ? `"${value}"` : `${value}`;

/** zod's name for the type of a received value: `number`, `NaN`, `null`, `array`, `object`, ... */
function receivedType(input: unknown): string {
  if (typeof input === "number") return Number.isNaN(input) ? "NaN" : Number.isFinite(input) ? "number" : String(input);
  if (input === null) return "null";
  if (Array.isArray(input)) return "array";
  if (typeof input === "object" && Object.getPrototypeOf(input) !== Object.prototype && input.constructor)
    return input.constructor.name;
  return typeof input;
}

/**
 * zod's English messages (`zod/locales` `en`) for the issues our contracts leave to zod: a wrong
 * type, a wrong literal or enum value, a string or array too short, a refinement (`Invalid
 * input`); every length limit and format check of a contract has a message of its own
 * (field-rules.ts). The same words as `en`, which also carries the names of formats and sizes no
 * contract uses (emoji, IBAN, sets, files ...): 3.2 KB of each function's bundle (BENCHMARKS.md,
 * section 4). A test compares the two on every field of every contract broken every way.
 */
export function englishIssueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected = issue.expected === "nan" ? "NaN" : issue.expected;
      return `Invalid input: expected ${expected}, received ${receivedType(issue.input)}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `Invalid input: expected ${quoted(issue.values[0])}`
        : `Invalid option: expected one of ${issue.values.map(quoted).join("|")}`;
    case "too_small": {
      const unit = SIZE_UNITS[issue.origin];
      const limit = `${issue.exact ? "exactly " : issue.inclusive ? ">=" : ">"}${issue.minimum}`;
      return `Too small: expected ${issue.origin} to ${unit ? `have ${limit} ${unit}` : `be ${limit}`}`;
    }
    default:
      return "Invalid input";
  }
}
