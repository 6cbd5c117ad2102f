import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startDynalite, type DynaliteServer } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_TABLE_KEYS } from "../config/table-keys";
import { buildPaymentHeader } from "../payment/payment-header";
import { OrderChangedError, OrderStoreError } from "./order-errors";
import type { PaymentOutcomeRecord } from "../payment/recorded-outcome";
import type { FinalOutcomeWrite } from "./order";
import { createOrderRepository } from "./order-repository";

const tableName = "order-table-test";
let dynalite: DynaliteServer;
let documentClient: DynamoDBDocumentClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  const client = new DynamoDBClient({ endpoint: dynalite.url, region: "ap-southeast-1" });
  await ensureTable(client, tableName, ORDER_TABLE_KEYS);
  documentClient = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  documentClient.destroy();
  await dynalite.close();
});

const header = (paymentId: string, success: boolean) =>
  buildPaymentHeader({
    paymentId,
    success,
    amount: 300,
    channel: "wallet",
    processedAt: new Date("2026-11-29T10:00:00Z"),
    amountReported: true,
  });

async function seed(orderId: string, extra: Record<string, unknown> = {}) {
  await documentClient.send(
    new PutCommand({ TableName: tableName, Item: { orderId, status: "NEW", grandTotal: 300, ...extra } }),
  );
}

describe("order repository", () => {
  const orders = () => createOrderRepository({ documentClient, tableName });
  const record = (paymentId: string, outcome: PaymentOutcomeRecord["outcome"] = "OrderPaid"): PaymentOutcomeRecord => ({
    outcome,
    idempotencyKey: `k:${paymentId}:${outcome}`,
    occurredAt: "2026-11-29T10:00:00.000Z",
    amount: 300,
    channel: "wallet",
    paymentSucceeded: outcome !== "PAYMENT_DECLINED",
  });
  const applied = (
    paymentId: string,
    success: boolean,
    recalculatedOrder?: Record<string, unknown>,
  ): FinalOutcomeWrite => ({
    paymentId,
    record: record(paymentId, success ? "OrderPaid" : "PAYMENT_DECLINED"),
    header: header(paymentId, success),
    ...(recalculatedOrder ? { recalculatedOrder } : {}),
  });
  const read = async (orderId: string) => (await orders().getOrder(orderId))!;

  it("returns undefined for an order that does not exist", async () => {
    expect(await orders().getOrder("999")).toBeUndefined();
  });

  it("saves a paid header, the outcome record and the recalculated fields in one write, keeping other fields", async () => {
    await seed("100", { status: "NEW", ownedByOthers: "keep me" });

    await orders().saveFinalOutcome(
      await read("100"),
      applied("p1", true, {
        orderId: "100",
        grandTotal: 280,
        subtotal: 300,
        paymentOutcomes: "ignored",
        payment: "ignored",
      }),
    );

    expect(await orders().getOrder("100")).toEqual({
      orderId: "100",
      status: "NEW",
      ownedByOthers: "keep me",
      grandTotal: 280,
      subtotal: 300,
      payment: header("p1", true),
      paymentOutcomes: { p1: record("p1") },
    });
  });

  it("refuses to overwrite a paid header, with a domain error instead of the SDK's, and records nothing", async () => {
    await seed("101");
    const unpaid = await read("101");
    await orders().saveFinalOutcome(unpaid, applied("p1", true));

    const second = orders().saveFinalOutcome(await read("101"), applied("p2", true));

    await expect(second).rejects.toBeInstanceOf(OrderChangedError);
    await expect(second).rejects.toThrow("order 101 changed since it was read");
    expect(await read("101")).toMatchObject({ payment: { paymentId: "p1" }, paymentOutcomes: { p1: record("p1") } });
    expect((await read("101")).paymentOutcomes).not.toHaveProperty("p2");
  });

  it("refuses to write over an order another payment flow marked paid (payment.isPaid true), leaving its header as it was", async () => {
    const qrHeader = {
      paymentId: "qr-991",
      isPaid: true,
      paymentMethod: "qr",
      totalPaid: 300,
      paidDate: 1_795_000_000,
      ref: { bank: "SCB" },
    };
    await seed("108", { payment: qrHeader });

    const write = orders().saveFinalOutcome(await read("108"), applied("p1", true));
    // Even a stale read that saw no header cannot win: the condition checks payment.isPaid itself.
    const staleWrite = orders().saveFinalOutcome({ orderId: "108" }, applied("p2", true));

    await expect(write).rejects.toBeInstanceOf(OrderChangedError);
    await expect(staleWrite).rejects.toBeInstanceOf(OrderChangedError);
    expect((await read("108")).payment).toEqual(qrHeader);
  });

  it("writes over another flow's unpaid header (payment.isPaid false), as a payment of that order may", async () => {
    await seed("109", { payment: { paymentId: "card-1", isPaid: false, paymentMethod: "card" } });

    await orders().saveFinalOutcome(await read("109"), applied("p1", true));

    expect((await read("109")).payment).toEqual(header("p1", true));
  });

  it("records a rejection on a paid order without touching its header", async () => {
    await seed("104");
    await orders().saveFinalOutcome(await read("104"), applied("p1", true));

    await orders().saveFinalOutcome(await read("104"), { paymentId: "p2", record: record("p2", "ALREADY_PAID") });

    expect(await read("104")).toMatchObject({
      payment: header("p1", true),
      paymentOutcomes: { p1: record("p1"), p2: record("p2", "ALREADY_PAID") },
    });
  });

  it("records one outcome per payment: a second record for the same payment fails, whether or not the map existed when read", async () => {
    await seed("105");
    const beforeAnyOutcome = await read("105");
    await orders().saveFinalOutcome(beforeAnyOutcome, { paymentId: "p1", record: record("p1", "AMOUNT_MISMATCH") });

    const staleFirst = orders().saveFinalOutcome(beforeAnyOutcome, {
      paymentId: "p1",
      record: record("p1", "ALREADY_PAID"),
    });
    await expect(staleFirst).rejects.toBeInstanceOf(OrderChangedError);
    const again = orders().saveFinalOutcome(await read("105"), {
      paymentId: "p1",
      record: record("p1", "ALREADY_PAID"),
    });
    await expect(again).rejects.toBeInstanceOf(OrderChangedError);

    expect((await read("105")).paymentOutcomes).toEqual({ p1: record("p1", "AMOUNT_MISMATCH") });
  });

  it("detects another payment's first outcome between read and write (the map appeared), so the caller decides again", async () => {
    await seed("106");
    const asRead = await read("106");
    await orders().saveFinalOutcome(asRead, { paymentId: "p1", record: record("p1", "AMOUNT_MISMATCH") });

    const write = orders().saveFinalOutcome(asRead, { paymentId: "p2", record: record("p2", "AMOUNT_MISMATCH") });

    await expect(write).rejects.toBeInstanceOf(OrderChangedError);
    await orders().saveFinalOutcome(await read("106"), { paymentId: "p2", record: record("p2", "AMOUNT_MISMATCH") });
    expect(Object.keys((await read("106")).paymentOutcomes!).sort()).toEqual(["p1", "p2"]);
  });

  it("lets a successful payment replace a declined one", async () => {
    await seed("102");
    await orders().saveFinalOutcome(await read("102"), applied("p1", false));

    await orders().saveFinalOutcome(await read("102"), applied("p2", true));

    expect(await read("102")).toMatchObject({
      payment: { paymentId: "p2", isPaid: true },
      paymentOutcomes: { p1: record("p1", "PAYMENT_DECLINED"), p2: record("p2") },
    });
  });

  it("keeps paymentIds that look like document paths as one map key", async () => {
    await seed("107", { paymentOutcomes: {} });

    await orders().saveFinalOutcome(await read("107"), {
      paymentId: "a.b[0]",
      record: record("a.b[0]", "AMOUNT_MISMATCH"),
    });

    expect((await read("107")).paymentOutcomes).toEqual({ "a.b[0]": record("a.b[0]", "AMOUNT_MISMATCH") });
  });

  it("never creates an order that does not exist", async () => {
    const write = orders().saveFinalOutcome({ orderId: "103" }, applied("p1", true));

    await expect(write).rejects.toBeInstanceOf(OrderChangedError);
    expect(await orders().getOrder("103")).toBeUndefined();
  });

  it("reports an unreachable table as a transient OrderStoreError", async () => {
    const unreachable = DynamoDBDocumentClient.from(
      new DynamoDBClient({ endpoint: "http://127.0.0.1:9", region: "ap-southeast-1", maxAttempts: 1 }),
    );

    const read = createOrderRepository({ documentClient: unreachable, tableName }).getOrder("100");

    await expect(read).rejects.toBeInstanceOf(OrderStoreError);
    await expect(read).rejects.toMatchObject({
      transient: true,
      message: expect.stringContaining("could not read order 100 in table order-table-test"),
    });
  });

  it("reports a missing table as a non-transient OrderStoreError that says what to check", async () => {
    const read = createOrderRepository({ documentClient, tableName: "no-such-table" }).getOrder("100");

    await expect(read).rejects.toMatchObject({
      name: "OrderStoreError",
      transient: false,
      message: expect.stringContaining("check the table name"),
    });
  });
});
