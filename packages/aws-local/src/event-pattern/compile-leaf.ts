import { parseAnythingBut, type ValuePredicate } from "./anything-but-match";
import { isInCidrRange, isSameIpAddress, parseCidr, parseIpAddress, type IpAddress } from "./cidr";
import { InvalidEventPatternError } from "./invalid-event-pattern-error";
import { isJsonObject } from "./json-value";
import { parseNumericMatch, type NumericPredicate } from "./numeric-match";
import { matchesWildcard, parseWildcard, type WildcardPattern } from "./wildcard";

/** The compiled array of one pattern field: its operators are OR'd. */
export interface LeafMatcher {
  /** True when one event value passes some operator of the leaf (`exists: true` passes any value). */
  readonly matchesValue: ValuePredicate;
  /** The leaf holds `{"exists": false}`: a field with no value satisfies it. */
  readonly acceptsAbsence: boolean;
  /** False when the leaf is only `{"exists": false}`, so no value can satisfy it. */
  readonly hasValueOperators: boolean;
  /** The leaf's `wildcard` operands, for the per-field complexity limit. */
  readonly wildcards: readonly WildcardPattern[];
}

type StringPredicate = (value: string) => boolean;

interface LeafParts {
  exactStrings: Set<string>;
  ipLiterals: IpAddress[];
  exactNumbers: Set<number>;
  matchesTrue: boolean;
  matchesFalse: boolean;
  matchesNull: boolean;
  matchesAnyValue: boolean;
  acceptsAbsence: boolean;
  stringPredicates: StringPredicate[];
  numberPredicates: NumericPredicate[];
  otherPredicates: ValuePredicate[];
  wildcards: WildcardPattern[];
}

/**
 * Compiles the non-empty array a pattern gives for one field. Plain values are exact matches, typed
 * as in JSON: `"100"` never matches 100 and `true` never matches `"true"`; numbers match by value, so
 * `[300]` matches `300.0` [LS-AWS 2025-10]. Objects are operators, and several of them OR together
 * [LS-AWS operator_multiple_list].
 */
export function compileLeaf(items: readonly unknown[]): LeafMatcher {
  if (items.length === 0) throw new InvalidEventPatternError("Empty arrays are not allowed");
  const parts: LeafParts = {
    exactStrings: new Set(),
    ipLiterals: [],
    exactNumbers: new Set(),
    matchesTrue: false,
    matchesFalse: false,
    matchesNull: false,
    matchesAnyValue: false,
    acceptsAbsence: false,
    stringPredicates: [],
    numberPredicates: [],
    otherPredicates: [],
    wildcards: [],
  };
  for (const item of items) addLeafItem(parts, item);
  const hasValueOperators =
    parts.matchesAnyValue ||
    parts.exactStrings.size + parts.exactNumbers.size > 0 ||
    parts.matchesTrue ||
    parts.matchesFalse ||
    parts.matchesNull ||
    parts.stringPredicates.length + parts.numberPredicates.length + parts.otherPredicates.length > 0;
  return {
    matchesValue: buildValuePredicate(parts),
    acceptsAbsence: parts.acceptsAbsence,
    hasValueOperators,
    wildcards: parts.wildcards,
  };
}

function addLeafItem(parts: LeafParts, item: unknown): void {
  if (typeof item === "string") {
    parts.exactStrings.add(item);
    // event-ruler turns a plain string that is an IP literal into an address match, so
    // "10.0.0.1" also matches "010.0.0.1" and "2001:db8::1" matches its long form [ER JsonRuleCompiler.writeRules].
    const ip = parseIpAddress(item);
    if (ip !== undefined) parts.ipLiterals.push(ip);
  } else if (typeof item === "number") {
    parts.exactNumbers.add(item);
  } else if (item === true) {
    parts.matchesTrue = true;
  } else if (item === false) {
    parts.matchesFalse = true;
  } else if (item === null) {
    parts.matchesNull = true;
  } else if (isJsonObject(item)) {
    addMatchExpression(parts, item);
  } else {
    throw new InvalidEventPatternError("Match value must be String, number, true, false, or null");
  }
}

function addMatchExpression(parts: LeafParts, expression: Record<string, unknown>): void {
  const keys = Object.keys(expression);
  const name = keys[0];
  if (name === undefined) throw new InvalidEventPatternError("Match expression name not found");
  const operand = expression[name];
  let extraKeyReason = "Only one key allowed in match expression";
  switch (name) {
    case "prefix":
      parts.stringPredicates.push(compileAffix(operand, "prefix"));
      break;
    case "suffix":
      parts.stringPredicates.push(compileAffix(operand, "suffix"));
      break;
    case "equals-ignore-case": {
      const lower = requireString(operand, "equals-ignore-case match pattern must be a string").toLowerCase();
      parts.stringPredicates.push((value) => value.toLowerCase() === lower);
      break;
    }
    case "wildcard": {
      const pattern = parseWildcard(requireString(operand, "wildcard match pattern must be a string"));
      parts.wildcards.push(pattern);
      parts.stringPredicates.push((value) => matchesWildcard(pattern, value));
      break;
    }
    case "cidr": {
      // event-ruler reuses the prefix wording here [LS-AWS content_ip_address_type_EXC].
      const range = parseCidr(requireString(operand, "prefix match pattern must be a string"));
      parts.stringPredicates.push((value) => isInCidrRange(range, value));
      break;
    }
    case "numeric":
      parts.numberPredicates.push(parseNumericMatch(operand));
      extraKeyReason = "Too many elements in numeric expression";
      break;
    case "anything-but":
      parts.otherPredicates.push(parseAnythingBut(operand));
      extraKeyReason = "Too many elements in numeric expression";
      break;
    case "exists":
      if (operand === true) parts.matchesAnyValue = true;
      else if (operand === false) parts.acceptsAbsence = true;
      else throw new InvalidEventPatternError("exists match pattern must be either true or false.");
      break;
    case "exactly":
      // Not in the AWS user guide, but event-ruler (which AWS runs) accepts it [ER Constants.EXACT_MATCH].
      parts.exactStrings.add(requireString(operand, "exact match pattern must be a string"));
      break;
    default:
      // Operator names are case-sensitive: "EXISTS" is rejected [LS-AWS operator_case_sensitive_EXC].
      throw new InvalidEventPatternError(`Unrecognized match type ${name}`);
  }
  if (keys.length > 1) throw new InvalidEventPatternError(extraKeyReason);
}

/** `prefix`/`suffix` take a string, or `{"equals-ignore-case": string}` [DOC filt, ER README]. */
function compileAffix(operand: unknown, kind: "prefix" | "suffix"): StringPredicate {
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    const name = keys[0];
    const label = kind === "prefix" ? "Prefix" : "Suffix";
    if (name === undefined) throw new InvalidEventPatternError(`${label} expression name not found`);
    if (name !== "equals-ignore-case") throw new InvalidEventPatternError(`Unsupported ${kind} pattern: ${name}`);
    const lower = requireString(operand[name], "equals-ignore-case match pattern must be a string").toLowerCase();
    if (keys.length > 1) throw new InvalidEventPatternError("Only one key allowed in match expression");
    return kind === "prefix"
      ? (value) => value.toLowerCase().startsWith(lower)
      : (value) => value.toLowerCase().endsWith(lower);
  }
  const text = requireString(operand, `${kind} match pattern must be a string`);
  return kind === "prefix" ? (value) => value.startsWith(text) : (value) => value.endsWith(text);
}

function requireString(operand: unknown, reason: string): string {
  if (typeof operand !== "string") throw new InvalidEventPatternError(reason);
  return operand;
}

function buildValuePredicate(parts: LeafParts): ValuePredicate {
  if (parts.matchesAnyValue) return () => true;
  const { exactStrings, ipLiterals, exactNumbers, stringPredicates, numberPredicates, otherPredicates } = parts;
  const onlyExactStrings =
    ipLiterals.length === 0 &&
    exactNumbers.size === 0 &&
    !parts.matchesTrue &&
    !parts.matchesFalse &&
    !parts.matchesNull &&
    stringPredicates.length + numberPredicates.length + otherPredicates.length === 0;
  if (onlyExactStrings) {
    const [first, second] = [...exactStrings];
    if (exactStrings.size === 1) return (value) => value === first;
    if (exactStrings.size === 2) return (value) => value === first || value === second;
    return (value) => typeof value === "string" && exactStrings.has(value);
  }
  const { matchesTrue, matchesFalse, matchesNull } = parts;
  return (value) => {
    switch (typeof value) {
      case "string":
        if (exactStrings.has(value)) return true;
        for (const predicate of stringPredicates) if (predicate(value)) return true;
        if (ipLiterals.length > 0 && matchesIpLiteral(ipLiterals, value)) return true;
        break;
      case "number":
        if (exactNumbers.has(value)) return true;
        for (const predicate of numberPredicates) if (predicate(value)) return true;
        break;
      case "boolean":
        if (value ? matchesTrue : matchesFalse) return true;
        break;
      default:
        if (value === null && matchesNull) return true;
    }
    for (const predicate of otherPredicates) if (predicate(value)) return true;
    return false;
  };
}

function matchesIpLiteral(literals: readonly IpAddress[], value: string): boolean {
  const ip = parseIpAddress(value);
  return ip !== undefined && literals.some((literal) => isSameIpAddress(literal, ip));
}
