import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { parseOrderOutcomeEvent } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startDynalite, type DynaliteServer } from "@payment3/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE_KEYS, PROCESS_PAID_ORDER_TABLE_KEYS } from "../config/table-keys";
import { buildAuditRow, writeAuditRow } from "./audit-log";

const tableName = "audit-test";
const guardTableName = "idempotency-test";
let dynalite: DynaliteServer;
let documentClient: DynamoDBDocumentClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  const client = new DynamoDBClient({ endpoint: dynalite.url, region: "ap-southeast-1" });
  await ensureTable(client, tableName, PROCESS_PAID_ORDER_TABLE_KEYS);
  await ensureTable(client, guardTableName, IDEMPOTENCY_TABLE_KEYS);
  documentClient = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  documentClient.destroy();
  await dynalite.close();
});

const paidEvent = () => parseOrderOutcomeEvent(readExampleEnvelope("OrderPaid.v1.json"));
const failedEvent = () => parseOrderOutcomeEvent(readExampleEnvelope("OrderPaymentFailed.v1.json"));

async function rowsOf(orderId: string) {
  return (await documentClient.send(new QueryCommand({ TableName: tableName, KeyConditionExpression: "orderId = :o", ExpressionAttributeValues: { ":o": orderId } }))).Items ?? [];
}

/** The example outcome for another order (and so another idempotency key). */
function withOrder<T extends { detail: { orderId: string; idempotencyKey: string } }>(event: T, orderId: string): T {
  return { ...event, detail: { ...event.detail, orderId, idempotencyKey: event.detail.idempotencyKey.replace(/^\d+/, orderId) } };
}

describe("audit row", () => {
  it("stores the recalculated order for OrderPaid, keyed by orderId and occurredAt in epoch ms", () => {
    const row = buildAuditRow(paidEvent());

    expect(row).toMatchObject({
      orderId: "492500005643",
      created_at: Date.parse("2026-11-29T10:00:01.234Z"),
      is_error: false,
      reason: null,
      paymentId: "pay_wallet_abc123",
      eventId: "7c1d0a55-2b9e-4e0f-8d3c-1a2b3c4d5e01",
      idempotencyKey: "492500005643:pay_wallet_abc123:OrderPaid",
      data: { grandTotal: 300, items: expect.any(Array) },
    });
  });

  it("stores the failure details for OrderPaymentFailed, with is_error", () => {
    const row = buildAuditRow(failedEvent());

    expect(row).toMatchObject({ is_error: true, reason: "ALREADY_PAID", data: { reason: "ALREADY_PAID", retryable: false, paymentSucceeded: true } });
  });

  it("drops items from a row that would pass DynamoDB's 400 KB item limit", () => {
    const event = paidEvent() as Extract<ReturnType<typeof paidEvent>, { "detail-type": "OrderPaid" }>;
    const items = Array.from({ length: 3000 }, (_, n) => ({ sku: `S${n}`, name: "x".repeat(150), quantity: 1, unitPrice: 1 }));
    const big = { ...event, detail: { ...event.detail, order: { ...event.detail.order, items } } } as typeof event;

    const row = buildAuditRow(big);

    expect(row.dataTruncated).toBe(true);
    expect(row.data).not.toHaveProperty("items");
  });
});

describe("writing audit rows", () => {
  it("writes one row however often the same outcome arrives, also concurrently", async () => {
    const row = buildAuditRow(withOrder(paidEvent(), "600"));

    const results = await Promise.all([writeAuditRow(row, { documentClient, tableName, guardTableName }), writeAuditRow(row, { documentClient, tableName, guardTableName }), writeAuditRow(row, { documentClient, tableName, guardTableName })]);
    const again = await writeAuditRow(row, { documentClient, tableName, guardTableName });

    expect(results.map((r) => r.status).sort()).toEqual(["duplicate", "duplicate", "written"]);
    expect(again.status).toBe("duplicate");
    expect(await rowsOf("600")).toHaveLength(1);
  });

  it("writes one row for a re-published outcome that carries a later occurredAt under the same key", async () => {
    const first = buildAuditRow(withOrder(failedEvent(), "602"));
    const republished = { ...first, created_at: first.created_at + 60_000, eventId: "another-event" };

    await writeAuditRow(first, { documentClient, tableName, guardTableName });
    const again = await writeAuditRow(republished, { documentClient, tableName, guardTableName });

    expect(again).toEqual({ status: "duplicate", createdAt: first.created_at });
    expect(await rowsOf("602")).toHaveLength(1);
  });

  it("keeps two different outcomes of one order that share a millisecond", async () => {
    const paid = buildAuditRow(withOrder(paidEvent(), "601"));
    const failed = { ...buildAuditRow(withOrder(failedEvent(), "601")), created_at: paid.created_at };

    await writeAuditRow(paid, { documentClient, tableName, guardTableName });
    const second = await writeAuditRow(failed, { documentClient, tableName, guardTableName });
    const failedAgain = await writeAuditRow(failed, { documentClient, tableName, guardTableName });

    expect(second).toEqual({ status: "written", createdAt: paid.created_at + 1 });
    expect(failedAgain).toEqual({ status: "duplicate", createdAt: paid.created_at + 1 });
    expect((await rowsOf("601")).map((r) => r.idempotencyKey)).toEqual([paid.idempotencyKey, failed.idempotencyKey]);
  });

  it("reports a missing table as a non-retryable AuditLogError", async () => {
    const write = writeAuditRow(buildAuditRow(paidEvent()), { documentClient, tableName: "nope", guardTableName });

    await expect(write).rejects.toMatchObject({ name: "AuditLogError", retryable: false });
  });
});
