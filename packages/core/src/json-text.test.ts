import { describe, expect, it } from "vitest";
import { isJsonObject, readJsonText } from "./json-text";

describe("readJsonText", () => {
  it.each([
    ["JSON text is decoded", '{"orderId":"1"}', { orderId: "1" }],
    ["a decoded object is returned as it is", { orderId: "1" }, { orderId: "1" }],
    ["JSON text of a non-object is decoded too", "[1,2]", [1, 2]],
    ["a value that is not text is returned as it is", 42, 42],
    ["undefined stays undefined", undefined, undefined],
  ])("%s", (_name, input, expected) => {
    const reading = readJsonText(input);

    expect(reading).toEqual({ ok: true, value: expected });
  });

  it("reports text that is not JSON with the parser's reason instead of throwing", () => {
    const reading = readJsonText("<html>oops</html>");

    expect(reading).toEqual({ ok: false, error: expect.any(SyntaxError) });
  });
});

describe("isJsonObject", () => {
  it.each([
    [{ a: 1 }, true],
    [[], false],
    [null, false],
    ["{}", false],
  ])("%j is a JSON object: %s", (value, expected) => {
    expect(isJsonObject(value)).toBe(expected);
  });
});
