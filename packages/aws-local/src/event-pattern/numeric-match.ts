import { InvalidEventPatternError } from "./invalid-event-pattern-error";

/** A compiled `numeric` operand: true for the JSON numbers it accepts. */
export type NumericPredicate = (value: number) => boolean;

/**
 * Compiles the array of a `numeric` operator (`["=", 5]`, `[">", 0, "<=", 5]`, ...) into a predicate,
 * rejecting malformed ones with event-ruler's reasons [ER JsonRuleCompiler.processNumericMatchExpression].
 * A range is a lower operator (`>`, `>=`) then an upper one (`<`, `<=`). Numbers use the full float64
 * range, as event-ruler has since 2024-09 (#188); the old ±1e9 / 6-decimals limit is not enforced.
 */
export function parseNumericMatch(operand: unknown): NumericPredicate {
  if (!Array.isArray(operand)) throw new InvalidEventPatternError("Value of numeric must be an array.");
  const items: readonly unknown[] = operand;
  const operator = items[0];
  if (typeof operator !== "string") {
    throw new InvalidEventPatternError(`Invalid member in numeric match: ${tokenText(items, 0)}`);
  }
  const value = items[1];
  switch (operator) {
    case "=": {
      const equal = requireNumber(value, "Value of equals must be numeric");
      if (items.length > 2) throw tooManyElements();
      return (n) => n === equal;
    }
    case "<":
    case "<=": {
      const top = requireNumber(value, `Value of ${operator} must be numeric`);
      if (items.length > 2) throw tooManyElements();
      return operator === "<" ? (n) => n < top : (n) => n <= top;
    }
    case ">":
    case ">=": {
      const bottom = requireNumber(value, `Value of ${operator} must be numeric`);
      if (items.length === 2) return operator === ">" ? (n) => n > bottom : (n) => n >= bottom;
      return completeRange(items, bottom, operator === ">");
    }
    default:
      throw new InvalidEventPatternError(`Unrecognized numeric range operator: ${operator}`);
  }
}

function completeRange(items: readonly unknown[], bottom: number, openBottom: boolean): NumericPredicate {
  const upperOperator = items[2];
  if (typeof upperOperator !== "string") {
    throw new InvalidEventPatternError(`Bad value in numeric range: ${tokenText(items, 2)}`);
  }
  if (upperOperator !== "<" && upperOperator !== "<=") {
    throw new InvalidEventPatternError(`Bad numeric range operator: ${upperOperator}`);
  }
  const top = requireNumber(items[3], `Value of ${upperOperator} must be numeric`);
  if (items.length > 4) throw new InvalidEventPatternError("Too many terms in numeric range expression");
  if (bottom >= top) throw new InvalidEventPatternError("Bottom must be less than top");
  const openTop = upperOperator === "<";
  if (openBottom) return openTop ? (n) => n > bottom && n < top : (n) => n > bottom && n <= top;
  return openTop ? (n) => n >= bottom && n < top : (n) => n >= bottom && n <= top;
}

function requireNumber(value: unknown, reason: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidEventPatternError(reason);
  return value;
}

function tooManyElements(): InvalidEventPatternError {
  return new InvalidEventPatternError("Too many elements in numeric expression");
}

/** What Jackson's getText() shows for the token at `index` of an array ("]" past its end). */
function tokenText(items: readonly unknown[], index: number): string {
  if (index >= items.length) return "]";
  const item = items[index];
  if (Array.isArray(item)) return "[";
  if (item !== null && typeof item === "object") return "{";
  return String(item);
}
