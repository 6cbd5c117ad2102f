/**
 * The reason AWS gives for a pattern that is not JSON. EventBridge compiles patterns with event-ruler, which reads
 * them with Jackson's streaming parser, so the reason is Jackson's message followed by Jackson's location line
 * (`\n at [Source: (String)"<pattern>"; line: L, column: C]`). [semantics §5; LS-AWS test_invalid_json_event_pattern]
 *
 * Only the first error counts, as in Jackson. Columns follow the recordings: an unexpected character is placed at its
 * own column, an unrecognized token and end-of-input just after the last character read.
 */

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
/** Jackson quotes at most this many characters of the source in a location. */
const MAX_SOURCE_CHARS = 500;

/** Jackson's location line for an offset of `source` (0-based offset; line and column 1-based). */
export function jacksonLocation(source: string, offset: number): string {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  const quoted =
    source.length > MAX_SOURCE_CHARS
      ? `"${source.slice(0, MAX_SOURCE_CHARS)}"[truncated ${source.length - MAX_SOURCE_CHARS} chars]`
      : `"${source}"`;
  return `[Source: (String)${quoted}; line: ${line}, column: ${column}]`;
}

/** `reason` with Jackson's location line for `offset` appended, as event-ruler's errors carry it. */
export function withJacksonLocation(reason: string, source: string, offset: number): string {
  return `${reason}\n at ${jacksonLocation(source, offset)}`;
}

/** The offset just after the first JSON token of `source` (after leading whitespace); where "Filter is not an object" is reported. */
export function endOfFirstToken(source: string): number {
  const scanner = new JacksonScanner(source);
  scanner.skipWhitespace();
  const start = scanner.offset;
  try {
    scanner.value();
  } catch {
    return start + 1;
  }
  return source[start] === "[" || source[start] === "{" ? start + 1 : scanner.offset;
}

/**
 * Jackson's reason for JSON text that `JSON.parse` rejected, location included; `undefined` when the scanner finds no
 * error (the caller then keeps its own wording).
 */
export function jacksonSyntaxError(source: string): string | undefined {
  const scanner = new JacksonScanner(source);
  try {
    scanner.skipWhitespace();
    scanner.value();
    scanner.skipWhitespace();
    return undefined;
  } catch (error) {
    if (!(error instanceof JacksonError)) throw error;
    return withJacksonLocation(error.reason, source, error.offset);
  }
}

class JacksonError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

/** A JSON reader that stops at the first error with Jackson's wording. */
class JacksonScanner {
  offset = 0;

  constructor(private readonly text: string) {}

  skipWhitespace(): void {
    while (this.offset < this.text.length && " \t\n\r".includes(this.text[this.offset] ?? "")) this.offset += 1;
  }

  value(container?: { readonly kind: "Object" | "Array"; readonly start: number }): void {
    this.skipWhitespace();
    const char = this.text[this.offset];
    if (char === undefined) {
      if (container) throw this.endInside(container);
      return;
    }
    if (char === "{") this.object();
    else if (char === "[") this.array();
    else if (char === '"') this.string();
    else if (char === "-" || (char >= "0" && char <= "9")) this.number();
    else if (/[A-Za-z_$]/.test(char)) this.word();
    else throw this.unexpected(char, `expected a valid value ${VALUE_LIST}`);
  }

  private object(): void {
    const container = { kind: "Object", start: this.offset } as const;
    this.offset += 1;
    this.skipWhitespace();
    if (this.text[this.offset] === "}") {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const char = this.text[this.offset];
      if (char === undefined) throw this.endInside(container);
      if (char !== '"') throw this.unexpected(char, "was expecting double-quote to start field name");
      this.string();
      this.skipWhitespace();
      const colon = this.text[this.offset];
      if (colon === undefined) throw this.endInside(container);
      if (colon !== ":") throw this.unexpected(colon, "was expecting a colon to separate field name and value");
      this.offset += 1;
      this.skipWhitespace();
      if (this.text[this.offset] === undefined) {
        throw new JacksonError("Unexpected end-of-input within/between Object entries", this.offset);
      }
      this.value(container);
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === undefined) throw this.endInside(container);
      this.offset += 1;
      if (next === "}") return;
      if (next !== ",") {
        this.offset -= 1;
        throw this.unexpected(next, `was expecting comma to separate Object entries`);
      }
    }
  }

  private array(): void {
    const container = { kind: "Array", start: this.offset } as const;
    this.offset += 1;
    this.skipWhitespace();
    if (this.text[this.offset] === "]") {
      this.offset += 1;
      return;
    }
    for (;;) {
      this.value(container);
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === undefined) throw this.endInside(container);
      this.offset += 1;
      if (next === "]") return;
      if (next !== ",") {
        this.offset -= 1;
        throw this.unexpected(next, `was expecting comma to separate Array entries`);
      }
    }
  }

  private string(): void {
    this.offset += 1;
    while (this.offset < this.text.length) {
      const char = this.text[this.offset];
      if (char === '"') {
        this.offset += 1;
        return;
      }
      this.offset += char === "\\" ? 2 : 1;
    }
    throw new JacksonError("Unexpected end-of-input: was expecting closing quote for a string value", this.offset);
  }

  private number(): void {
    const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.offset));
    this.offset += match?.[0].length ?? 1;
  }

  private word(): void {
    const match = /^[A-Za-z0-9_$]+/.exec(this.text.slice(this.offset));
    const word = match?.[0] ?? "";
    if (word === "true" || word === "false" || word === "null") {
      this.offset += word.length;
      return;
    }
    this.offset += word.length;
    throw new JacksonError(`Unrecognized token '${word}': was expecting ${VALUE_LIST}`, this.offset);
  }

  private unexpected(char: string, expectation: string): JacksonError {
    const code = char.codePointAt(0) ?? 0;
    return new JacksonError(`Unexpected character ('${char}' (code ${code})): ${expectation}`, this.offset);
  }

  private endInside(container: { readonly kind: "Object" | "Array"; readonly start: number }): JacksonError {
    return new JacksonError(
      `Unexpected end-of-input: expected close marker for ${container.kind} (start marker at ${jacksonLocation(this.text, container.start)})`,
      this.offset,
    );
  }
}
