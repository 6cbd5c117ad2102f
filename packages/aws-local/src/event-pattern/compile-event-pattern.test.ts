import { afterEach, describe, expect, it, vi } from "vitest";
import { compileEventPattern, InvalidEventPatternError, MAX_EVENT_PATTERN_LENGTH, testEventPattern } from "./index";

const walletRule = {
  source: ["payment3.wallet-callback", "payment3.bank-app-callback"],
  "detail-type": ["WalletPaymentConfirmed"],
};

function envelope(detail: object, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "0",
    id: "0d3c1e34-3a1c-4f4e-9d2b-8b7f1f3e1a00",
    "detail-type": "WalletPaymentConfirmed",
    source: "payment3.wallet-callback",
    account: "123456789012",
    time: "2026-01-29T10:00:00Z",
    region: "ap-southeast-1",
    resources: [],
    detail,
    ...fields,
  };
}

function rejectionOf(pattern: string | object): InvalidEventPatternError {
  try {
    compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error;
    throw error;
  }
  throw new Error("expected the pattern to be rejected");
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("compileEventPattern", () => {
  it("keeps the source text it was given", () => {
    // Prepare
    const text = '{ "source": ["payment3.wallet-callback"] }';

    // Act
    const compiled = compileEventPattern(text);

    // Assert
    expect(compiled.source).toBe(text);
  });

  it("accepts a parsed object and exposes it as JSON text", () => {
    // Act
    const compiled = compileEventPattern(walletRule);

    // Assert
    expect(JSON.parse(compiled.source)).toEqual(walletRule);
    expect(compiled.matches(envelope({}))).toBe(true);
  });

  it("does not parse anything while matching", () => {
    // Prepare
    const compiled = compileEventPattern(JSON.stringify(walletRule));
    const parse = vi.spyOn(JSON, "parse");

    // Act
    const result = compiled.matches(envelope({ orderId: "o-1" }));

    // Assert
    expect(result).toBe(true);
    expect(parse).not.toHaveBeenCalled();
  });

  it("gives the same answer when the same compiled pattern is reused", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { $or: [{ a: [1] }, { b: [2] }] }, source: ["s"] });
    const matching = envelope({ b: 2 }, { source: "s" });
    const other = envelope({ b: 3 }, { source: "s" });

    // Act
    const answers = [compiled.matches(matching), compiled.matches(other), compiled.matches(matching)];

    // Assert
    expect(answers).toEqual([true, false, true]);
  });

  it("lets the last of duplicate JSON keys win", () => {
    // Prepare
    const text = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    const compiled = compileEventPattern(text);

    // Act
    const answers = [
      compiled.matches(envelope({ location: "us-east" })),
      compiled.matches(envelope({ location: "eu-west" })),
    ];

    // Assert
    expect(answers).toEqual([false, true]);
  });

  it("accepts a pattern of exactly the maximum length", () => {
    // Prepare
    const skeleton = JSON.stringify({ source: [""] });
    const text = JSON.stringify({ source: ["x".repeat(MAX_EVENT_PATTERN_LENGTH - skeleton.length)] });

    // Act
    const compiled = compileEventPattern(text);

    // Assert
    expect(compiled.source.length).toBe(MAX_EVENT_PATTERN_LENGTH);
  });

  it("rejects a pattern longer than 4096 characters", () => {
    // Prepare
    const text = JSON.stringify({ source: ["x".repeat(MAX_EVENT_PATTERN_LENGTH)] });

    // Act
    const error = rejectionOf(text);

    // Assert
    expect(MAX_EVENT_PATTERN_LENGTH).toBe(4096);
    expect(error.reason).toContain("4096");
  });

  it("reports rejections the way AWS names them", () => {
    // Act
    const error = rejectionOf({ my_key: [{ EXISTS: true }] });

    // Assert
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("InvalidEventPatternError");
    expect(error.code).toBe("InvalidEventPatternException");
    expect(error.reason).toBe("Unrecognized match type EXISTS");
    expect(error.message).toBe("Event pattern is not valid. Reason: Unrecognized match type EXISTS");
  });

  it("rejects text that is not JSON and keeps the parse error as the cause", () => {
    // Act
    const error = rejectionOf("{'bad': 'quotation'}");

    // Assert
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ["null", 5],
    ["[]", 2],
    ["true", 5],
    ["", 1],
  ])("rejects %j as not an object, located just after its first token", (text, column) => {
    // Act
    const error = rejectionOf(text);

    // Assert
    expect(error.reason).toBe(`Filter is not an object\n at [Source: (String)"${text}"; line: 1, column: ${column}]`);
  });

  it("accepts event-ruler's undocumented exactly operator", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { id: [{ exactly: "10.0.0.1" }] } });

    // Act
    const answers = [compiled.matches(envelope({ id: "10.0.0.1" })), compiled.matches(envelope({ id: "010.0.0.1" }))];

    // Assert
    expect(answers).toEqual([true, false]);
  });

  it("treats a plain IP literal as an address, as event-ruler does", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { ip: ["2001:db8::1"] } });

    // Act
    const result = compiled.matches(envelope({ ip: "2001:0DB8:0:0:0:0:0:1" }));

    // Assert
    expect(result).toBe(true);
  });

  it("rejects wildcards whose combined complexity on one field is too high", () => {
    // Prepare
    const pattern = { detail: { key: ["*.bif", "*.tiff", "*.tif", "*.svs"].map((wildcard) => ({ wildcard })) } };

    // Act
    const error = rejectionOf(pattern);

    // Assert
    expect(error.reason).toMatch(/^Rule is too complex/);
  });

  it("counts the wildcards of one field across $or branches", () => {
    // Prepare
    const pattern = {
      $or: [
        { key: [{ wildcard: "*.bif" }, { wildcard: "*.tiff" }], a: ["1"] },
        { key: [{ wildcard: "*.tif" }, { wildcard: "*.svs" }], b: ["2"] },
      ],
    };

    // Act
    const error = rejectionOf(pattern);

    // Assert
    expect(error.reason).toMatch(/^Rule is too complex/);
  });

  it("accepts $or combinations up to 1000", () => {
    // Prepare
    const ten = Array.from({ length: 10 }, (_, i) => ({ v: [i] }));
    const pattern = { a: { $or: ten }, b: { $or: ten }, c: { $or: ten } };

    // Act
    const compiled = compileEventPattern(pattern);

    // Assert
    expect(compiled.matches(envelope({}, { a: { v: 9 }, b: { v: 0 }, c: { v: 5 } }))).toBe(true);
  });

  it("reports the first error in document order", () => {
    // Act
    const error = rejectionOf('{"a": [], "b": [{"EXISTS": true}]}');

    // Assert
    expect(error.reason).toBe("Empty arrays are not allowed");
  });
});

describe("matching", () => {
  it("does not find keys inherited from Object.prototype", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { constructor: [{ exists: true }] } });

    // Act
    const answers = [compiled.matches(envelope({})), compiled.matches(envelope({ constructor: "x" }))];

    // Assert
    expect(answers).toEqual([false, true]);
  });

  it("finds a value split over dotted and nested keys at several depths", () => {
    // Prepare
    const compiled = compileEventPattern({ "detail.a.b.c": ["x"] });

    // Act
    const result = compiled.matches(envelope({ "a.b": { c: "x" } }));

    // Assert
    expect(result).toBe(true);
  });

  it("answers exists:false on an event that is not an object", () => {
    // Prepare
    const compiled = compileEventPattern({ source: [{ exists: false }] });

    // Act
    const answers = [compiled.matches(null), compiled.matches("text")];

    // Assert
    expect(answers).toEqual([true, true]);
  });

  it("keeps fields matched in one array element together through nested arrays", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { rows: { cells: { k: ["a"], v: [1] } } } });
    const split = envelope({ rows: [{ cells: [{ k: "a", v: 2 }] }, { cells: [{ k: "b", v: 1 }] }] });
    const together = envelope({
      rows: [
        {
          cells: [
            { k: "b", v: 1 },
            { k: "a", v: 1 },
          ],
        },
      ],
    });

    // Act
    const answers = [compiled.matches(split), compiled.matches(together)];

    // Assert
    expect(answers).toEqual([false, true]);
  });

  it("lets a field outside the array combine with any element", () => {
    // Prepare
    const compiled = compileEventPattern({ detail: { kind: ["order"], items: { sku: ["B"] } } });

    // Act
    const result = compiled.matches(envelope({ kind: "order", items: [{ sku: "A" }, { sku: "B" }] }));

    // Assert
    expect(result).toBe(true);
  });

  it("tries another branch when the first branch fails", () => {
    // Prepare
    const compiled = compileEventPattern({ $or: [{ source: ["nope"] }, { detail: { ok: [true] } }] });

    // Act
    const result = compiled.matches(envelope({ ok: true }));

    // Assert
    expect(result).toBe(true);
  });
});

describe("testEventPattern", () => {
  it("compiles and matches in one call", () => {
    // Act
    const answers = [
      testEventPattern(walletRule, envelope({})),
      testEventPattern(walletRule, envelope({}, { source: "payment3.processor" })),
    ];

    // Assert
    expect(answers).toEqual([true, false]);
  });

  it("throws InvalidEventPatternError for a bad pattern", () => {
    // Act
    const act = () => testEventPattern({ detail: {} }, envelope({}));

    // Assert
    expect(act).toThrow(InvalidEventPatternError);
  });
});
