import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { formatTable, runDemoConfirmations } from "./run-demo";

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, dataDirectory: null, env: { BRANCH: "demo" }, logLevel: "SILENT", retryBaseDelayMs: 5, warn() {} });
});
afterAll(async () => {
  await runtime?.close();
});

describe("the npm start demo", () => {
  it("routes every demo confirmation through the bus and reports outcome, audit rows and emails", async () => {
    const rows = await runDemoConfirmations(runtime.stack, runtime.config);

    expect(rows.map((row) => [row.orderId, row.outcome, row.auditRows, row.emailsSent, row.orderState])).toEqual([
      ["492500005643", "OrderPaid", 1, 1, "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)"],
      ["492500005644", "OrderPaymentFailed PAYMENT_DECLINED", 1, 1, "payment.isPaid false: pay_bank_decl01 (wallet, 490 THB)"],
      ["492500005643", "OrderPaid", 1, 1, "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)"],
      ["492500005643", "OrderPaymentFailed ALREADY_PAID", 2, 1, "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)"],
      ["492500005645", "OrderPaymentFailed AMOUNT_MISMATCH", 1, 0, "no payment"],
      ["492500005646", "OrderPaid", 1, 0, "payment.isPaid true: pay_bank_ok01 (wallet, 900 THB)"],
      // Paid by another flow: its header stays as that flow wrote it, no email.
      ["492500005647", "OrderPaymentFailed ALREADY_PAID", 1, 0, "payment.isPaid true: qr_20261129_0042 (qr, 690 THB)"],
      ["ORD-77", "OrderPaid", 1, 1, "payment.isPaid true: pay_wallet_noamt (wallet, 0 THB)"],
      ["999000000001", "OrderPaymentFailed ORDER_NOT_FOUND", 1, 0, "no such order"],
    ]);
    expect(runtime.stack.eventBridge.deadLetters.size).toBe(0);
  });

  it("formats rows as an aligned table", () => {
    expect(formatTable([{ a: "1", bb: 22 }, { a: "333", bb: "" }])).toBe("a    bb\n---  --\n1    22\n333");
  });
});
