import { Logger } from "@aws-lambda-powertools/logger";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../local-stack";
import { formatTable, localConfig, provisionDemo, runDemoConfirmations } from "./run-demo";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 5 } });
});
afterAll(async () => {
  await stack?.close();
});

describe("the npm start demo", () => {
  it("routes every demo confirmation through the bus to the processor and reports each outcome", async () => {
    const config = localConfig(stack, { BRANCH: "demo" });
    await provisionDemo(stack, config, new Logger({ serviceName: "payment3-processor", logLevel: "SILENT" }));

    const rows = await runDemoConfirmations(stack, config);

    expect(rows.map((row) => [row.orderId, row.outcome, row.orderState])).toEqual([
      ["492500005643", "OrderPaid", "paid by pay_wallet_abc123"],
      ["492500005644", "OrderPaymentFailed PAYMENT_DECLINED", "unpaid (last: pay_bank_decl01 declined)"],
      ["492500005643", "OrderPaid", "paid by pay_wallet_abc123"],
      ["492500005643", "OrderPaymentFailed ALREADY_PAID", "paid by pay_wallet_abc123"],
      ["492500005645", "OrderPaymentFailed AMOUNT_MISMATCH", "unpaid"],
      ["492500005646", "OrderPaid", "paid by pay_bank_ok01"],
      ["999000000001", "OrderPaymentFailed ORDER_NOT_FOUND", "no such order"],
    ]);
    expect(stack.eventBridge.getStatistics().deadLetters).toBe(0);
  });

  it("formats rows as an aligned table", () => {
    expect(formatTable([{ a: "1", bb: "22" }, { a: "333", bb: "" }])).toBe("a    bb\n---  --\n1    22\n333");
  });
});
