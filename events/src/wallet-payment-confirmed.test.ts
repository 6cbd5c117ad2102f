import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ContractValidationError } from "./contract-validation-error";
import { parseEvent } from "./event-contract";
import { EXAMPLES_DIR } from "./json-schemas";
import { salvageOrderId, WalletPaymentConfirmedContract as Contract } from "./wallet-payment-confirmed";

const documentedExample = '{"orderId":"492500005643","success":true,"paymentId":"pay_wallet_abc123","amount":300.0}';

function problemOf(raw: unknown): ContractValidationError {
  try {
    Contract.parseDetail(raw);
  } catch (error) {
    if (error instanceof ContractValidationError) return error;
    throw error;
  }
  throw new Error("expected the detail to be rejected");
}

describe("WalletPaymentConfirmed contract", () => {
  it("parses the example the old function documents, as a JSON string and as an object", () => {
    const fromString = Contract.parseDetail(documentedExample);
    const fromObject = Contract.parseDetail(JSON.parse(documentedExample));

    expect(fromString).toEqual({
      schemaVersion: 1,
      orderId: "492500005643",
      paymentId: "pay_wallet_abc123",
      success: true,
      amount: 300,
      amountReported: true,
      channel: "wallet",
    });
    expect(fromObject).toEqual(fromString);
  });

  it("accepts the legacy aliases order_id and payment_id and a numeric order id", () => {
    const detail = Contract.parseDetail({ order_id: 492500005643, payment_id: "p-1", success: false });

    expect(detail.orderId).toBe("492500005643");
    expect(detail.paymentId).toBe("p-1");
    expect(detail.amount).toBe(0);
  });

  it("reads an absent or null amount as the legacy default 0, flagged amountReported false", () => {
    expect(Contract.parseDetail({ orderId: "1", paymentId: "p", success: true })).toMatchObject({
      amount: 0,
      amountReported: false,
    });
    expect(Contract.parseDetail({ orderId: "1", paymentId: "p", success: true, amount: null })).toMatchObject({
      amount: 0,
      amountReported: false,
    });
    expect(Contract.parseDetail({ orderId: "1", paymentId: "p", success: true, amount: 0 })).toMatchObject({
      amount: 0,
      amountReported: true,
    });
  });

  it("keeps amountReported false through a second parse (the publisher's normalized detail, read again by the processor)", () => {
    const published = Contract.parseDetail({ orderId: "1", paymentId: "p", success: true });

    expect(Contract.parseDetail(JSON.parse(JSON.stringify(published)))).toEqual(published);
  });

  it.each([
    ["300.00", 300],
    ["300", 300],
    ["0.5", 0.5],
    [" 12.25 ", 12.25],
  ])("accepts the decimal string amount %j as %d", (amount, expected) => {
    expect(Contract.parseDetail({ orderId: "1", paymentId: "p", success: true, amount })).toMatchObject({
      amount: expected,
      amountReported: true,
    });
  });

  it.each(["492500005643", "ORD-77", "a:b/c d", "ใบสั่งซื้อ-1", "x".repeat(128)])(
    "accepts the order id %j as the order table may hold it",
    (orderId) => {
      expect(Contract.parseDetail({ orderId, paymentId: "p", success: true }).orderId).toBe(orderId);
    },
  );

  it("takes the channel from the envelope source when the detail has none", () => {
    const detail = Contract.parseDetail(documentedExample, { source: "payment3.bank-app-callback" });

    expect(detail.channel).toBe("bank-app");
  });

  it("parses the legacy envelope example with the full contract", () => {
    const raw = JSON.parse(readFileSync(join(EXAMPLES_DIR, "WalletPaymentConfirmed.legacy-callback.json"), "utf8"));

    const event = parseEvent(Contract, raw);

    expect(event.detail.orderId).toBe("492500005643");
    expect(event.id).toBe("5b6e2e0c-8f4a-4d6b-9a51-0c1d2e3f4a02");
  });

  it.each([
    ["missing orderId", { paymentId: "p", success: true, amount: 1 }, "orderId", "is required"],
    [
      "amount that is not a number",
      { orderId: "1", paymentId: "p", success: true, amount: "abc" },
      "amount",
      'must be a number >= 0, got "abc"',
    ],
    [
      "success that is not a boolean",
      { orderId: "1", paymentId: "p", success: "yes", amount: 1 },
      "success",
      'must be true or false, got "yes"',
    ],
    [
      "a negative amount",
      { orderId: "1", paymentId: "p", success: true, amount: -5 },
      "amount",
      "must be a number >= 0, got -5",
    ],
    [
      "an amount string that is not a decimal",
      { orderId: "1", paymentId: "p", success: true, amount: "1e3" },
      "amount",
      'must be a number >= 0, got "1e3"',
    ],
    [
      "a negative amount string",
      { orderId: "1", paymentId: "p", success: true, amount: "-5" },
      "amount",
      'must be a number >= 0, got "-5"',
    ],
    [
      "an empty amount string",
      { orderId: "1", paymentId: "p", success: true, amount: "" },
      "amount",
      'must be a number >= 0, got ""',
    ],
    [
      "amountReported false with an amount",
      { orderId: "1", paymentId: "p", success: true, amount: 300, amountReported: false },
      "amountReported",
      "is false but amount is not 0",
    ],
    [
      "an empty order id",
      { orderId: "", paymentId: "p", success: true },
      "orderId",
      'must be a non-empty string, got ""',
    ],
    [
      "an order id with a control character",
      { orderId: "49\n5", paymentId: "p", success: true },
      "orderId",
      'must not contain control characters, got "49\\n5"',
    ],
    [
      "an order id over 128 characters",
      { orderId: "9".repeat(129), paymentId: "p", success: true },
      "orderId",
      "must be at most 128 characters, got 129",
    ],
    [
      "an order id that is an object",
      { orderId: { id: 1 }, paymentId: "p", success: true },
      "orderId",
      'must be a non-empty string, got {"id":1}',
    ],
    [
      "an order id that is a fraction",
      { orderId: 1.5, paymentId: "p", success: true },
      "orderId",
      "must be a non-empty string, got 1.5",
    ],
    ["an empty paymentId", { orderId: "1", paymentId: "", success: true }, "paymentId", "must be a non-empty string"],
    [
      "an unknown channel",
      { orderId: "1", paymentId: "p", success: true, channel: "cash" },
      "channel",
      "must be one of wallet, bank-app",
    ],
    [
      "a confirmedAt that is not a time",
      { orderId: "1", paymentId: "p", success: true, confirmedAt: "yesterday" },
      "confirmedAt",
      "must be an ISO-8601 date-time",
    ],
  ])("rejects %s, naming the field", (_case, detail, field, message) => {
    const error = problemOf(detail);

    expect(error.problems.map((p) => p.field)).toContain(field);
    expect(error.message).toContain(`${field} ${message}`);
  });

  it("rejects an empty object, naming every required field", () => {
    const error = problemOf({});

    expect(error.problems.map((p) => p.field).sort()).toEqual(["orderId", "paymentId", "success"]);
  });

  it.each([
    ["detail that is not JSON", "{not json", "must be a JSON object, got unparsable JSON"],
    ["detail that is a JSON array", "[1,2]", "must be a JSON object, got an array"],
    ["detail that is null", null, "must be a JSON object, got null"],
  ])("rejects %s", (_case, raw, message) => {
    const error = problemOf(raw);

    expect(error.code).toBe("INVALID_EVENT");
    expect(error.message).toContain(message);
  });

  it("names envelope-level problems with the detail path", () => {
    const raw = JSON.parse(readFileSync(join(EXAMPLES_DIR, "WalletPaymentConfirmed.v1.json"), "utf8"));
    raw.detail.amount = "abc";
    raw.source = "someone.else";

    expect(() => parseEvent(Contract, raw)).toThrow(
      /source must be one of payment3.wallet-callback, payment3.bank-app-callback, got "someone.else"/,
    );
    raw.source = "payment3.wallet-callback";
    expect(() => parseEvent(Contract, raw)).toThrow(/detail.amount must be a number >= 0, got "abc"/);
  });

  it("salvages the order id of an invalid confirmation when there is one", () => {
    expect(salvageOrderId({ order_id: 42, amount: "abc" })).toBe("42");
    expect(salvageOrderId('{"orderId":"123","success":"yes"}')).toBe("123");
    expect(salvageOrderId({ orderId: "ORD-77", amount: "abc" })).toBe("ORD-77");
    expect(salvageOrderId({ orderId: "" })).toBeUndefined();
    expect(salvageOrderId({ orderId: "a\u0000b" })).toBeUndefined();
    expect(salvageOrderId("{nope")).toBeUndefined();
  });
});

describe("WalletPaymentConfirmed size", () => {
  it("refuses a paymentId over 128 characters, so no outcome can outgrow the PutEvents limit", () => {
    const attempt = () => Contract.parseDetail({ orderId: "1", paymentId: "p".repeat(349_369), success: true });

    expect(attempt).toThrow(ContractValidationError);
    expect(attempt).toThrow("paymentId must be at most 128 characters, got 349369");
  });
});
