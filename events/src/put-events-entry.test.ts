import { describe, expect, it } from "vitest";
import { ContractValidationError } from "./contract-validation-error";
import { readExampleEnvelope } from "./examples";
import { OrderPaymentFailedContract, type OrderPaymentFailed } from "./order-payment-failed";
import { WalletPaymentConfirmedContract } from "./wallet-payment-confirmed";
import { buildPutEventsEntry, EventTooLargeError, putEventsEntrySize } from "./put-events-entry";

const confirmation = {
  schemaVersion: 1 as const,
  orderId: "492500005643",
  paymentId: "pay_wallet_abc123",
  success: true,
  amount: 300,
  channel: "wallet" as const,
};

describe("buildPutEventsEntry", () => {
  it("stamps source and detail-type and serialises the validated detail", () => {
    const entry = buildPutEventsEntry(WalletPaymentConfirmedContract, confirmation, { eventBusName: "payment3-dev" });

    expect(entry).toEqual({
      Source: "payment3.wallet-callback",
      DetailType: "WalletPaymentConfirmed",
      Detail: JSON.stringify(confirmation),
      EventBusName: "payment3-dev",
    });
  });

  it("refuses a detail that breaks the contract, naming the field", () => {
    const bad = { ...confirmation, amount: -1 };

    expect(() => buildPutEventsEntry(WalletPaymentConfirmedContract, bad, { eventBusName: "b" })).toThrow(
      ContractValidationError,
    );
    expect(() => buildPutEventsEntry(WalletPaymentConfirmedContract, bad, { eventBusName: "b" })).toThrow(
      /amount must be a number >= 0, got -1/,
    );
  });

  it("refuses a source the contract does not allow", () => {
    expect(() =>
      buildPutEventsEntry(WalletPaymentConfirmedContract, confirmation, {
        eventBusName: "b",
        source: "payment3.processor",
      }),
    ).toThrow(/must be published with a source in payment3.wallet-callback, payment3.bank-app-callback/);
  });

  it("refuses an entry over the size limit with its size and the limit", () => {
    const failed = readExampleEnvelope("OrderPaymentFailed.v1.json").detail as OrderPaymentFailed;
    const big = { ...failed, message: "x".repeat(300_000) };

    const build = () =>
      buildPutEventsEntry(OrderPaymentFailedContract, big, { eventBusName: "b", sizeLimitBytes: 256 * 1024 });

    expect(build).toThrow(EventTooLargeError);
    expect(build).toThrow(/over the PutEvents limit of 262144 bytes/);
  });
});

describe("putEventsEntrySize", () => {
  it("counts Time as 14 bytes and every string in UTF-8 bytes, as EventBridge does", () => {
    const size = putEventsEntrySize({
      Source: "ab",
      DetailType: "c",
      Detail: '{"k":"ไทย"}',
      Time: new Date(),
      Resources: ["r1"],
    });

    expect(size).toBe(14 + 2 + 1 + Buffer.byteLength('{"k":"ไทย"}') + 2);
    expect(Buffer.byteLength('{"k":"ไทย"}')).toBe(17);
  });
});
