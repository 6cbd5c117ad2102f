import { describe, expect, it } from "vitest";
import { ContractValidationError } from "./contract-validation-error";
import { parseEnvelopeFields } from "./envelope";
import { readExampleEnvelope } from "./examples";
import { OrderPaidContract } from "./order-paid";

function problemOf(parse: () => unknown): ContractValidationError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ContractValidationError) return error;
    throw error;
  }
  throw new Error("expected the value to be rejected");
}

// zod/mini loads no locale: these fields have no message of their own, so they read as zod's
// English messages only because every parse passes them (a bare "Invalid input" otherwise).
describe("zod's own messages for fields without a custom one", () => {
  it("names a wrong envelope field with zod's English message", () => {
    const raw = { ...readExampleEnvelope("OrderPaid.v1.json"), version: 0 };

    const error = problemOf(() => parseEnvelopeFields(raw));

    expect(error.message).toBe("EventBridge event is invalid: version Invalid input: expected string, received number");
  });

  it("names a wrong field of a detail with zod's English message", () => {
    const { detail } = readExampleEnvelope("OrderPaid.v1.json") as { detail: Record<string, unknown> };

    const error = problemOf(() => OrderPaidContract.parseDetail({ ...detail, order: { orderId: "" } }));

    expect(error.problems).toEqual([
      { field: "order.orderId", message: "Too small: expected string to have >=1 characters" },
    ]);
  });
});
