import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from "../runtime/local-runtime";
import { formatTryCommands } from "../try-commands";
import { formatTable } from "../cli/text-table";
import { demoReplayNote, demoTotalsLine, formatDemoSummary, runDemoConfirmations } from "./run-demo";
import { listUndeliveredEvents } from "../runtime/undelivered-events";

let runtime: LocalRuntime;

/** order, outcome event, changed, order's audit rows, order's emails sent, order now. */
const FIRST_RUN: readonly (readonly [string, string, boolean, number, number, string])[] = [
  ["492500005643", "OrderPaid", true, 1, 1, "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)"],
  [
    "492500005644",
    "OrderPaymentFailed PAYMENT_DECLINED",
    true,
    1,
    1,
    "payment.isPaid false: pay_bank_decl01 (wallet, 490 THB)",
  ],
  // A duplicate delivery changes nothing.
  ["492500005643", "OrderPaid", false, 1, 1, "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)"],
  [
    "492500005643",
    "OrderPaymentFailed ALREADY_PAID",
    true,
    2,
    1,
    "payment.isPaid true: pay_wallet_abc123 (wallet, 300 THB)",
  ],
  ["492500005645", "OrderPaymentFailed AMOUNT_MISMATCH", true, 1, 0, "no payment"],
  ["492500005646", "OrderPaid", true, 1, 0, "payment.isPaid true: pay_bank_ok01 (wallet, 900 THB)"],
  // Paid by another flow: its header stays as that flow wrote it, no email.
  [
    "492500005647",
    "OrderPaymentFailed ALREADY_PAID",
    true,
    1,
    0,
    "payment.isPaid true: qr_20261129_0042 (qr, 690 THB)",
  ],
  ["ORD-77", "OrderPaid", true, 1, 1, "payment.isPaid true: pay_wallet_noamt (wallet, 0 THB)"],
  ["999000000001", "OrderPaymentFailed ORDER_NOT_FOUND", true, 1, 0, "no such order"],
];

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    env: { BRANCH: "demo" },
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    warn() {},
  });
});
afterAll(async () => {
  await runtime?.close();
});

describe("the npm start demo", () => {
  it("routes every demo confirmation through the bus and reports outcome, audit rows and emails", async () => {
    const rows = await runDemoConfirmations(runtime.stack, runtime.config);

    expect(
      rows.map((row) => [row.orderId, row.outcome, row.changed, row.auditRows, row.emailsSent, row.orderState]),
    ).toEqual(FIRST_RUN);
    expect(listUndeliveredEvents(runtime.stack)).toEqual([]);
    expect(demoReplayNote(rows, ".local")).toBeUndefined();
    // README.md quotes this table, the try-commands above it and the replay line of a second run.
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
    expect(readme).toContain(formatDemoSummary(rows));
    await runtime.stack.ses.emailEventsSettled();
    expect(readme).toContain(
      demoTotalsLine(runtime.stack, runtime.config.eventBusName).replace(runtime.config.eventBusName, "payment3-dev"),
    );
    expect(readme).toContain(
      formatTryCommands({ url: "http://127.0.0.1:4566", region: "ap-southeast-1", eventBusName: "payment3-dev" }),
    );
    expect(readme).toContain(
      demoReplayNote(
        rows.map((row) => ({ ...row, changed: false })),
        ".local",
      ),
    );
  });

  it("run again on the same data directory, says every confirmation changed nothing and why, and the mails are still there", async () => {
    const dataDirectory = mkdtempSync(join(tmpdir(), "payment3-demo-"));
    const options: LocalRuntimeOptions = {
      port: 0,
      dataDirectory,
      env: { BRANCH: "demo" },
      logLevel: "SILENT",
      retryBaseDelayMs: 5,
      warn() {},
    };
    try {
      const first = await startLocalRuntime(options);
      await runDemoConfirmations(first.stack, first.config)
        // A new process starts with an empty mail store; so does this one, for the second run.
        .then(() => fetch(`${first.stack.mailPageUrl}clear-store`, { method: "POST" }))
        .finally(() => first.close());
      const second = await startLocalRuntime(options);

      const mailsAfterRestart = await second.stack.ses.listSentEmails();
      const rows = await runDemoConfirmations(second.stack, second.config).finally(() => second.close());

      // Every row unchanged, each order as the first run left it at its end.
      const endOfFirstRun = (orderId: string) => FIRST_RUN.filter((row) => row[0] === orderId).at(-1)!;
      expect(
        rows.map((row) => [row.orderId, row.outcome, row.changed, row.auditRows, row.emailsSent, row.orderState]),
      ).toEqual(FIRST_RUN.map(([orderId, outcome]) => [orderId, outcome, false, ...endOfFirstRun(orderId).slice(3)]));
      // The emails the email log says were sent are still on the mail page.
      expect(mailsAfterRestart.map((mail) => mail.to.join())).toEqual([
        "somchai@example.com",
        "jane@example.com",
        "pim@example.com",
      ]);
      expect(demoReplayNote(rows, dataDirectory)).toBe(
        `These confirmations were processed in an earlier run (kept in ${dataDirectory}/; --in-memory or deleting it starts afresh); replaying them changed nothing.`,
      );
    } finally {
      rmSync(dataDirectory, { recursive: true, force: true });
    }
  });

  it("formats rows as an aligned table", () => {
    expect(
      formatTable([
        { a: "1", bb: 22 },
        { a: "333", bb: "" },
      ]),
    ).toBe("a    bb\n---  --\n1    22\n333");
  });
});
