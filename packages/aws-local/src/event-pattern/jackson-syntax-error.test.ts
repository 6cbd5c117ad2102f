import { describe, expect, it } from "vitest";
import { endOfFirstToken, jacksonLocation, jacksonSyntaxError } from "./jackson-syntax-error";

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const at = (source: string, line: number, column: number): string =>
  `\n at [Source: (String)"${source}"; line: ${line}, column: ${column}]`;

describe("jacksonSyntaxError", () => {
  // Recorded against AWS: LocalStack tests/aws/services/events/test_events_patterns.snapshot.json,
  // test_invalid_json_event_pattern (2024-11-29).
  it.each([
    ["this is valid json but not a dict", `Unrecognized token 'this': was expecting ${VALUE_LIST}`, 1, 5],
    [
      "{'bad': 'quotation'}",
      "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
      1,
      2,
    ],
    ['{"not": closed mark"', `Unrecognized token 'closed': was expecting ${VALUE_LIST}`, 1, 15],
  ])("gives AWS's recorded reason for %s", (source, reason, line, column) => {
    // Act
    const text = jacksonSyntaxError(source);

    // Assert
    expect(text).toBe(reason + at(source, line, column));
  });

  // Jackson's wording for the other common mistakes (not recorded against AWS; docs/eventbridge-conformance.md).
  it.each([
    ['{"source": ["a"],}', "Unexpected character ('}' (code 125)): was expecting double-quote to start field name", 18],
    ['{"source": ["a",]}', `Unexpected character (']' (code 93)): expected a valid value ${VALUE_LIST}`, 17],
    [
      '{"source" ["a"]}',
      "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value",
      11,
    ],
    ['{"a": [1] "b": [2]}', `Unexpected character ('"' (code 34)): was expecting comma to separate Object entries`, 11],
    ['{"source": "a', "Unexpected end-of-input: was expecting closing quote for a string value", 14],
    ['{"source":', "Unexpected end-of-input within/between Object entries", 11],
  ])("gives Jackson's reason for %s", (source, reason, column) => {
    // Act
    const text = jacksonSyntaxError(source);

    // Assert
    expect(text).toBe(reason + at(source, 1, column));
  });

  it("names the container a truncated pattern leaves open, with where it started", () => {
    // Prepare
    const source = '{"source": ["a"';

    // Act
    const text = jacksonSyntaxError(source);

    // Assert
    expect(text).toBe(
      `Unexpected end-of-input: expected close marker for Array (start marker at [Source: (String)"${source}"; line: 1, column: 12])` +
        at(source, 1, 16),
    );
  });

  it("counts lines and columns from the start of the line of the error", () => {
    // Prepare
    const source = '{"a":\n ["b",\n x]}';

    // Act
    const text = jacksonSyntaxError(source);

    // Assert
    expect(text).toBe(`Unrecognized token 'x': was expecting ${VALUE_LIST}${at(source, 3, 3)}`);
  });

  it("finds nothing wrong in valid JSON", () => {
    // Act
    const text = jacksonSyntaxError('{"a": [1, "b", true, null, {"c": -2.5e3}]}');

    // Assert
    expect(text).toBeUndefined();
  });
});

describe("jacksonLocation", () => {
  it("quotes at most 500 characters of the source and says how many it left out", () => {
    // Prepare
    const source = `{"a": ["${"x".repeat(600)}"]}`;

    // Act
    const location = jacksonLocation(source, 0);

    // Assert
    expect(location).toBe(
      `[Source: (String)"${source.slice(0, 500)}"[truncated ${source.length - 500} chars]; line: 1, column: 1]`,
    );
  });
});

describe("endOfFirstToken", () => {
  it.each([
    ['["not", "a", "dict"]', 1],
    ["  42 ", 4],
    ['"text"', 6],
    ["null", 4],
  ])("ends the first token of %j at offset %i", (source, offset) => {
    // Act
    const end = endOfFirstToken(source);

    // Assert
    expect(end).toBe(offset);
  });
});
