import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { ensureTable } from "@payment3/aws-local";
import { createAwsClients, createNotificationClients, loadConfig, ORDER_TABLE_KEYS, type Config } from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../local-stack";
import { registerLegacyInvokeAdapter } from "../runtime/legacy-invoke-adapter";
import { hasBlocker, runPreflight, type PreflightCheck, type PreflightTarget } from "./preflight-checks";

/*
 * A legacy-shaped account on the local endpoint: the shared order table with orders other flows
 * paid, the legacy deployment's ProcessPaidOrderTable (created_at a Number), calculate-cost, and
 * the legacy function under its name. Nothing of payment3 is deployed.
 */
let stack: LocalStack;
const LEGACY_FUNCTION = "payment3-process-paid-wallet-order-internal-dev";
const LEGACY_AUDIT_TABLE = "ProcessPaidOrderTable-dev";
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
const localClients = () => ({
  dynamoDb: stack.dynamoDb,
  lambda: clients().lambda,
  ses: createNotificationClients({ region: "ap-southeast-1", endpoint: stack.url }).ses,
});

function target(env: Record<string, string>, overrides: Partial<PreflightTarget> = {}): PreflightTarget {
  const config: Config = loadConfig({ BRANCH: "dev", AWS_REGION: "ap-southeast-1", ...env });
  return {
    config,
    legacyInvokeAdapter: true,
    adoptedProcessPaidOrderTableName: LEGACY_AUDIT_TABLE,
    opsAlarmEmail: undefined,
    production: true,
    ...overrides,
  };
}

const byName = (checks: readonly PreflightCheck[]) => Object.fromEntries(checks.map((check) => [check.name, check]));

async function putOrder(item: Record<string, unknown>) {
  await clients().documentClient.send(new PutCommand({ TableName: "order-table-dev", Item: item }));
}

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { logger: { warn() {} } }, ses: { sandbox: true, warn() {} } });
  await ensureTable(stack.dynamoDb, "order-table-dev", ORDER_TABLE_KEYS);
  await putOrder({ orderId: "492500005643", items: [{ quantity: 1, unitPrice: 300 }] });
  await putOrder({
    orderId: "492500005647",
    items: [{ quantity: 1, unitPrice: 690 }],
    payment: { paymentId: "qr_20261129_0042", isPaid: true, paymentMethod: "qr", totalPaid: 690 },
  });
  // Written by some flow as a string: payment3 could not tell whether this order is paid.
  await putOrder({ orderId: "ORD-BAD", items: [], payment: "paid" });
  await stack.dynamoDb.send(
    new CreateTableCommand({
      TableName: LEGACY_AUDIT_TABLE,
      KeySchema: [
        { AttributeName: "orderId", KeyType: "HASH" },
        { AttributeName: "created_at", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "orderId", AttributeType: "S" },
        { AttributeName: "created_at", AttributeType: "N" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  stack.functions.set(LEGACY_FUNCTION, () => ({ statusCode: 200, body: '"success"' }));
});
afterAll(async () => {
  await stack?.close();
});

describe("payment3 preflight's checks on a legacy-shaped account", () => {
  it("reports each missing piece as a blocker saying what to do", async () => {
    // Act
    const checks = await runPreflight(
      target({ AUDIT_CREATED_AT_FORMAT: "iso-8601", CALCULATE_COST_FUNCTION: "calculate-cost-3-missing" }),
      localClients(),
    );

    // Assert
    const found = byName(checks);
    expect(hasBlocker(checks)).toBe(true);
    expect(found["order table"]).toMatchObject({ status: "ok", found: "order-table-dev, key orderId (S)" });
    expect(found["payment headers"]).toMatchObject({
      status: "blocker",
      found: expect.stringContaining("order ORD-BAD: payment is not a map (S)"),
    });
    expect(found.ProcessPaidOrderTable).toMatchObject({
      status: "blocker",
      found: `${LEGACY_AUDIT_TABLE}'s key is orderId (S) + created_at (N); AUDIT_CREATED_AT_FORMAT=iso-8601 writes orderId (S) + created_at (S)`,
      fix: expect.stringContaining("set AUDIT_CREATED_AT_FORMAT"),
    });
    expect(found["calculate-cost"]).toMatchObject({
      status: "blocker",
      found: expect.stringContaining("calculate-cost-3-missing cannot be invoked"),
    });
    expect(found["legacy function name"]).toMatchObject({
      status: "blocker",
      fix: expect.stringContaining(`aws lambda delete-function --function-name ${LEGACY_FUNCTION}`),
    });
    expect(found.SENDER_EMAIL?.status).toBe("blocker");
    expect(found.OPS_ALARM_EMAIL?.status).toBe("blocker");
    expect(found["SES sender identity"]).toMatchObject({
      status: "blocker",
      found: "neither payments@payment3.example nor payment3.example is verified in ap-southeast-1 (unknown / unknown)",
    });
    expect(found["SES sandbox"]).toMatchObject({
      status: "blocker",
      found: expect.stringContaining("in the SES sandbox (200 emails a day)"),
    });
  });

  it("says an adopted table that does not exist is a blocker, and an unadopted existing one a warning", async () => {
    // Act
    const missing = byName(
      await runPreflight(
        target({}, { adoptedProcessPaidOrderTableName: "ProcessPaidOrderTable-typo" }),
        localClients(),
      ),
    );
    const unadopted = byName(
      await runPreflight(
        target({ PROCESS_PAID_ORDER_TABLE_NAME: LEGACY_AUDIT_TABLE }, { adoptedProcessPaidOrderTableName: undefined }),
        localClients(),
      ),
    );

    // Assert
    expect(missing.ProcessPaidOrderTable).toMatchObject({
      status: "blocker",
      found: "ADOPT_PROCESS_PAID_ORDER_TABLE names ProcessPaidOrderTable-typo, which does not exist",
    });
    expect(unadopted.ProcessPaidOrderTable).toMatchObject({
      status: "warning",
      fix: expect.stringContaining(`set ADOPT_PROCESS_PAID_ORDER_TABLE=${LEGACY_AUDIT_TABLE}`),
    });
  });

  it("passes once every piece is there: the bad header fixed, the legacy function removed, the settings given", async () => {
    // Prepare
    await putOrder({
      orderId: "ORD-BAD",
      items: [],
      payment: { paymentId: "card_1", isPaid: false, paymentMethod: "card", totalPaid: 0 },
    });
    stack.functions.delete(LEGACY_FUNCTION);
    stack.ses.identities.verify("shop.example.co.th");
    stack.ses.identities.sandbox = false;

    // Act
    const checks = await runPreflight(
      target({ SENDER_EMAIL: "no-reply@shop.example.co.th" }, { opsAlarmEmail: "ops@shop.example.co.th" }),
      localClients(),
    );

    // Assert
    expect(checks.filter((check) => check.status !== "ok")).toEqual([]);
    expect(byName(checks)["payment headers"]?.found).toBe(
      "3 orders read, 2 with a payment header, all of the shape payment3 reads",
    );
  });

  it("checks the orders named by --order-id, saying which do not exist", async () => {
    // Act
    const checks = byName(await runPreflight(target({}, { orderIds: ["492500005647", "999"] }), localClients()));

    // Assert
    expect(checks["payment headers"]).toMatchObject({
      status: "warning",
      found: "1 order read, 1 with a payment header; no order 999",
    });
  });

  it("recognises the legacy invoke adapter under the legacy name by its tag", async () => {
    // Prepare
    await registerLegacyInvokeAdapter(
      stack,
      loadConfig({ BRANCH: "dev", AWS_REGION: "ap-southeast-1", AWS_ENDPOINT_URL: stack.url }),
      new Logger({ logLevel: "SILENT" }),
    );

    // Act
    const checks = byName(await runPreflight(target({}), localClients()));

    // Assert
    expect(checks["legacy function name"]).toMatchObject({
      status: "ok",
      found: `${LEGACY_FUNCTION} is the legacy invoke adapter`,
    });
  });
});

describe("preflight's alarm destination", () => {
  it("accepts an existing on-call topic (OPS_ALARM_TOPIC_ARN) in place of OPS_ALARM_EMAIL, as the stacks do", async () => {
    const checks = await runPreflight(
      target({}, { opsAlarmTopicArn: "arn:aws:sns:ap-southeast-1:123456789012:on-call" }),
      localClients(),
    );

    expect(byName(checks).OPS_ALARM_EMAIL).toMatchObject({
      status: "ok",
      found: "arn:aws:sns:ap-southeast-1:123456789012:on-call",
    });
  });
});
