import { expandPatternBranches, type PatternBranch } from "./expand-pattern-branches";
import { InvalidEventPatternError } from "./invalid-event-pattern-error";
import { isJsonObject } from "./json-value";
import { endOfFirstToken, jacksonSyntaxError, withJacksonLocation } from "./jackson-syntax-error";
import { createEventMatcher } from "./match-event";
import { assertWildcardComplexity, type WildcardPattern } from "./wildcard";

/** The longest `EventPattern` PutRule, CreateArchive and TestEventPattern accept [BOTO]. */
export const MAX_EVENT_PATTERN_LENGTH = 4096;

/** An event pattern validated and compiled once, ready to test many events. */
export interface CompiledEventPattern {
  /** The pattern as given (string). */
  readonly source: string;
  /**
   * True when the event (a parsed JSON value, the full EventBridge envelope object) matches.
   * Does not re-parse or re-validate the pattern.
   */
  matches(event: unknown): boolean;
}

/**
 * Validates an EventBridge event pattern and compiles it into a matcher whose answers follow
 * EventBridge (event-ruler) semantics. Accepts the JSON text or an already parsed object.
 *
 * @throws InvalidEventPatternError with an AWS-like `reason` when the pattern is longer than
 *   {@link MAX_EVENT_PATTERN_LENGTH} characters, is not JSON, is not an object (`Filter is not an
 *   object`), or breaks an operator's rules. AWS answers the length case with a ValidationException;
 *   callers that need that mapping check the length first.
 */
export function compileEventPattern(pattern: string | object): CompiledEventPattern {
  const source = typeof pattern === "string" ? pattern : stringifyPattern(pattern);
  if (source.length > MAX_EVENT_PATTERN_LENGTH) {
    throw new InvalidEventPatternError(
      `EventPattern must have length less than or equal to ${MAX_EVENT_PATTERN_LENGTH}, got ${source.length}`,
    );
  }
  const parsed = parseJson(source);
  if (!isJsonObject(parsed)) {
    // event-ruler reads the first token and stops there: "[...]" is reported just after "[". [LS-AWS test_invalid_json_event_pattern]
    throw new InvalidEventPatternError(withJacksonLocation("Filter is not an object", source, endOfFirstToken(source)));
  }
  // An empty pattern {} is rejected like any empty object: event-ruler's "Empty objects are not
  // allowed"; whether AWS accepts {} is unverified [semantics §9].
  const branches = expandPatternBranches(parsed);
  assertFieldComplexity(branches);
  const matches = createEventMatcher(branches);
  return { source, matches };
}

/** Compiles the pattern and tests one event with it; throws InvalidEventPatternError like compileEventPattern. */
export function testEventPattern(pattern: string | object, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event);
}

function stringifyPattern(pattern: object): string {
  try {
    return JSON.stringify(pattern) ?? "null";
  } catch (error) {
    throw new InvalidEventPatternError(`Event pattern is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** The parsed pattern; text that is not JSON fails with Jackson's reason, as AWS answers. Empty text parses as nothing. */
function parseJson(source: string): unknown {
  if (source.trim() === "") return undefined;
  try {
    return JSON.parse(source) as unknown;
  } catch (error) {
    const reason = jacksonSyntaxError(source) ?? `Event pattern is not valid JSON: ${(error as Error).message}`;
    throw new InvalidEventPatternError(reason, { cause: error });
  }
}

/** The wildcard complexity limit applies to all wildcards one field carries, across branches. */
function assertFieldComplexity(branches: readonly PatternBranch[]): void {
  const wildcardsByPath = new Map<string, Set<WildcardPattern>>();
  for (const branch of branches) {
    for (const field of branch) {
      if (field.leaf.wildcards.length === 0) continue;
      let wildcards = wildcardsByPath.get(field.path);
      if (wildcards === undefined) {
        wildcards = new Set();
        wildcardsByPath.set(field.path, wildcards);
      }
      for (const wildcard of field.leaf.wildcards) wildcards.add(wildcard);
    }
  }
  for (const wildcards of wildcardsByPath.values()) assertWildcardComplexity([...wildcards]);
}
