import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { runCli } from "./main";

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    env: { AWS_REGION: "ap-southeast-1" },
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    warn() {},
  });
});
afterAll(async () => {
  await runtime?.close();
});

/** `payment3 preflight` against the local runtime, with the deploy settings in `env`. */
async function preflight(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    ["preflight", ...args, "--endpoint", runtime.url],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { AWS_REGION: "ap-southeast-1", ...env },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("payment3 preflight", () => {
  it("prints the checklist for what npm start runs and exits 0: ready, with the warnings to read", async () => {
    // Act
    const result = await preflight({ LEGACY_INVOKE_ADAPTER: "on" });

    // Assert
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(result.out).toContain("preflight for stage dev (region ap-southeast-1, http://127.0.0.1:");
    expect(result.out).toMatch(/✓ order table\s+order-table-dev, key orderId \(S\)/);
    expect(result.out).toMatch(
      /✓ legacy function name\s+payment3-process-paid-wallet-order-internal-dev is the legacy invoke adapter/,
    );
    expect(result.out).toMatch(/! ProcessPaidOrderTable\s+payment3-process-paid-order-dev exists/);
    expect(result.out).toMatch(/✓ SES sender identity\s+payments@payment3.example is verified in ap-southeast-1/);
    expect(result.out).toMatch(/✓ SES sandbox\s+production access/);
    expect(result.out).toMatch(/\nready \(\d+ warnings to read\)$/);
  });

  it("exits 1 on a blocker and names it in --json", async () => {
    // Act
    const result = await preflight({ CALCULATE_COST_FUNCTION: "calculate-cost-3-missing" }, "--json", "--production");

    // Assert
    const report = JSON.parse(result.out) as { ready: boolean; checks: { name: string; status: string }[] };
    expect(result.code).toBe(1);
    expect(report.ready).toBe(false);
    expect(report.checks.filter((check) => check.status === "blocker").map((check) => check.name)).toEqual([
      "calculate-cost",
      "SENDER_EMAIL",
      "OPS_ALARM_EMAIL",
    ]);
  });

  it("refuses an invalid cut-over setting, naming the variable", async () => {
    // Act
    const result = await preflight({ LEGACY_INVOKE_ADAPTER: "yes" });

    // Assert
    expect(result.code).toBe(1);
    expect(result.err).toBe('payment3: LEGACY_INVOKE_ADAPTER must be on or off, got "yes"');
  });
});
