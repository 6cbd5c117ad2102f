import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients } from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { cloudWatchMetricsLine } from "./business-metrics-lines";
import { runCli } from "./main";

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    env: { BRANCH: "status" },
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    functionRetryDelaysMs: [5, 10],
    warn() {},
  });
});
afterAll(async () => {
  await runtime?.close();
});

/** Runs the CLI as a user would and captures what it prints; `--endpoint` only when given. */
async function cli(args: string[], endpoint: string | undefined = runtime.url) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, ...(endpoint ? ["--endpoint", endpoint] : []), "--stage", "status"],
    { out: (t) => out.push(t), err: (t) => err.push(t) },
    { AWS_REGION: "ap-southeast-1" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("payment3 status: business counts", () => {
  it("shows the counts since start after a paid and a declined confirmation through the local runtime", async () => {
    const paid = await cli([
      "publish",
      "--order-id",
      "492500005644",
      "--payment-id",
      "pay_st_1",
      "--success",
      "true",
      "--amount",
      "490",
    ]);
    const declined = await cli([
      "publish",
      "--order-id",
      "492500005646",
      "--payment-id",
      "pay_st_2",
      "--success",
      "false",
      "--amount",
      "900",
    ]);
    await runtime.stack.eventBridge.whenIdle();

    const status = await cli(["status"]);
    const json = await cli(["status", "--json"]);

    expect([paid.code, declined.code, status.code]).toEqual([0, 0, 0]);
    expect(status.out).toMatch(/^business metrics since start \(\d{4}-\d{2}-\d{2}T[\d:.]+Z\)$/m);
    expect(status.out).toMatch(/^ {2}confirmations received +2$/m);
    expect(status.out).toMatch(/^ {2}outcomes +OrderPaid 1, OrderPaymentFailed PAYMENT_DECLINED 1$/m);
    // 492500005646 has no customer address: its email is skipped; both outcomes go to the topic.
    expect(status.out).toMatch(/^ {2}emails +sent 1, refused 0, skipped 1$/m);
    expect(status.out).toMatch(/^ {2}email events +bounced 0, complained 0, suppressed 0$/m);
    expect(status.out).toMatch(/^ {2}uncertain emails +0 awaiting proof, 0 proved sent by SES, 0 sent by the sweep$/m);
    expect(status.out).toMatch(/^ {2}uncertain, for a person +0$/m);
    expect(status.out).toMatch(/^ {2}SNS published +2$/m);
    expect(status.out).toMatch(/^ {2}redeliveries recognised +0$/m);
    expect(status.out).toMatch(
      /^ {2}calculate-cost +2 calls, 0 failures, latency p50 \d+ ms, mean \d+ ms, max \d+ ms$/m,
    );
    expect(JSON.parse(json.out).businessMetrics).toMatchObject({
      counts: {
        ConfirmationReceived: 2,
        OrderPaid: 1,
        "OrderPaymentFailed reason=PAYMENT_DECLINED": 1,
        EmailSent: 1,
        EmailSkipped: 1,
        SnsPublished: 2,
      },
      measurements: { CalculateCostLatency: { unit: "Milliseconds", count: 2 } },
    });
  });

  it("counts a redelivery, and calculate-cost's failures by kind on every attempt", async () => {
    // calculate-cost answers 400 for an order whose items it cannot price.
    await createAwsClients({ region: "ap-southeast-1", endpoint: runtime.url }).documentClient.send(
      new PutCommand({
        TableName: runtime.config.orderTableName,
        Item: { orderId: "900000000777", items: [{ quantity: 0, unitPrice: 1 }] },
      }),
    );
    const again = await cli([
      "publish",
      "--order-id",
      "492500005644",
      "--payment-id",
      "pay_st_1",
      "--success",
      "true",
      "--amount",
      "490",
    ]);
    const unpriceable = await cli([
      "publish",
      "--order-id",
      "900000000777",
      "--payment-id",
      "pay_st_3",
      "--success",
      "true",
      "--amount",
      "1",
    ]);
    await runtime.stack.eventBridge.whenIdle();

    const status = await cli(["status"]);

    expect([again.code, unpriceable.code]).toEqual([0, 0]);
    // The processor recognises the payment and publishes its outcome again; nothing is decided twice.
    // The notifications subscriber recognises that outcome by its email-log row and sends nothing: the second.
    expect(status.out).toMatch(/^ {2}redeliveries recognised +2$/m);
    // A function error: the first run and Lambda's 2 retries (the function's event-invoke config, not the rule
    // target's 8) each ask calculate-cost, which refuses each time.
    expect(status.out).toMatch(/^ {2}calculate-cost +5 calls, 3 failures \(ERROR_STATUS 3\), latency p50 \d+ ms/m);
    expect(status.out).toMatch(
      /^ {2}outcomes +OrderPaid 1, OrderPaymentFailed COST_CALCULATION_FAILED 3, OrderPaymentFailed PAYMENT_DECLINED 1$/m,
    );
  });

  it("says where the counts are on AWS: the namespace and the stage's dashboard", () => {
    expect(cloudWatchMetricsLine("prod")).toBe(
      "business metrics: in CloudWatch, namespace payment3 (dimensions service, stage prod), dashboard payment3-prod-ops",
    );
  });
});
