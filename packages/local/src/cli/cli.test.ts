import { readdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { DisableRuleCommand, EnableRuleCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { runCli } from "./main";

const EXAMPLES = new URL("../../../../events/examples/", import.meta.url);

let runtime: LocalRuntime;
let scratch: string;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    env: { BRANCH: "cli" },
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    warn() {},
  });
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
  const code = await runCli(
    [...args, "--endpoint", runtime.url, "--stage", "cli"],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { AWS_REGION: "ap-southeast-1" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("payment3 CLI", () => {
  it("publishes a confirmation from flags and shows the paid order with its audit row and email", async () => {
    const published = await cli(
      "publish",
      "--order-id",
      "492500005644",
      "--payment-id",
      "pay_cli_1",
      "--success",
      "true",
      "--amount",
      "490",
      "--json",
    );
    await runtime.stack.eventBridge.whenIdle();
    const shown = await cli("orders", "show", "492500005644", "--json");
    const human = await cli("orders", "show", "492500005644");

    expect(published.code).toBe(0);
    expect(JSON.parse(published.out)).toMatchObject({
      orderId: "492500005644",
      paymentId: "pay_cli_1",
      source: "payment3.wallet-callback",
      eventBusName: "payment3-cli",
    });
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      exists: true,
      payment: { paymentId: "pay_cli_1", isPaid: true, totalPaid: 490 },
      paymentOutcomes: {
        pay_cli_1: expect.objectContaining({
          outcome: "OrderPaid",
          idempotencyKey: "492500005644:pay_cli_1:OrderPaid",
        }),
      },
      // The audit row read back: data parsed from its JSON string, created_at also in epoch ms.
      auditRows: [
        expect.objectContaining({
          outcome: "OrderPaid",
          createdAtMillis: expect.any(Number),
          data: expect.objectContaining({ orderId: "492500005644", grandTotal: 490 }),
        }),
      ],
      emails: [expect.objectContaining({ status: "sent", template: "paid" })],
    });
    expect(human.out).toMatch(/^order 492500005644: paid$/m);
    expect(human.out).toMatch(/^ {2}paid {13}yes$/m);
    expect(human.out).toMatch(/^ {2}paymentId +pay_cli_1$/m);
    expect(human.out).toMatch(/^ {2}method +wallet \(channel wallet\)$/m);
    expect(human.out).toMatch(/^ {2}total paid +490\.00 THB$/m);
    expect(human.out).toMatch(/^ {2}overpaid +0\.00 THB$/m);
    expect(human.out).toMatch(/^ {2}amount reported +yes$/m);
    expect(human.out).toMatch(/^ {2}paidAt +\d{4}-\d{2}-\d{2}T/m);
    expect(human.out).toMatch(/^ {2}shipping +40\.00 THB\n {2}discount +0\.00 THB\n {2}grand total +490\.00 THB$/m);
    expect(human.out).not.toContain('{"');
    expect(human.out).toContain("payment outcomes: 1");
    expect(human.out).toMatch(/pay_cli_1\s.*OrderPaid/);
    expect(human.out).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z\s+OrderPaid\s+false\s+pay_cli_1$/m);
  });

  it("publishes the JSON a callback sends, legacy aliases included, from --file", async () => {
    const file = join(scratch, "confirmation.json");
    writeFileSync(
      file,
      JSON.stringify({
        order_id: 492500005645,
        payment_id: "pay_cli_2",
        success: false,
        amount: 420,
        channel: "bank-app",
      }),
    );

    const result = await cli("publish", "--file", file);

    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^published WalletPaymentConfirmed \S+ \(order 492500005645, payment pay_cli_2, source payment3.bank-app-callback\) to payment3-cli$/,
    );
  });

  it("refuses an invalid confirmation in one line naming the flags, with exit 2", async () => {
    const result = await cli("publish", "--order-id", "1", "--payment-id", "p", "--success", "yes", "--amount", "abc");

    expect(result.code).toBe(2);
    expect(result.err).toBe(
      'payment3: --success must be true or false, got "yes"; --amount must be a number >= 0, got "abc"',
    );
  });

  it("names a missing flag with exit 2, and reads --amount -5 as a value to refuse", async () => {
    const missing = await cli("publish", "--order-id", "1", "--success", "true", "--amount", "5");
    const negative = await cli(
      "publish",
      "--order-id",
      "1",
      "--payment-id",
      "p",
      "--success",
      "true",
      "--amount",
      "-5",
    );

    expect(missing.code).toBe(2);
    expect(missing.err).toBe(
      "payment3: publish needs --order-id, --payment-id and --success (and --amount when the provider reported one); missing --payment-id; see payment3 publish --help",
    );
    expect(negative.code).toBe(2);
    expect(negative.err).toBe('payment3: --amount must be a number >= 0, got "-5"');
  });

  it("publishes each WalletPaymentConfirmed example of events/examples as it is, and refuses the outcome examples with exit 2", async () => {
    const files = readdirSync(EXAMPLES)
      .filter((name) => name.endsWith(".json"))
      .sort();

    const results = await Promise.all(
      files.map(async (name) => [name, await cli("publish", "--file", new URL(name, EXAMPLES).pathname)] as const),
    );

    expect(files).toEqual([
      "OrderPaid.v1.json",
      "OrderPaymentFailed.v1.json",
      "WalletPaymentConfirmed.legacy-callback.json",
      "WalletPaymentConfirmed.v1.json",
    ]);
    const byName = Object.fromEntries(results);
    expect(byName["WalletPaymentConfirmed.v1.json"]).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^published WalletPaymentConfirmed \S+ \(order 492500005643, payment pay_wallet_abc123, source payment3.wallet-callback\) to payment3-cli$/,
      ),
    });
    expect(byName["WalletPaymentConfirmed.legacy-callback.json"]).toMatchObject({
      code: 0,
      out: expect.stringContaining("(order 492500005643, payment pay_wallet_abc123, source payment3.wallet-callback)"),
    });
    expect(byName["OrderPaid.v1.json"]).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^payment3: --file \S+OrderPaid.v1.json holds an event of type OrderPaid; publish sends WalletPaymentConfirmed only/,
      ),
    });
    expect(byName["OrderPaymentFailed.v1.json"]).toMatchObject({
      code: 2,
      err: expect.stringContaining("holds an event of type OrderPaymentFailed"),
    });
  });

  it("publishes a PutEvents entry from --file, its source giving the channel", async () => {
    const file = join(scratch, "entries.json");
    writeFileSync(
      file,
      JSON.stringify({
        Entries: [
          {
            Source: "payment3.bank-app-callback",
            DetailType: "WalletPaymentConfirmed",
            EventBusName: "payment3-cli",
            Detail: JSON.stringify({
              orderId: "492500005643",
              paymentId: "pay_cli_entry",
              success: false,
              amount: 300,
            }),
          },
        ],
      }),
    );

    const result = await cli("publish", "--file", file);

    expect(result.code).toBe(0);
    expect(result.out).toContain("(order 492500005643, payment pay_cli_entry, source payment3.bank-app-callback)");
  });

  it("refuses a bus that does not exist locally with exit 2, and publishes nothing", async () => {
    await runtime.stack.eventBridge.whenIdle();
    const before = runtime.stack.eventBridge.getStatistics().acceptedEvents;

    const result = await cli(
      "publish",
      "--bus",
      "payment3-clj",
      "--order-id",
      "1",
      "--payment-id",
      "p",
      "--success",
      "true",
      "--amount",
      "1",
    );

    expect(result.code).toBe(2);
    expect(result.err).toMatch(
      /^payment3: event bus payment3-clj does not exist at the local endpoint \(it has .*payment3-cli.*\); nothing published: check --bus or --stage$/,
    );
    expect(runtime.stack.eventBridge.getStatistics()).toMatchObject({ acceptedEvents: before, droppedEventsByBus: {} });
  });

  it("waits for the payment's outcome with --wait: paid with an overpayment, then a second payment refused as already paid", async () => {
    const paid = await cli(
      "publish",
      "--order-id",
      "492500005646",
      "--payment-id",
      "pay_cli_wait",
      "--success",
      "true",
      "--amount",
      "900",
      "--wait",
    );
    const twice = await cli(
      "publish",
      "--order-id",
      "492500005646",
      "--payment-id",
      "pay_cli_twice",
      "--success",
      "true",
      "--amount",
      "850",
      "--wait",
      "--timeout",
      "10",
    );
    await runtime.stack.eventBridge.whenIdle();
    const shown = await cli("orders", "show", "492500005646");

    expect(paid.code).toBe(0);
    expect(paid.out.split("\n")[1]).toMatch(
      /^outcome: OrderPaid \(order 492500005646, payment pay_cli_wait, at \d{4}-\S+Z\)$/,
    );
    expect(twice.code).toBe(0);
    expect(twice.out.split("\n")[1]).toMatch(
      /^outcome: ALREADY_PAID \(order 492500005646, payment pay_cli_twice, at \S+\): order 492500005646 is already paid by payment pay_cli_wait/,
    );
    expect(shown.out).toMatch(/^ {2}total paid +900\.00 THB\n {2}overpaid +50\.00 THB$/m);
    expect(shown.out).toMatch(
      /^ {2}subtotal +890\.00 THB\n {2}shipping +60\.00 THB\n {2}discount +100\.00 THB\n {2}grand total +850\.00 THB$/m,
    );
    expect(shown.out).toMatch(/OrderPaid .*pay_cli_wait\n.*ALREADY_PAID .*pay_cli_twice$/m);
  });

  it("says so with exit 1 when --wait sees no outcome before its timeout", async () => {
    const eventBridge = new EventBridgeClient({
      endpoint: runtime.url,
      region: "ap-southeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const rules = runtime.stack.eventBridge.listRules({ EventBusName: "payment3-cli" }).Rules ?? [];
    const processor = rules.find((rule) => rule.Name?.endsWith("-processor"))!.Name!;
    await eventBridge.send(new DisableRuleCommand({ Name: processor, EventBusName: "payment3-cli" }));
    try {
      const result = await cli(
        "publish",
        "--order-id",
        "900000000001",
        "--payment-id",
        "pay_cli_lost",
        "--success",
        "true",
        "--amount",
        "210",
        "--wait",
        "--timeout",
        "0.3",
      );

      expect(result.code).toBe(1);
      expect(result.out).toMatch(/^published WalletPaymentConfirmed/);
      expect(result.err).toBe(
        "payment3: no outcome recorded for payment pay_cli_lost of order 900000000001 within 0.3 s; is the processor running and subscribed? see payment3 status, payment3 dlq list, payment3 orders show 900000000001",
      );
    } finally {
      await eventBridge.send(new EnableRuleCommand({ Name: processor, EventBusName: "payment3-cli" }));
    }
  });

  it("shows an order in a human-readable form: an unpaid order with the fields it has, a declined one with its header", async () => {
    await runtime.stack.eventBridge.whenIdle();
    const unpaid = await cli("orders", "show", "ORD-77");
    const result = await cli("orders", "show", "492500005645");

    expect(unpaid.out).toMatch(/^order ORD-77: no payment header \(unpaid\)\n {2}shipping {2}30\.00 THB\n\naudit rows/);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      [
        "order 492500005645: not paid",
        "  paid             no",
        "  paymentId        pay_cli_2",
        "  method           wallet (channel bank-app)",
        "  total paid       420.00 THB",
        "  overpaid         0.00 THB",
        "  amount reported  yes",
        "  paidAt           -",
        "  subtotal         420.00 THB",
        "  shipping         0.00 THB",
        "  discount         0.00 THB",
        "  grand total      420.00 THB",
      ].join("\n"),
    );
    expect(result.out).toMatch(
      /^audit rows \(payment3-process-paid-order-cli\): 1\n.*\n.*\n\S+Z\s+OrderPaymentFailed\s+PAYMENT_DECLINED\s+false\s+pay_cli_2$/m,
    );
  });

  it("explains which field keeps a pattern from matching, exit 1; exit 0 on a match", async () => {
    const pattern = join(scratch, "pattern.json");
    const event = join(scratch, "event.json");
    writeFileSync(
      pattern,
      JSON.stringify({ source: ["payment3.processor"], detail: { reason: ["PAYMENT_DECLINED"] } }),
    );
    writeFileSync(
      event,
      JSON.stringify({
        source: "payment3.processor",
        "detail-type": "OrderPaymentFailed",
        detail: { reason: "ALREADY_PAID" },
      }),
    );

    const miss = await runCli(["test-pattern", pattern, event], { out: () => {}, err: () => {} });
    const missText: string[] = [];
    await runCli(["test-pattern", pattern, event], { out: (t) => missText.push(t), err: () => {} });
    writeFileSync(event, JSON.stringify({ source: "payment3.processor", detail: { reason: "PAYMENT_DECLINED" } }));
    const hit = await runCli(["test-pattern", pattern, event], { out: () => {}, err: () => {} });

    expect(miss).toBe(1);
    expect(missText.join("\n")).toBe(
      'no match:\n  detail.reason: pattern wants ["PAYMENT_DECLINED"], event has "ALREADY_PAID"',
    );
    expect(hit).toBe(0);
  });

  it("answers a file it cannot use with exit 2, never the exit 1 of no match", async () => {
    const pattern = join(scratch, "pattern-ok.json");
    const event = join(scratch, "event-ok.json");
    const notJson = join(scratch, "not-json.json");
    const invalid = join(scratch, "invalid-pattern.json");
    writeFileSync(pattern, JSON.stringify({ source: ["payment3.processor"] }));
    writeFileSync(event, JSON.stringify({ source: "payment3.processor" }));
    writeFileSync(notJson, "{ nope");
    writeFileSync(invalid, JSON.stringify({ source: "payment3.processor" }));
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };

    const codes = [
      await runCli(["test-pattern", join(scratch, "missing.json"), event], io, {}),
      await runCli(["test-pattern", notJson, event], io, {}),
      await runCli(["test-pattern", invalid, event], io, {}),
      await runCli(["test-pattern", pattern], io, {}),
    ];

    expect(codes).toEqual([2, 2, 2, 2]);
    expect(err[0]).toMatch(/^payment3: cannot read the pattern file \S+missing.json \(ENOENT\)$/);
    expect(err[1]).toMatch(/^payment3: the pattern file \S+not-json.json is not JSON: /);
    expect(err[2]).toMatch(/^payment3: invalid pattern in \S+invalid-pattern.json: /);
  });

  it("colours only a terminal: never a pipe, never with NO_COLOR", async () => {
    const pattern = join(scratch, "pattern-colour.json");
    writeFileSync(pattern, JSON.stringify({ source: ["payment3.processor"] }));
    const event = join(scratch, "event-colour.json");
    writeFileSync(event, JSON.stringify({ source: "payment3.processor" }));
    const run = async (outIsTTY: boolean, env: NodeJS.ProcessEnv) => {
      const out: string[] = [];
      await runCli(
        ["test-pattern", pattern, event],
        { out: (t) => out.push(t), err: () => {}, outIsTTY, errIsTTY: outIsTTY },
        env,
      );
      return out.join("\n");
    };

    const terminal = await run(true, {});
    const pipe = await run(false, {});
    const noColor = await run(true, { NO_COLOR: "1" });

    expect(terminal).toBe("\u001b[32mmatch\u001b[39m");
    expect(pipe).toBe("match");
    expect(noColor).toBe("match");
  });

  it("gives one command's help with <command> --help, exit 0", async () => {
    const publish = await cli("publish", "--help");
    const dlq = await cli("dlq", "redrive", "--help");
    const all = await cli("--help");

    expect(publish.code).toBe(0);
    expect(publish.out).toMatch(/^usage: payment3 publish --order-id <id>/);
    expect(publish.out).toContain("--wait");
    expect(dlq.out).toMatch(/^usage: payment3 dlq list/);
    expect(all.out).toMatch(/^payment3 — operate/);
    expect(all.out).toContain("payment3 <command> --help");
  });

  it("reads --from -1h as a time and fits status tables in 120 columns", async () => {
    const replay = await cli("replay", "--from", "-1h", "--to", "now", "--dry-run");
    const status = await cli("status");

    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/^dry run: \d+ archived events between /);
    expect(status.code).toBe(0);
    expect(Math.max(...status.out.split("\n").map((line) => line.length))).toBeLessThanOrEqual(120);
    expect(status.out).toMatch(/arn:aws:\S+…/);
  });

  it("names what the local endpoint answered, without its internal URL or an Error: prefix", async () => {
    const result = await cli("dlq", "show", "--id", "no-such-letter");

    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^payment3: .*no-such-letter/);
    expect(result.err).not.toMatch(/_local|http:|Error:|Exception:/);
  });

  it("without an endpoint or credentials, says that it was talking to AWS and how to reach the local endpoint", async () => {
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith("AWS_")) delete process.env[name];
    Object.assign(process.env, {
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: join(scratch, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(scratch, "none"),
    });
    const err: string[] = [];
    try {
      const code = await runCli(
        ["status"],
        { out: () => {}, err: (t) => err.push(t) },
        { AWS_REGION: "ap-southeast-1" },
      );

      expect(code).toBe(1);
      expect(err).toEqual([
        "payment3: no AWS credentials found: payment3 was talking to AWS (region ap-southeast-1, stage dev) as no --endpoint or AWS_ENDPOINT_URL was given; for the local endpoint add --endpoint http://127.0.0.1:4566 or export AWS_ENDPOINT_URL=http://127.0.0.1:4566; for AWS set AWS_PROFILE (or --profile)",
      ]);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it("answers a usage mistake with exit 2 and an unreachable endpoint with a hint", async () => {
    const unknown = await cli("frobnicate");
    const badFlag = await cli("status", "--no-such-flag");
    const dashValue = await cli("publish", "--order-id", "-x", "--payment-id", "p", "--success", "true");
    const unreachable = await runCli(
      ["orders", "show", "1", "--endpoint", "http://127.0.0.1:9"],
      {
        out: () => {},
        err: (t) => {
          unreachableErr = t;
        },
      },
      {},
    );

    expect(unknown.code).toBe(2);
    expect(unknown.err).toBe('payment3: unknown command "frobnicate"; see payment3 --help');
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toBe("payment3: unknown option --no-such-flag; see payment3 status --help");
    expect(dashValue.code).toBe(2);
    expect(dashValue.err).toBe(
      'payment3: the value of --order-id starts with "-": write it as --order-id=<value>; see payment3 publish --help',
    );
    expect(unreachable).toBe(1);
    expect(unreachableErr).toMatch(/is 'npm start' running\?/);
  });
});

let unreachableErr = "";
