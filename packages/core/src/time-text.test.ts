import { describe, expect, it } from "vitest";
import { readTimeText } from "./time-text";

describe("readTimeText", () => {
  it.each([
    ["2026-11-29T10:00:00Z", "2026-11-29T10:00:00.000Z"],
    ["2026-11-29T17:00:00+07:00", "2026-11-29T10:00:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(readTimeText(text)?.toISOString()).toBe(iso);
  });

  it.each([["not a time"], [""], [1764410400000], [undefined]])("gives undefined for %j", (value) => {
    expect(readTimeText(value)).toBeUndefined();
  });
});
