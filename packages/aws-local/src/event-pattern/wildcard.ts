import { InvalidEventPatternError } from "./invalid-event-pattern-error";

/**
 * A validated `wildcard` operand: the literal pieces between the `*`s, with `\*` and `\\` already
 * unescaped. `pieces.length` is the number of `*`s plus one.
 */
export interface WildcardPattern {
  readonly source: string;
  readonly pieces: readonly string[];
}

/**
 * The most wildcard prefixes one field may keep alive at once. event-ruler's
 * MachineComplexityEvaluator rejects rules above a limit that AWS does not publish; 10 is the
 * value that separates what AWS accepted from what it rejected in the evidence we have
 * ([LS-AWS content_wildcard_complex_EXC] `*:*:*:*:*:event-bus/*` rejected; four patterns
 * `*.bif`/`*.tiff`/`*.tif`/`*.svs` on one field rejected while `*\/datasync/*.bif` +
 * `*\/datasync/*.tif` were accepted, as reported by users).
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

const TOO_COMPLEX =
  "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character";

/**
 * Validates a `wildcard` operand the way event-ruler's WildcardParser does: `\*` is a literal `*`,
 * `\\` a literal `\`, any other escape (including a trailing `\`) and `**` are rejected. Positions in
 * the reasons are UTF-8 byte offsets in the operand wrapped in quotes, as event-ruler reports them
 * ([LS-AWS] "Consecutive wildcard characters at pos 26").
 */
export function parseWildcard(source: string): WildcardPattern {
  const pieces: string[] = [];
  let piece = "";
  let bytePosition = 1; // the opening quote event-ruler adds
  for (let i = 0; i < source.length; i++) {
    const char = source.charAt(i);
    if (char === "*") {
      if (source.charAt(i + 1) === "*") {
        throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${bytePosition}`);
      }
      pieces.push(piece);
      piece = "";
    } else if (char === "\\") {
      const next = source.charAt(i + 1);
      if (next !== "*" && next !== "\\") {
        throw new InvalidEventPatternError(`Invalid escape character at pos ${bytePosition}`);
      }
      piece += next;
      i++;
      bytePosition++;
    } else {
      piece += char;
    }
    bytePosition += utf8Length(source, i);
  }
  pieces.push(piece);
  return { source, pieces };
}

/** True when the whole string matches; `*` matches any run of characters, including `/` and none. */
export function matchesWildcard(pattern: WildcardPattern, value: string): boolean {
  const pieces = pattern.pieces;
  const first = pieces[0] ?? "";
  if (pieces.length === 1) return value === first;
  const last = pieces[pieces.length - 1] ?? "";
  const end = value.length - last.length;
  if (end < first.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  let position = first.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const middle = pieces[i] ?? "";
    const found = value.indexOf(middle, position);
    if (found === -1 || found + middle.length > end) return false;
    position = found + middle.length;
  }
  return true;
}

/** Throws event-ruler's "Rule is too complex" reason when the wildcards of one field exceed the limit. */
export function assertWildcardComplexity(patterns: readonly WildcardPattern[]): void {
  if (wildcardComplexity(patterns) > MAX_WILDCARD_COMPLEXITY) throw new InvalidEventPatternError(TOO_COMPLEX);
}

const ANY_BYTE = -1;

/**
 * The largest number of pattern states that can be alive at once while reading one value, over all
 * inputs: an approximation of event-ruler's MachineComplexityEvaluator, which counts the wildcard
 * patterns reachable from every state a traversal can be in simultaneously. Each pattern is read as
 * UTF-8 bytes between quotes, as event-ruler stores it. Stops as soon as the limit is exceeded.
 */
export function wildcardComplexity(patterns: readonly WildcardPattern[]): number {
  const tokenLists = patterns.map(toByteTokens);
  const alphabet = new Set<number>();
  for (const tokens of tokenLists) for (const token of tokens) if (token !== ANY_BYTE) alphabet.add(token);
  const symbols = [...alphabet, 256];
  const offsets: number[] = [];
  let stateCount = 0;
  for (const tokens of tokenLists) {
    offsets.push(stateCount);
    stateCount += tokens.length + 1;
  }
  const patternOf = (state: number): number => {
    let p = offsets.length - 1;
    while ((offsets[p] ?? 0) > state) p--;
    return p;
  };
  const tokenAt = (state: number): number | undefined => {
    const p = patternOf(state);
    return tokenLists[p]?.[state - (offsets[p] ?? 0)];
  };
  const close = (states: Set<number>): number[] => {
    const pending = [...states];
    while (pending.length > 0) {
      const state = pending.pop() as number;
      if (tokenAt(state) === ANY_BYTE && !states.has(state + 1)) {
        states.add(state + 1);
        pending.push(state + 1);
      }
    }
    return [...states].sort((a, b) => a - b);
  };

  const seen = new Set<string>();
  const queue: number[][] = [close(new Set(offsets))];
  let maximum = 0;
  let first = true;
  while (queue.length > 0) {
    const active = queue.pop() as number[];
    const key = active.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    if (!first) maximum = Math.max(maximum, active.length);
    first = false;
    if (maximum > MAX_WILDCARD_COMPLEXITY || seen.size > 5000) return Math.max(maximum, MAX_WILDCARD_COMPLEXITY + 1);
    for (const symbol of symbols) {
      const next = new Set<number>();
      for (const state of active) {
        const token = tokenAt(state);
        if (token === ANY_BYTE) next.add(state);
        else if (token === symbol) next.add(state + 1);
      }
      if (next.size > 0) queue.push(close(next));
    }
  }
  return maximum;
}

function toByteTokens(pattern: WildcardPattern): number[] {
  const tokens = [0x22];
  pattern.pieces.forEach((piece, index) => {
    if (index > 0) tokens.push(ANY_BYTE);
    for (const byte of Buffer.from(piece, "utf8")) tokens.push(byte);
  });
  tokens.push(0x22);
  return tokens;
}

function utf8Length(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdbff) return 2; // half of a 4-byte sequence; the low surrogate adds the rest
  if (code >= 0xdc00 && code <= 0xdfff) return 2;
  return 3;
}
