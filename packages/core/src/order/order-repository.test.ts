import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable, startDynalite, type DynaliteServer } from "@payment3/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORDER_TABLE_KEYS } from "../config/table-keys";
import { buildPaymentHeader } from "../payment/payment-header";
import { OrderAlreadyPaidError, OrderStoreError } from "./order-errors";
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
  buildPaymentHeader({ paymentId, success, amount: 300, channel: "wallet", processedAt: new Date("2026-11-29T10:00:00Z") });

async function seed(orderId: string, extra: Record<string, unknown> = {}) {
  await documentClient.send(new PutCommand({ TableName: tableName, Item: { orderId, status: "NEW", grandTotal: 300, ...extra } }));
}

describe("order repository", () => {
  const orders = () => createOrderRepository({ documentClient, tableName });

  it("returns undefined for an order that does not exist", async () => {
    expect(await orders().getOrder("999")).toBeUndefined();
  });

  it("saves a paid header and the recalculated fields in one write, keeping other fields", async () => {
    await seed("100", { status: "NEW", ownedByOthers: "keep me" });

    await orders().savePaymentHeader("100", header("p1", true), { orderId: "100", grandTotal: 280, subtotal: 300 });

    expect(await orders().getOrder("100")).toEqual({
      orderId: "100", status: "NEW", ownedByOthers: "keep me", grandTotal: 280, subtotal: 300, paymentHeader: header("p1", true),
    });
  });

  it("refuses to overwrite a paid header, with a domain error instead of the SDK's", async () => {
    await seed("101");
    await orders().savePaymentHeader("101", header("p1", true));

    const second = orders().savePaymentHeader("101", header("p2", true));

    await expect(second).rejects.toBeInstanceOf(OrderAlreadyPaidError);
    expect((await orders().getOrder("101"))?.paymentHeader?.paymentId).toBe("p1");
  });

  it("lets a successful payment replace a declined one", async () => {
    await seed("102");
    await orders().savePaymentHeader("102", header("p1", false));

    await orders().savePaymentHeader("102", header("p2", true));

    expect((await orders().getOrder("102"))?.paymentHeader).toMatchObject({ paymentId: "p2", isPaid: true });
  });

  it("never creates an order that does not exist", async () => {
    const write = orders().savePaymentHeader("103", header("p1", true));

    await expect(write).rejects.toBeInstanceOf(OrderAlreadyPaidError);
    expect(await orders().getOrder("103")).toBeUndefined();
  });

  it("reports an unreachable table as a retryable OrderStoreError", async () => {
    const unreachable = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: "http://127.0.0.1:9", region: "ap-southeast-1", maxAttempts: 1 }));

    const read = createOrderRepository({ documentClient: unreachable, tableName }).getOrder("100");

    await expect(read).rejects.toBeInstanceOf(OrderStoreError);
    await expect(read).rejects.toMatchObject({ retryable: true, message: expect.stringContaining("could not read order 100 in table order-table-test") });
  });

  it("reports a missing table as a non-retryable OrderStoreError that says what to check", async () => {
    const read = createOrderRepository({ documentClient, tableName: "no-such-table" }).getOrder("100");

    await expect(read).rejects.toMatchObject({ name: "OrderStoreError", retryable: false, message: expect.stringContaining("check the table name") });
  });
});
