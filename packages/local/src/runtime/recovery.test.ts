import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/main";
import { startLocalRuntime, type LocalRuntime } from "./local-runtime";
import { subscriptionResourceNames } from "./provision";
import type { LocalFunction } from "@payment3/aws-local";

const runtimes: LocalRuntime[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(dataDirectory: string | null = null) {
  const runtime = await startLocalRuntime({
    port: 0,
    dataDirectory,
    env: { BRANCH: "recovery" },
    logLevel: "SILENT",
    retryBaseDelayMs: 2,
    functionRetryDelaysMs: [2, 4],
    warn() {},
  });
  runtimes.push(runtime);
  return runtime;
}

const ORDERS = ["3001", "3002", "3003"];

async function seedAndPay(runtime: LocalRuntime, orderIds: readonly string[]) {
  const { documentClient, eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: runtime.url });
  const publisher = createEventBridgePublisher({ client: eventBridge });
  for (const orderId of orderIds) {
    await documentClient.send(
      new PutCommand({
        TableName: runtime.config.orderTableName,
        Item: { orderId, customer: { email: `c-${orderId}@example.com` }, items: [{ quantity: 1, unitPrice: 100 }] },
      }),
    );
    await publishWalletPaymentConfirmed(
      { orderId, paymentId: `p-${orderId}`, success: true, amount: 100 },
      { publisher, eventBusName: runtime.config.eventBusName },
    );
  }
  await runtime.stack.eventBridge.whenIdle();
}

/** Counts invocations of each subscription's function from now on. */
function countInvocations(runtime: LocalRuntime, names: readonly string[]) {
  const counts: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  for (const name of names) {
    const { functionName } = subscriptionResourceNames(runtime.config, { name });
    const run = runtime.stack.functions.get(functionName)!;
    runtime.stack.functions.set(functionName, (event, context) => {
      counts[name]! += 1;
      return run(event, context);
    });
  }
  return counts;
}

/** The audit subscriber fails until the returned function is called (the fix). */
function auditOutage(runtime: LocalRuntime): () => void {
  const { functionName } = subscriptionResourceNames(runtime.config, { name: "audit-log" });
  const healthy = runtime.stack.functions.get(functionName)!;
  const broken: LocalFunction = () => {
    throw new Error("ProvisionedThroughputExceededException: audit table throttled (simulated outage)");
  };
  runtime.stack.functions.set(functionName, broken);
  return () => runtime.stack.functions.set(functionName, healthy);
}

async function effects(runtime: LocalRuntime) {
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: runtime.url });
  const scan = async (table: string) => (await documentClient.send(new ScanCommand({ TableName: table }))).Items ?? [];
  const orders = await scan(runtime.config.orderTableName);
  return {
    auditKeys: (await scan(runtime.config.auditLogTableName)).map((row) => row.idempotencyKey as string).sort(),
    emailsSent: (await scan(runtime.config.emailLogTableName)).filter((row) => row.emailResult === "sent").length,
    snsMessages: runtime.stack.sns.listPublishedMessages().length,
    headers: Object.fromEntries(orders.filter((o) => o.payment).map((o) => [o.orderId, o.payment])),
  };
}

async function cli(runtime: LocalRuntime, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, "--endpoint", runtime.url, "--stage", "recovery"],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { AWS_REGION: "ap-southeast-1" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const paidKeys = (orderIds: readonly string[]) => orderIds.map((id) => `${id}:p-${id}:OrderPaid`).sort();

describe("recovery after a subscriber outage", () => {
  it("pays orders end to end: order paid, audit row, email in local SES, SNS message", async () => {
    const runtime = await start();

    await seedAndPay(runtime, ["3000"]);

    const after = await effects(runtime);
    expect(after.headers["3000"]).toMatchObject({ isPaid: true, paymentId: "p-3000" });
    expect(after.auditKeys).toEqual(["3000:p-3000:OrderPaid"]);
    expect((await runtime.stack.ses.listSentEmails()).map((m) => m.to)).toEqual([["c-3000@example.com"]]);
    expect(after.snsMessages).toBe(1);
  });

  it("a replay of the outage window, filtered to the audit rule, fills exactly the missing rows and touches nothing else", async () => {
    const runtime = await start();
    const from = new Date(Date.now() - 2000).toISOString();
    const fix = auditOutage(runtime);
    await seedAndPay(runtime, ORDERS);
    const duringOutage = await effects(runtime);
    const listed = await cli(runtime, "dlq", "list", "--json");
    const shown = await cli(runtime, "dlq", "show", "--id", JSON.parse(listed.out)[0].id, "--json");
    fix();
    const counts = countInvocations(runtime, ["processor", "audit-log", "notifications"]);

    const dryRun = await cli(
      runtime,
      "replay",
      "--from",
      from,
      "--to",
      "now",
      "--rule",
      "audit-log",
      "--dry-run",
      "--json",
    );
    const replay = await cli(runtime, "replay", "--from", from, "--to", "now", "--rule", "audit-log", "--json");
    await runtime.stack.eventBridge.whenIdle();

    expect(duringOutage.auditKeys).toEqual([]);
    // A function error: after Lambda's retries, in the function's on-failure queue, not the rule's DLQ.
    expect(JSON.parse(listed.out).map((l: { queue: string; detailType: string }) => [l.queue, l.detailType])).toEqual(
      ORDERS.map(() => ["payment3-recovery-audit-log-on-failure", "OrderPaid"]),
    );
    expect(JSON.parse(shown.out)).toMatchObject({
      functionName: "payment3-recovery-audit-log",
      record: {
        requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 3 },
        requestPayload: { "detail-type": "OrderPaid" },
        responsePayload: { errorMessage: expect.stringContaining("simulated outage") },
      },
    });
    expect(
      JSON.parse(dryRun.out).wouldDeliver.map((i: { orderId: string; rules: string[] }) => [i.orderId, i.rules]),
    ).toEqual(ORDERS.map((id) => [id, ["payment3-recovery-audit-log"]]));
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.out)).toMatchObject({ state: "COMPLETED" });
    const after = await effects(runtime);
    expect(after.auditKeys).toEqual(paidKeys(ORDERS));
    expect(counts).toEqual({ processor: 0, "audit-log": 3, notifications: 0 });
    expect({ emails: after.emailsSent, sns: after.snsMessages, headers: after.headers }).toEqual({
      emails: 3,
      sns: 3,
      headers: duringOutage.headers,
    });
  });

  it("redriving the dead letters after the replay, and replaying a fully processed window, change nothing", async () => {
    const runtime = await start();
    const from = new Date(Date.now() - 2000).toISOString();
    const fix = auditOutage(runtime);
    await seedAndPay(runtime, ORDERS);
    fix();
    const replay = await cli(runtime, "replay", "--from", from, "--to", "now", "--rule", "audit-log");
    await runtime.stack.eventBridge.whenIdle();
    const healed = await effects(runtime);

    const redrive = await cli(runtime, "dlq", "redrive");
    const everything = await cli(runtime, "replay", "--from", from, "--to", "now");
    await runtime.stack.eventBridge.whenIdle();

    expect(replay.out).toMatch(
      /^replayed 3 events to 1 rule \(payment3-recovery-audit-log\) in [\d.]+ s; replay payment3-recovery-/,
    );
    expect(redrive.out).toBe("redrove 3 of 3 dead letters");
    expect(redrive.code).toBe(0);
    expect(everything.code).toBe(0);
    expect(await effects(runtime)).toEqual(healed);
    expect((await cli(runtime, "dlq", "list")).out).toBe("no dead letters");
  });

  it("loses nothing across a restart between the outage and the replay", async () => {
    const data = mkdtempSync(join(tmpdir(), "payment3-recovery-"));
    dirs.push(data);
    const first = await start(data);
    const from = new Date(Date.now() - 2000).toISOString();
    auditOutage(first);
    await seedAndPay(first, ORDERS);
    await first.close();
    runtimes.splice(runtimes.indexOf(first), 1);

    const second = await start(data);
    const status = await cli(second, "status", "--json");
    const replay = await cli(second, "replay", "--from", from, "--to", "now", "--rule", "audit-log");
    await second.stack.eventBridge.whenIdle();

    const archive = JSON.parse(status.out).archives[0];
    expect(archive).toMatchObject({ name: "payment3-recovery-archive" });
    expect(archive.eventCount).toBeGreaterThanOrEqual(ORDERS.length * 2);
    expect(JSON.parse(status.out).deadLetters).toEqual([
      { queueName: "payment3-recovery-audit-log-on-failure", messages: 3 },
    ]);
    expect(replay.code).toBe(0);
    expect((await effects(second)).auditKeys).toEqual(paidKeys(ORDERS));
  });

  it("answers bad replay requests in one line each", async () => {
    const runtime = await start();

    const backwards = await cli(runtime, "replay", "--from", "now", "--to=-1h");
    const unreadable = await cli(runtime, "replay", "--from", "yesterday-ish", "--to", "now");
    const unknownRule = await cli(runtime, "replay", "--from=-1h", "--to", "now", "--rule", "no-such-rule");
    const unknownArchive = await cli(runtime, "replay", "--from", "1h ago", "--to", "now", "--archive", "nope");
    const outsideRetention = await cli(
      runtime,
      "replay",
      "--from",
      "2020-01-01T00:00:00Z",
      "--to",
      "2020-01-02T00:00:00Z",
    );

    expect([backwards.code, unreadable.code, unknownRule.code, unknownArchive.code, outsideRetention.code]).toEqual([
      2, 2, 2, 1, 1,
    ]);
    expect(backwards.err).toMatch(/--from \(.*\) must be before --to/);
    expect(unreadable.err).toContain("--from must be an ISO-8601 time");
    expect(unknownRule.err).toContain("no rule no-such-rule on bus payment3-recovery; its rules are: ");
    expect(unknownArchive.err).toContain("Archive nope does not exist.");
    expect(outsideRetention.err).toMatch(/^payment3: .*keeps events for 30 days/);
    expect(outsideRetention.err).not.toMatch(/Exception:|Error:/);
    for (const result of [backwards, unreadable, unknownRule, unknownArchive, outsideRetention])
      expect(result.err.split("\n")).toHaveLength(1);
  });
});
