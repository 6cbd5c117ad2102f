import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { runCli } from "./main";

let runtime: LocalRuntime;
let scratch: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({ port: 0, dataDirectory: null, env: { BRANCH: "cli" }, logLevel: "SILENT", retryBaseDelayMs: 5, warn() {} });
  scratch = mkdtempSync(join(tmpdir(), "payment3-cli-"));
});
afterAll(async () => {
  await runtime?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the CLI as a user would, against the test runtime, and captures what it prints. */
async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...args, "--endpoint", runtime.url, "--stage", "cli"], { out: (t) => out.push(t), err: (t) => err.push(t) }, { AWS_REGION: "ap-southeast-1" });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("payment3 CLI", () => {
  it("publishes a confirmation from flags and shows the paid order with its audit row and email", async () => {
    const published = await cli("publish", "--order-id", "492500005644", "--payment-id", "pay_cli_1", "--success", "true", "--amount", "490", "--json");
    await runtime.stack.eventBridge.whenIdle();
    const shown = await cli("orders", "show", "492500005644", "--json");
    const human = await cli("orders", "show", "492500005644");

    expect(published.code).toBe(0);
    expect(JSON.parse(published.out)).toMatchObject({ orderId: "492500005644", paymentId: "pay_cli_1", source: "payment3.wallet-callback", eventBusName: "payment3-cli" });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      exists: true,
      payment: { paymentId: "pay_cli_1", isPaid: true, totalPaid: 490 },
      paymentOutcomes: { pay_cli_1: expect.objectContaining({ outcome: "OrderPaid", idempotencyKey: "492500005644:pay_cli_1:OrderPaid" }) },
      // The audit row read back: data parsed from its JSON string, created_at also in epoch ms.
      auditRows: [expect.objectContaining({ outcome: "OrderPaid", createdAtMillis: expect.any(Number), data: expect.objectContaining({ orderId: "492500005644", grandTotal: 490 }) })],
      emails: [expect.objectContaining({ status: "sent", template: "paid" })],
    });
    expect(human.out).toContain("payment outcomes: 1");
    expect(human.out).toMatch(/pay_cli_1\s.*OrderPaid/);
    expect(human.out).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\s+OrderPaid\s+false\s+pay_cli_1$/m);
  });

  it("publishes the JSON a callback sends, legacy aliases included, from --file", async () => {
    const file = join(scratch, "confirmation.json");
    writeFileSync(file, JSON.stringify({ order_id: 492500005645, payment_id: "pay_cli_2", success: false, amount: 420, channel: "bank-app" }));

    const result = await cli("publish", "--file", file);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^published WalletPaymentConfirmed \S+ \(order 492500005645, payment pay_cli_2, source payment3.bank-app-callback\) to payment3-cli$/);
  });

  it("refuses an invalid confirmation in one line naming the field, with exit 1", async () => {
    const result = await cli("publish", "--order-id", "1", "--payment-id", "p", "--success", "yes", "--amount", "abc");

    expect(result.code).toBe(1);
    expect(result.err.split("\n")).toHaveLength(1);
    expect(result.err).toContain('success must be true or false, got "yes"');
    expect(result.err).toContain('amount must be a number >= 0, got "abc"');
  });

  it("shows an order in a human-readable form", async () => {
    const result = await cli("orders", "show", "492500005643");

    expect(result.code).toBe(0);
    expect(result.out).toContain("order 492500005643: no payment header (unpaid)");
    expect(result.out).toContain("audit rows (payment3-process-paid-order-cli): 0");
  });

  it("explains which field keeps a pattern from matching, exit 1; exit 0 on a match", async () => {
    const pattern = join(scratch, "pattern.json");
    const event = join(scratch, "event.json");
    writeFileSync(pattern, JSON.stringify({ source: ["payment3.processor"], detail: { reason: ["PAYMENT_DECLINED"] } }));
    writeFileSync(event, JSON.stringify({ source: "payment3.processor", "detail-type": "OrderPaymentFailed", detail: { reason: "ALREADY_PAID" } }));

    const miss = await runCli(["test-pattern", pattern, event], { out: () => {}, err: () => {} });
    const missText: string[] = [];
    await runCli(["test-pattern", pattern, event], { out: (t) => missText.push(t), err: () => {} });
    writeFileSync(event, JSON.stringify({ source: "payment3.processor", detail: { reason: "PAYMENT_DECLINED" } }));
    const hit = await runCli(["test-pattern", pattern, event], { out: () => {}, err: () => {} });

    expect(miss).toBe(1);
    expect(missText.join("\n")).toBe('no match:\n  detail.reason: pattern wants ["PAYMENT_DECLINED"], event has "ALREADY_PAID"');
    expect(hit).toBe(0);
  });

  it("answers a usage mistake with exit 2 and an unreachable endpoint with a hint", async () => {
    const unknown = await cli("frobnicate");
    const badFlag = await cli("status", "--no-such-flag");
    const unreachable = await runCli(["orders", "show", "1", "--endpoint", "http://127.0.0.1:9"], { out: () => {}, err: (t) => void (unreachableErr = t) }, {});

    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('payment3: unknown command "frobnicate"; see payment3 --help');
    expect(badFlag.code).toBe(2);
    expect(unreachable).toBe(1);
    expect(unreachableErr).toMatch(/is 'npm start' running\?/);
  });
});

let unreachableErr = "";
