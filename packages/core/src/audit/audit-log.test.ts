import { DynamoDBDocumentClient, GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { FAILURE_REASONS, parseOrderOutcomeEvent, type FailureReason, type OrderOutcomeEvent } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { ensureTable, startDynalite, type DynaliteServer } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IDEMPOTENCY_TABLE_KEYS, processPaidOrderTableKeys } from "../config/table-keys";
import { occurredAtIsFixedByKey } from "../payment/outcome-events";
import { AUDIT_CREATED_AT_FORMATS, type AuditCreatedAtFormat } from "./audit-created-at";
import {
  AuditRowFormatError,
  buildAuditRow,
  readAuditRow,
  writeAuditRow,
  type AuditLogDependencies,
} from "./audit-log";

const idempotencyTableName = "idempotency-test";
const tableFor = (format: AuditCreatedAtFormat) => `audit-test-${format}`;
let dynalite: DynaliteServer;
let client: DynamoDBClient;
let documentClient: DynamoDBDocumentClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynalite.url, region: "ap-southeast-1" });
  for (const format of AUDIT_CREATED_AT_FORMATS)
    await ensureTable(client, tableFor(format), processPaidOrderTableKeys(format));
  await ensureTable(client, idempotencyTableName, IDEMPOTENCY_TABLE_KEYS);
  documentClient = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  documentClient.destroy();
  await dynalite.close();
});

const paidRaw = () =>
  readExampleEnvelope("OrderPaid.v1.json") as ReturnType<typeof readExampleEnvelope> & {
    detail: Record<string, unknown> & { order: Record<string, unknown> };
  };
const failedRaw = () =>
  readExampleEnvelope("OrderPaymentFailed.v1.json") as ReturnType<typeof readExampleEnvelope> & {
    detail: Record<string, unknown>;
  };
const paidEvent = () => parseOrderOutcomeEvent(paidRaw());
const failedEvent = () => parseOrderOutcomeEvent(failedRaw());
/** The recalculated order the OrderPaid example carries. */
const recalculatedOrder = () => paidRaw().detail.order;

/** The failure example with another reason; with `order`, the order it carries (as declines do). */
function failureWith(reason: FailureReason, order?: Record<string, unknown>): OrderOutcomeEvent {
  const raw = failedRaw();
  return parseOrderOutcomeEvent({
    ...raw,
    detail: {
      ...raw.detail,
      reason,
      paymentSucceeded: reason === "ALREADY_PAID",
      idempotencyKey: `492500005643:pay_wallet_zzz999:OrderPaymentFailed:${reason}`,
      ...(order ? { order } : {}),
    },
  });
}

const dependencies = (format: AuditCreatedAtFormat): AuditLogDependencies => ({
  documentClient,
  tableName: tableFor(format),
  idempotencyTableName,
  createdAtFormat: format,
});

async function rowsOf(format: AuditCreatedAtFormat, orderId: string) {
  return (
    (
      await documentClient.send(
        new QueryCommand({
          TableName: tableFor(format),
          KeyConditionExpression: "orderId = :o",
          ExpressionAttributeValues: { ":o": orderId },
        }),
      )
    ).Items ?? []
  );
}

/** The example outcome for another order (and so another idempotency key). */
function withOrder<T extends { detail: { orderId: string; idempotencyKey: string } }>(event: T, orderId: string): T {
  return {
    ...event,
    detail: { ...event.detail, orderId, idempotencyKey: event.detail.idempotencyKey.replace(/^\d+/, orderId) },
  };
}

describe("audit row", () => {
  it("stores the recalculated order for OrderPaid as a JSON string, keyed by orderId and occurredAt in epoch ms", () => {
    const row = buildAuditRow(paidEvent());

    expect(row).toMatchObject({
      orderId: "492500005643",
      created_at: Date.parse("2026-11-29T10:00:01.234Z"),
      is_error: false,
      reason: null,
      paymentId: "pay_wallet_abc123",
      eventId: "7c1d0a55-2b9e-4e0f-8d3c-1a2b3c4d5e01",
      idempotencyKey: "492500005643:pay_wallet_abc123:OrderPaid",
      dataTruncated: false,
    });
    expect(row.data).toBeTypeOf("string");
    expect(JSON.parse(row.data)).toEqual(recalculatedOrder());
  });

  it("stores a declined payment as no error, with the recalculated order the event carries", () => {
    const order = { ...recalculatedOrder(), grandTotal: 280, discount: 70 };

    const row = buildAuditRow(failureWith("PAYMENT_DECLINED", order));

    expect(row).toMatchObject({
      outcome: "OrderPaymentFailed",
      reason: "PAYMENT_DECLINED",
      is_error: false,
      dataTruncated: false,
    });
    expect(JSON.parse(row.data)).toEqual(order);
  });

  it("stores the failure details of a declined payment whose event carries no order (events from before declines carried it)", () => {
    const row = buildAuditRow(failureWith("PAYMENT_DECLINED"));

    expect(row.is_error).toBe(false);
    expect(JSON.parse(row.data)).toEqual({
      reason: "PAYMENT_DECLINED",
      message: expect.any(String),
      retryable: false,
      paymentSucceeded: false,
      amount: 300,
      channel: "wallet",
    });
  });

  it.each(FAILURE_REASONS.filter((reason) => reason !== "PAYMENT_DECLINED"))(
    "stores %s as an error, with the failure details as a JSON string",
    (reason) => {
      const row = buildAuditRow(failureWith(reason, recalculatedOrder()));

      expect(row.is_error).toBe(true);
      expect(row.reason).toBe(reason);
      expect(JSON.parse(row.data)).toEqual({
        reason,
        message: expect.any(String),
        retryable: false,
        paymentSucceeded: reason === "ALREADY_PAID",
        amount: 300,
        channel: "wallet",
      });
    },
  );

  it("drops items from a row that would pass DynamoDB's 400 KB item limit", () => {
    const event = paidEvent() as Extract<OrderOutcomeEvent, { "detail-type": "OrderPaid" }>;
    const items = Array.from({ length: 3000 }, (_, n) => ({
      sku: `S${n}`,
      name: "x".repeat(150),
      quantity: 1,
      unitPrice: 1,
    }));
    const big = { ...event, detail: { ...event.detail, order: { ...event.detail.order, items } } };

    const row = buildAuditRow(big);

    expect(row.dataTruncated).toBe(true);
    expect(JSON.parse(row.data)).toEqual({ ...recalculatedOrder(), items: undefined });
    expect(JSON.parse(row.data)).not.toHaveProperty("items");
  });

  it("measures the row as written: UTF-8 bytes of the data string, not the JSON of the row with its data escaped again", () => {
    const event = paidEvent() as Extract<OrderOutcomeEvent, { "detail-type": "OrderPaid" }>;
    // Thai names, 3 bytes a character: about 180 K characters of data, but 430 KB of UTF-8.
    const thaiItems = Array.from({ length: 1000 }, (_, n) => ({
      sku: `S${n}`,
      name: "ชาไทย".repeat(26),
      quantity: 1,
      unitPrice: 1,
    }));
    // About 325 KB of data, but 610 KB once the row itself is JSON-encoded (every quote escaped twice).
    const quotedItems = Array.from({ length: 1000 }, (_, n) => ({
      sku: `S${n}`,
      name: '"'.repeat(140),
      quantity: 1,
      unitPrice: 1,
    }));
    const withItems = (items: unknown[]) => ({
      ...event,
      detail: { ...event.detail, order: { ...event.detail.order, items } },
    });

    const thai = buildAuditRow(withItems(thaiItems));
    const quoted = buildAuditRow(withItems(quotedItems));

    expect(thai.dataTruncated).toBe(true);
    expect(quoted.dataTruncated).toBe(false);
    expect(Buffer.byteLength(quoted.data, "utf8")).toBeLessThan(350 * 1024);
    expect(Buffer.byteLength(JSON.stringify(quoted), "utf8")).toBeGreaterThan(350 * 1024);
  });
});

describe("reading audit rows back", () => {
  const order = { orderId: "492500005643", grandTotal: 300 };

  it.each([
    ["epoch milliseconds", 1_796_205_600_123, 1_796_205_600_123],
    ["epoch seconds", 1_796_205_600, 1_796_205_600_000],
    ["fractional epoch seconds (Python's time.time())", 1_796_205_600.123, 1_796_205_600_123],
    ["epoch milliseconds read as a numeric string", "1796205600123", 1_796_205_600_123],
    ["ISO 8601 in UTC", "2026-12-02T10:00:00.123Z", 1_796_205_600_123],
    ["ISO 8601 with an offset", "2026-12-02T17:00:00.123+07:00", 1_796_205_600_123],
    ["ISO 8601 without a zone (read as UTC)", "2026-12-02T10:00:00.123", 1_796_205_600_123],
  ])("reads created_at in %s", (_format, createdAt, millis) => {
    const row = readAuditRow({
      orderId: "492500005643",
      created_at: createdAt,
      data: JSON.stringify(order),
      is_error: false,
    });

    expect(row.createdAtMillis).toBe(millis);
    expect(row.created_at).toBe(createdAt);
    expect(row.data).toEqual(order);
  });

  it("reads a legacy row (only orderId, created_at, data and is_error) and a data map of an earlier build", () => {
    const legacy = readAuditRow({
      orderId: "1",
      created_at: 1_796_205_600,
      data: JSON.stringify(order),
      is_error: true,
    });
    const earlier = readAuditRow({
      orderId: "1",
      created_at: 1_796_205_600_000,
      data: order,
      is_error: false,
      outcome: "OrderPaid",
    });

    expect(legacy).toEqual({
      orderId: "1",
      created_at: 1_796_205_600,
      createdAtMillis: 1_796_205_600_000,
      data: order,
      is_error: true,
    });
    expect(earlier).toMatchObject({ data: order, outcome: "OrderPaid", is_error: false });
  });

  it.each([
    [
      { created_at: "yesterday", data: "{}" },
      'created_at "yesterday" is neither epoch milliseconds, epoch seconds nor an ISO 8601 time',
    ],
    [{ created_at: "Dec 2, 2026", data: "{}" }, 'created_at "Dec 2, 2026" is neither'],
    [{ created_at: 1, data: "{not json" }, "data is not JSON"],
    [{ created_at: 1, data: "[1]" }, "data must be a JSON object, got [1]"],
  ])("refuses %o with an AuditRowFormatError saying what is wrong", (attributes, message) => {
    const read = () => readAuditRow({ orderId: "1", is_error: false, ...attributes });

    expect(read).toThrow(AuditRowFormatError);
    expect(read).toThrow(message);
  });
});

describe.each(AUDIT_CREATED_AT_FORMATS)("writing audit rows with created_at as %s", (format) => {
  // Each format gets its own orders, as the guard table is shared and pins row times per idempotency key.
  const prefix = { "epoch-millis": "61", "epoch-seconds": "62", "iso-8601": "63" }[format];
  const occurredAt = Date.parse("2026-11-29T10:00:01.234Z");
  const expected = {
    "epoch-millis": { type: "N", value: occurredAt, next: occurredAt + 1 },
    "epoch-seconds": { type: "N", value: Math.floor(occurredAt / 1000), next: Math.floor(occurredAt / 1000) + 1 },
    "iso-8601": { type: "S", value: "2026-11-29T10:00:01.234Z", next: "2026-11-29T10:00:01.235Z" },
  }[format];
  const rawAttributes = async (orderId: string, createdAt: number | string) =>
    (
      await client.send(
        new GetItemCommand({
          TableName: tableFor(format),
          Key: {
            orderId: { S: orderId },
            created_at: expected.type === "N" ? { N: String(createdAt) } : { S: String(createdAt) },
          },
          ConsistentRead: true,
        }),
      )
    ).Item;

  it("writes created_at with the format's DynamoDB type and value, data as a String holding the order, is_error as a Boolean", async () => {
    const orderId = `${prefix}0`;

    const result = await writeAuditRow(buildAuditRow(withOrder(paidEvent(), orderId)), dependencies(format));

    expect(result).toEqual({ status: "written", createdAt: expected.value });
    const item = await rawAttributes(orderId, expected.value);
    expect(item?.created_at).toEqual({ [expected.type]: String(expected.value) });
    expect(item?.is_error).toEqual({ BOOL: false });
    expect(Object.keys(item?.data ?? {})).toEqual(["S"]);
    expect(JSON.parse(item!.data!.S!)).toEqual(recalculatedOrder());
    const [stored] = await rowsOf(format, orderId);
    expect(typeof stored?.created_at).toBe(expected.type === "N" ? "number" : "string");
    expect(readAuditRow(stored!)).toMatchObject({
      createdAtMillis: format === "epoch-seconds" ? Math.floor(occurredAt / 1000) * 1000 : occurredAt,
      data: recalculatedOrder(),
    });
  });

  it("writes a declined payment's row as no error, holding the order the event carries", async () => {
    const orderId = `${prefix}1`;
    const order = { ...recalculatedOrder(), orderId, grandTotal: 280 };

    const result = await writeAuditRow(
      buildAuditRow(withOrder(failureWith("PAYMENT_DECLINED", order), orderId)),
      dependencies(format),
    );

    const item = await rawAttributes(orderId, result.createdAt);
    expect(item?.is_error).toEqual({ BOOL: false });
    expect(item?.reason).toEqual({ S: "PAYMENT_DECLINED" });
    expect(JSON.parse(item!.data!.S!)).toEqual(order);
  });

  it("writes one row however often the same outcome arrives, also concurrently", async () => {
    const orderId = `${prefix}2`;
    const row = buildAuditRow(withOrder(paidEvent(), orderId));

    const results = await Promise.all([1, 2, 3].map(() => writeAuditRow(row, dependencies(format))));
    const again = await writeAuditRow(row, dependencies(format));

    expect(results.map((r) => r.status).sort()).toEqual(["duplicate", "duplicate", "written"]);
    expect(again).toEqual({ status: "duplicate", createdAt: expected.value });
    expect(await rowsOf(format, orderId)).toHaveLength(1);
  });

  it("writes one row for a re-published outcome that carries a later occurredAt under the same key", async () => {
    const orderId = `${prefix}3`;
    const first = buildAuditRow(withOrder(paidEvent(), orderId));
    const republished = { ...first, created_at: first.created_at + 60_000, eventId: "another-event" };

    await writeAuditRow(first, dependencies(format));
    const again = await writeAuditRow(republished, dependencies(format));

    expect(again).toEqual({ status: "duplicate", createdAt: expected.value });
    expect(await rowsOf(format, orderId)).toHaveLength(1);
  });

  it("moves a different outcome of the same order that falls on a taken created_at on by one unit of the format", async () => {
    const orderId = `${prefix}4`;
    const paid = buildAuditRow(withOrder(paidEvent(), orderId));
    // Within the same second, but a later millisecond: a collision for epoch-seconds only, unless pinned to the same millisecond.
    const failed = { ...buildAuditRow(withOrder(failedEvent(), orderId)), created_at: paid.created_at };

    await writeAuditRow(paid, dependencies(format));
    const second = await writeAuditRow(failed, dependencies(format));
    const failedAgain = await writeAuditRow(failed, dependencies(format));

    expect(second).toEqual({ status: "written", createdAt: expected.next });
    expect(failedAgain).toEqual({ status: "duplicate", createdAt: expected.next });
    expect((await rowsOf(format, orderId)).map((r) => [r.created_at, r.idempotencyKey])).toEqual([
      [expected.value, paid.idempotencyKey],
      [expected.next, failed.idempotencyKey],
    ]);
  });
});

describe("the audit row time: pinned only where a later copy of the outcome can carry another occurredAt", () => {
  it("knows which outcomes carry the same occurredAt every time: all but ORDER_NOT_FOUND and INVALID_EVENT (and an attempt's retryable failure, whose key holds its time)", () => {
    const failed = failedEvent();
    const retryable = parseOrderOutcomeEvent({
      ...failedRaw(),
      detail: { ...failedRaw().detail, reason: "COST_CALCULATION_FAILED", retryable: true },
    });

    const fixed = Object.fromEntries(
      FAILURE_REASONS.map((reason) => [reason, occurredAtIsFixedByKey(failureWith(reason))]),
    );

    expect(occurredAtIsFixedByKey(paidEvent())).toBe(true);
    expect(failed.detail).toMatchObject({ retryable: false });
    expect(occurredAtIsFixedByKey(retryable)).toBe(true);
    expect(fixed).toEqual({
      PAYMENT_DECLINED: true,
      ORDER_NOT_FOUND: false,
      COST_CALCULATION_FAILED: false,
      ORDER_STORE_UNAVAILABLE: false,
      ALREADY_PAID: true,
      AMOUNT_MISMATCH: true,
      INVALID_EVENT: false,
    });
  });

  it("writes an outcome whose occurredAt is fixed by its key with one conditional put, no pin; a copy is still a duplicate", async () => {
    const row = buildAuditRow(withOrder(paidEvent(), "660"));
    const sent: string[] = [];
    const counting = {
      send(command: Parameters<DynamoDBDocumentClient["send"]>[0]) {
        sent.push(command.constructor.name);
        return documentClient.send(command);
      },
    } as unknown as DynamoDBDocumentClient;
    const deps = { ...dependencies("epoch-millis"), documentClient: counting };

    const first = await writeAuditRow(row, deps, { occurredAtFixedByKey: true });
    const firstRequests = sent.splice(0);
    const again = await writeAuditRow(row, deps, { occurredAtFixedByKey: true });
    const pin = await documentClient.send(
      new GetCommand({ TableName: idempotencyTableName, Key: { id: `audit-log#${row.idempotencyKey}` } }),
    );

    expect(first).toEqual({ status: "written", createdAt: row.created_at });
    expect(firstRequests).toEqual(["PutCommand"]);
    expect(again).toEqual({ status: "duplicate", createdAt: row.created_at });
    expect(sent).toEqual(["PutCommand", "GetCommand"]);
    expect(pin.Item).toBeUndefined();
    expect(await rowsOf("epoch-millis", "660")).toHaveLength(1);
  });

  it("writes one row for ORDER_NOT_FOUND published again with a later occurredAt (the callback sent the confirmation again): its time is pinned", async () => {
    const first = withOrder(failureWith("ORDER_NOT_FOUND"), "661");
    const later = parseOrderOutcomeEvent({
      ...first,
      detail: { ...first.detail, occurredAt: "2026-11-29T10:05:00.000Z" },
    });
    const options = { occurredAtFixedByKey: occurredAtIsFixedByKey(first) };

    const written = await writeAuditRow(buildAuditRow(first), dependencies("epoch-millis"), options);
    const again = await writeAuditRow(buildAuditRow(later), dependencies("epoch-millis"), options);

    expect(options.occurredAtFixedByKey).toBe(false);
    expect(again).toEqual({ status: "duplicate", createdAt: written.createdAt });
    expect(await rowsOf("epoch-millis", "661")).toHaveLength(1);
  });
});

describe("writing audit rows: the step between formats, and failures", () => {
  it("moves an outcome 500 ms after another of the same order to the next second in epoch-seconds, but not in epoch-millis", async () => {
    const paid = buildAuditRow(withOrder(paidEvent(), "640"));
    const failed = { ...buildAuditRow(withOrder(failedEvent(), "640")), created_at: paid.created_at + 500 };
    const paidMillis = buildAuditRow(withOrder(paidEvent(), "641"));
    const failedMillis = { ...buildAuditRow(withOrder(failedEvent(), "641")), created_at: paid.created_at + 500 };

    await writeAuditRow(paid, dependencies("epoch-seconds"));
    const seconds = await writeAuditRow(failed, dependencies("epoch-seconds"));
    await writeAuditRow(paidMillis, dependencies("epoch-millis"));
    const millis = await writeAuditRow(failedMillis, dependencies("epoch-millis"));

    expect(seconds.createdAt).toBe(Math.floor(paid.created_at / 1000) + 1);
    expect(millis.createdAt).toBe(paid.created_at + 500);
  });

  it("reports a created_at the table's key type refuses as a non-transient AuditLogError naming AUDIT_CREATED_AT_FORMAT", async () => {
    const row = buildAuditRow(withOrder(paidEvent(), "650"));

    const write = writeAuditRow(row, { ...dependencies("epoch-millis"), createdAtFormat: "iso-8601" });

    await expect(write).rejects.toMatchObject({
      name: "AuditLogError",
      transient: false,
      message: expect.stringContaining("set AUDIT_CREATED_AT_FORMAT to the format the table was created with"),
    });
  });

  it("reports a missing table as a non-transient AuditLogError", async () => {
    const write = writeAuditRow(buildAuditRow(paidEvent()), { ...dependencies("epoch-millis"), tableName: "nope" });

    await expect(write).rejects.toMatchObject({ name: "AuditLogError", transient: false });
  });
});
