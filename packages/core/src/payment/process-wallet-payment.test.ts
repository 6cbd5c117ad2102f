import { CreateEventBusCommand, EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { readExampleEnvelope } from "@payment3/events/examples";
import type { OrderPaid, OrderPaymentFailed } from "@payment3/events";
import { ensureTable, startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { calculateCostStandIn } from "../cost/calculate-cost-stand-in";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAwsClients } from "../aws/aws-clients";
import { loadConfig } from "../config/config";
import { ORDER_TABLE_KEYS } from "../config/table-keys";
import { silentLogger } from "../logger";
import { createBusinessMetricsCounter } from "../metrics/business-metrics";
import { createProcessorDependencies } from "../processor-dependencies";
import { handleWalletPaymentConfirmedEvent, UnattributableEventError } from "./handle-confirmation-event";
import type { ProcessorDependencies } from "./process-wallet-payment";

const BUS = "payment3-test";
let stack: AwsLocal;
let deps: ProcessorDependencies;
let documentClient: DynamoDBDocumentClient;
const config = () =>
  loadConfig({ BRANCH: "test", EVENT_BUS_NAME: BUS, AWS_ENDPOINT_URL: stack.url, AWS_REGION: "ap-southeast-1" });

const legacyEnvelope = readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json");
let sequence = 0;

/** A confirmation envelope as the bus delivers it, for an order and payment of the test's choosing. */
function confirmation(detail: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    ...legacyEnvelope,
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`,
    detail,
    ...overrides,
  };
}

function order(orderId: string, extra: Record<string, unknown> = {}) {
  return {
    orderId,
    customer: { name: "Somchai", email: "somchai@example.com", locale: "th" },
    items: [
      { sku: "TEA-001", name: "Thai tea", quantity: 2, unitPrice: 120 },
      { sku: "MUG-002", name: "Mug", quantity: 1, unitPrice: 90 },
    ],
    shipping: 20,
    discounts: [{ code: "WELCOME50", amount: 50 }],
    ...extra,
  };
}

async function seedOrder(orderId: string, extra: Record<string, unknown> = {}) {
  await documentClient.send(new PutCommand({ TableName: config().orderTableName, Item: order(orderId, extra) }));
}

async function storedOrder(orderId: string) {
  return (
    await documentClient.send(
      new GetCommand({ TableName: config().orderTableName, Key: { orderId }, ConsistentRead: true }),
    )
  ).Item;
}

/** Outcomes the processor put on the bus for an order, oldest first. */
function outcomesFor(orderId: string) {
  return stack.eventBridge
    .listAcceptedEvents(BUS)
    .map((accepted) => accepted.event)
    .filter((event) => (event.detail as { orderId?: string }).orderId === orderId)
    .map((event) => ({
      detailType: event["detail-type"],
      source: event.source,
      detail: event.detail as OrderPaid & OrderPaymentFailed,
    }));
}

beforeAll(async () => {
  stack = await startAwsLocal({ functions: new Map([["calculate-cost-3-master", calculateCostStandIn]]) });
  await new EventBridgeClient({ endpoint: stack.url, region: "ap-southeast-1" }).send(
    new CreateEventBusCommand({ Name: BUS }),
  );
  await ensureTable(stack.dynamoDb, config().orderTableName, ORDER_TABLE_KEYS);
  const clients = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  documentClient = clients.documentClient;
});
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => {
  deps = createProcessorDependencies(config());
});

describe("processing a wallet payment confirmation", () => {
  it("marks the documented example order 492500005643 paid with a wallet header and publishes exactly one OrderPaid", async () => {
    await seedOrder("492500005643");

    const result = await handleWalletPaymentConfirmedEvent(legacyEnvelope, deps);

    const saved = await storedOrder("492500005643");
    expect(saved?.payment).toMatchObject({
      paymentId: "pay_wallet_abc123",
      isPaid: true,
      paymentMethod: "wallet",
      totalPaid: 300,
      channel: "wallet",
      overpaidAmount: 0,
    });
    expect(saved).toMatchObject({ subtotal: 330, grandTotal: 300, basketName: "492500005643" });
    const outcomes = outcomesFor("492500005643");
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({
      detailType: "OrderPaid",
      source: "payment3.processor",
      detail: {
        idempotencyKey: "492500005643:pay_wallet_abc123:OrderPaid",
        paymentId: "pay_wallet_abc123",
        amount: 300,
        order: { grandTotal: 300 },
        orderTruncated: false,
      },
    });
    expect(result).toMatchObject({
      resolution: "applied",
      eventId: stack.eventBridge.listAcceptedEvents(BUS).at(-1)?.event.id,
    });
  });

  it("writes isPaid false for a declined payment and publishes PAYMENT_DECLINED", async () => {
    await seedOrder("200");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "200", paymentId: "p-decl", success: false, amount: 300 }),
      deps,
    );

    expect((await storedOrder("200"))?.payment).toMatchObject({ paymentId: "p-decl", isPaid: false, paidAt: null });
    expect(outcomesFor("200")).toEqual([
      expect.objectContaining({
        detailType: "OrderPaymentFailed",
        // The decline email needs the address, items and total, so the event carries the order.
        detail: expect.objectContaining({
          reason: "PAYMENT_DECLINED",
          retryable: false,
          order: expect.objectContaining({
            orderId: "200",
            customer: expect.objectContaining({ email: "somchai@example.com" }),
            items: expect.any(Array),
          }),
        }),
      }),
    ]);
  });

  it("leaves a paid order paid when a decline for another payment arrives, reporting ALREADY_PAID with no refund", async () => {
    await seedOrder("201");
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "201", paymentId: "p-ok", success: true, amount: 300 }),
      deps,
    );

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "201", paymentId: "p-late-decline", success: false, amount: 300 }),
      deps,
    );

    expect((await storedOrder("201"))?.payment).toMatchObject({ paymentId: "p-ok", isPaid: true });
    expect(outcomesFor("201").at(-1)?.detail).toMatchObject({
      reason: "ALREADY_PAID",
      paymentSucceeded: false,
      message: expect.stringContaining("needs no refund"),
    });
  });

  it("pays an order with a new payment after an earlier one was declined", async () => {
    await seedOrder("202");
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "202", paymentId: "p-1", success: false, amount: 300 }),
      deps,
    );

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "202", paymentId: "p-2", success: true, amount: 300 }),
      deps,
    );

    expect((await storedOrder("202"))?.payment).toMatchObject({ paymentId: "p-2", isPaid: true });
    expect(outcomesFor("202").map((o) => o.detailType)).toEqual(["OrderPaymentFailed", "OrderPaid"]);
  });

  it("handles the same event twice: one header, both runs publish the same idempotency key and occurredAt", async () => {
    await seedOrder("300");
    const event = confirmation({ orderId: "300", paymentId: "p-dup", success: true, amount: 300 });

    const first = await handleWalletPaymentConfirmedEvent(event, deps);
    const headerAfterFirst = (await storedOrder("300"))?.payment;
    const second = await handleWalletPaymentConfirmedEvent(event, deps);

    expect((await storedOrder("300"))?.payment).toEqual(headerAfterFirst);
    expect([first.resolution, second.resolution]).toEqual(["applied", "redelivered"]);
    const outcomes = outcomesFor("300");
    expect(outcomes).toHaveLength(2);
    expect(outcomes[1]?.detail).toEqual(outcomes[0]?.detail);
  });

  it("handles the same event twice concurrently: one header, the same idempotency key", async () => {
    await seedOrder("301");
    const event = confirmation({ orderId: "301", paymentId: "p-race", success: true, amount: 300 });

    const results = await Promise.all([
      handleWalletPaymentConfirmedEvent(event, deps),
      handleWalletPaymentConfirmedEvent(event, deps),
    ]);

    expect(results.map((r) => r.resolution).sort()).toEqual(["applied", "redelivered"]);
    const outcomes = outcomesFor("301");
    expect(outcomes.map((o) => o.detail.idempotencyKey)).toEqual(["301:p-race:OrderPaid", "301:p-race:OrderPaid"]);
    expect(outcomes[0]?.detail.occurredAt).toBe(outcomes[1]?.detail.occurredAt);
    expect((await storedOrder("301"))?.payment?.processedAt).toBe(outcomes[0]?.detail.occurredAt);
  });

  it("heals a crash between 'order saved' and 'event published' when the event is redelivered", async () => {
    await seedOrder("302");
    const event = confirmation({ orderId: "302", paymentId: "p-crash", success: true, amount: 300 });
    const crashingPublisher = {
      publish: async () => {
        throw new Error("process killed before PutEvents");
      },
    };

    await expect(handleWalletPaymentConfirmedEvent(event, { ...deps, publisher: crashingPublisher })).rejects.toThrow(
      "process killed",
    );
    const afterCrash = outcomesFor("302");
    const healed = await handleWalletPaymentConfirmedEvent(event, deps);

    expect(afterCrash).toEqual([]);
    expect(healed.resolution).toBe("redelivered");
    const header = (await storedOrder("302"))?.payment;
    expect(outcomesFor("302")).toEqual([
      expect.objectContaining({
        detailType: "OrderPaid",
        detail: expect.objectContaining({
          idempotencyKey: "302:p-crash:OrderPaid",
          occurredAt: header.processedAt,
          order: expect.objectContaining({ grandTotal: 300 }),
        }),
      }),
    ]);
  });

  it("reports another payment for a paid order as ALREADY_PAID, to be refunded, changing nothing but that payment's outcome record", async () => {
    await seedOrder("303");
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "303", paymentId: "p-first", success: true, amount: 300 }),
      deps,
    );
    const { paymentOutcomes: outcomesBefore, ...before } = (await storedOrder("303"))!;

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "303", paymentId: "p-second", success: true, amount: 300 }),
      deps,
    );

    const { paymentOutcomes, ...after } = (await storedOrder("303"))!;
    expect(after).toEqual(before);
    expect(paymentOutcomes).toEqual({
      ...outcomesBefore,
      "p-second": expect.objectContaining({
        outcome: "ALREADY_PAID",
        idempotencyKey: "303:p-second:OrderPaymentFailed:ALREADY_PAID",
        paymentSucceeded: true,
      }),
    });
    expect(outcomesFor("303").at(-1)).toMatchObject({
      detailType: "OrderPaymentFailed",
      detail: {
        reason: "ALREADY_PAID",
        retryable: false,
        paymentSucceeded: true,
        idempotencyKey: "303:p-second:OrderPaymentFailed:ALREADY_PAID",
        message: expect.stringContaining("must be refunded"),
      },
    });
  });

  describe("one final outcome per payment, even after the order moved on", () => {
    const finalKeysOf = (orderId: string, paymentId: string) => [
      ...new Set(
        outcomesFor(orderId)
          .filter((o) => o.detail.paymentId === paymentId && o.detail.retryable !== true)
          .map((o) => o.detail.idempotencyKey),
      ),
    ];

    it("keeps a decline a decline when it is redelivered after another payment paid the order (not ALREADY_PAID)", async () => {
      await seedOrder("320");
      const decline = confirmation({ orderId: "320", paymentId: "p-declined", success: false, amount: 300 });
      await handleWalletPaymentConfirmedEvent(decline, deps);
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "320", paymentId: "p-paid", success: true, amount: 300 }),
        deps,
      );

      const again = await handleWalletPaymentConfirmedEvent(decline, deps);

      expect(again.resolution).toBe("redelivered");
      expect(finalKeysOf("320", "p-declined")).toEqual(["320:p-declined:OrderPaymentFailed:PAYMENT_DECLINED"]);
      const declines = outcomesFor("320").filter((o) => o.detail.paymentId === "p-declined");
      expect(declines).toHaveLength(2);
      expect(declines[1]?.detail).toMatchObject({
        occurredAt: declines[0]?.detail.occurredAt,
        message: declines[0]?.detail.message,
        paymentSucceeded: false,
      });
      expect((await storedOrder("320"))?.payment).toMatchObject({ paymentId: "p-paid", isPaid: true });
    });

    it("keeps AMOUNT_MISMATCH when an underpayment is redelivered after another payment paid the order (one refund, not two)", async () => {
      await seedOrder("321");
      const short = confirmation({ orderId: "321", paymentId: "p-short", success: true, amount: 100 });
      await handleWalletPaymentConfirmedEvent(short, deps);
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "321", paymentId: "p-full", success: true, amount: 300 }),
        deps,
      );

      await handleWalletPaymentConfirmedEvent(short, deps);

      expect(finalKeysOf("321", "p-short")).toEqual(["321:p-short:OrderPaymentFailed:AMOUNT_MISMATCH"]);
      const mismatches = outcomesFor("321").filter((o) => o.detail.paymentId === "p-short");
      expect(mismatches[1]?.detail).toEqual(mismatches[0]?.detail);
    });

    it("re-publishes ALREADY_PAID identically when the double payment is redelivered", async () => {
      await seedOrder("322");
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "322", paymentId: "p-1", success: true, amount: 300 }),
        deps,
      );
      const second = confirmation({ orderId: "322", paymentId: "p-2", success: true, amount: 300 });

      await handleWalletPaymentConfirmedEvent(second, deps);
      const again = await handleWalletPaymentConfirmedEvent(second, deps);

      expect(again.resolution).toBe("redelivered");
      const alreadyPaid = outcomesFor("322").filter((o) => o.detail.paymentId === "p-2");
      expect(alreadyPaid).toHaveLength(2);
      expect(alreadyPaid[1]?.detail).toEqual(alreadyPaid[0]?.detail);
    });

    it("lets the first recorded outcome win when a stale run races a redelivery (AMOUNT_MISMATCH decided before the order was paid, ALREADY_PAID after)", async () => {
      await seedOrder("323");
      let releaseCostCall!: () => void;
      const costCallHeld = new Promise<void>((resolve) => (releaseCostCall = resolve));
      let heldOnce = false;
      const slowCost = {
        async recalculate(order: Parameters<ProcessorDependencies["costCalculator"]["recalculate"]>[0]) {
          if (!heldOnce && order.orderId === "323") {
            heldOnce = true;
            await costCallHeld;
          }
          return deps.costCalculator.recalculate(order);
        },
      };
      const short = confirmation({ orderId: "323", paymentId: "p-short", success: true, amount: 100 });

      const staleRun = handleWalletPaymentConfirmedEvent(short, { ...deps, costCalculator: slowCost });
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "323", paymentId: "p-full", success: true, amount: 300 }),
        deps,
      );
      const redelivery = await handleWalletPaymentConfirmedEvent(short, deps);
      releaseCostCall();
      const stale = await staleRun;

      expect([redelivery.resolution, stale.resolution]).toEqual(["rejected", "redelivered"]);
      expect(finalKeysOf("323", "p-short")).toEqual(["323:p-short:OrderPaymentFailed:ALREADY_PAID"]);
      expect((await storedOrder("323"))?.paymentOutcomes["p-short"]).toMatchObject({ outcome: "ALREADY_PAID" });
    });

    it("records the first outcome on an order paid before outcomes were recorded, and still re-publishes that order's OrderPaid", async () => {
      await seedOrder("324");
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "324", paymentId: "p-old", success: true, amount: 300 }),
        deps,
      );
      const { paymentOutcomes: _dropped, ...legacy } = (await storedOrder("324"))!;
      await documentClient.send(new PutCommand({ TableName: config().orderTableName, Item: legacy }));

      const redelivered = await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "324", paymentId: "p-old", success: true, amount: 300 }),
        deps,
      );
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "324", paymentId: "p-new", success: true, amount: 300 }),
        deps,
      );

      expect(redelivered.resolution).toBe("redelivered");
      expect(finalKeysOf("324", "p-old")).toEqual(["324:p-old:OrderPaid"]);
      expect(Object.keys((await storedOrder("324"))?.paymentOutcomes ?? {})).toEqual(["p-new"]);
    });

    it("never sends its own outcome records to calculate-cost or on the bus", async () => {
      await seedOrder("325");
      const priced: Record<string, unknown>[] = [];
      const recordingCost = {
        recalculate: (order: Parameters<ProcessorDependencies["costCalculator"]["recalculate"]>[0]) => {
          priced.push(order);
          return deps.costCalculator.recalculate(order);
        },
      };
      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "325", paymentId: "p-short", success: true, amount: 1 }),
        deps,
      );

      await handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "325", paymentId: "p-ok", success: true, amount: 300 }),
        { ...deps, costCalculator: recordingCost },
      );

      expect(priced[0]).not.toHaveProperty("paymentOutcomes");
      expect(outcomesFor("325").at(-1)?.detail.order).not.toHaveProperty("paymentOutcomes");
      // The header travels as paymentHeader, not inside the order.
      expect(outcomesFor("325").at(-1)?.detail.order).not.toHaveProperty("payment");
    });
  });

  it("reports an unknown order as ORDER_NOT_FOUND and creates nothing", async () => {
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "404404", paymentId: "p-x", success: true, amount: 10 }),
      deps,
    );

    expect(await storedOrder("404404")).toBeUndefined();
    expect(outcomesFor("404404")).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reason: "ORDER_NOT_FOUND", retryable: false }) }),
    ]);
  });

  it("publishes a retryable failure when calculate-cost fails, then throws so the platform retries", async () => {
    await seedOrder("305");
    stack.functions.set("calculate-cost-3-master", () => ({ statusCode: 503, body: "upstream unavailable" }));
    try {
      const attempt = handleWalletPaymentConfirmedEvent(
        confirmation({ orderId: "305", paymentId: "p-cc", success: true, amount: 300 }),
        deps,
      );

      await expect(attempt).rejects.toMatchObject({
        name: "CostCalculationError",
        message: expect.stringContaining("calculate-cost-3-master returned statusCode 503"),
      });
    } finally {
      stack.functions.set("calculate-cost-3-master", calculateCostStandIn);
    }
    expect((await storedOrder("305"))?.payment).toBeUndefined();
    expect(outcomesFor("305")).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          reason: "COST_CALCULATION_FAILED",
          retryable: true,
          idempotencyKey: expect.stringMatching(/^305:p-cc:OrderPaymentFailed:COST_CALCULATION_FAILED:/),
        }),
      }),
    ]);
  });

  it("publishes a retryable failure when the order table is unreachable, then throws", async () => {
    const unreachable = createProcessorDependencies(
      loadConfig({ BRANCH: "test", EVENT_BUS_NAME: BUS, AWS_ENDPOINT_URL: stack.url }),
      {
        clients: {
          ...createAwsClients({ region: "ap-southeast-1", endpoint: stack.url }),
          documentClient: createAwsClients({ region: "ap-southeast-1", endpoint: "http://127.0.0.1:9" }).documentClient,
        },
      },
    );

    const attempt = handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "306", paymentId: "p-db", success: true, amount: 1 }),
      unreachable,
    );

    await expect(attempt).rejects.toMatchObject({ name: "OrderStoreError", transient: true });
    expect(outcomesFor("306")).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ reason: "ORDER_STORE_UNAVAILABLE", retryable: true }),
      }),
    ]);
  });

  it("leaves an underpaid order unpaid and publishes AMOUNT_MISMATCH", async () => {
    await seedOrder("307");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "307", paymentId: "p-under", success: true, amount: 299.98 }),
      deps,
    );

    expect((await storedOrder("307"))?.payment).toBeUndefined();
    expect(outcomesFor("307").at(-1)?.detail).toMatchObject({
      reason: "AMOUNT_MISMATCH",
      retryable: false,
      paymentSucceeded: true,
      message: expect.stringContaining("0.02 THB below"),
    });
  });

  it("counts an underpayment once as OrderPaymentFailed reason=AMOUNT_MISMATCH (the alarm's metric), and its redelivery as a recognised redelivery", async () => {
    await seedOrder("308");
    const metrics = createBusinessMetricsCounter();
    const underpaid = confirmation({ orderId: "308", paymentId: "p-under", success: true, amount: 100 });

    await handleWalletPaymentConfirmedEvent(underpaid, { ...deps, metrics });
    await handleWalletPaymentConfirmedEvent(underpaid, { ...deps, metrics });

    expect(metrics.counts()).toEqual({
      ConfirmationReceived: 2,
      "OrderPaymentFailed reason=AMOUNT_MISMATCH": 1,
      RedeliveryRecognised: 1,
    });
  });

  it("counts a payment for an order already paid as OrderPaymentFailed reason=ALREADY_PAID", async () => {
    await seedOrder("309");
    const metrics = createBusinessMetricsCounter();

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "309", paymentId: "p-first", success: true, amount: 300 }),
      { ...deps, metrics },
    );
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "309", paymentId: "p-second", success: true, amount: 300 }),
      { ...deps, metrics },
    );

    expect(metrics.counts()).toEqual({
      ConfirmationReceived: 2,
      OrderPaid: 1,
      "OrderPaymentFailed reason=ALREADY_PAID": 1,
    });
  });

  it("pays an order within one satang of the grand total, and flags an overpayment in the header", async () => {
    await seedOrder("308");
    await seedOrder("309");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "308", paymentId: "p-near", success: true, amount: 299.995 }),
      deps,
    );
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "309", paymentId: "p-over", success: true, amount: 350 }),
      deps,
    );

    expect((await storedOrder("308"))?.payment).toMatchObject({ isPaid: true, overpaidAmount: 0 });
    expect((await storedOrder("309"))?.payment).toMatchObject({ isPaid: true, totalPaid: 350, overpaidAmount: 50 });
  });

  it("publishes an order too large for one event without its items, flagged orderTruncated, and saves it whole", async () => {
    const items = Array.from({ length: 400 }, (_, n) => ({
      sku: `SKU-${n}`,
      name: "x".repeat(100),
      quantity: 1,
      unitPrice: 1,
    }));
    await seedOrder("310", { items, shipping: 0, discounts: [] });
    const small = { ...deps, eventSizeLimitBytes: 16 * 1024 };

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "310", paymentId: "p-big", success: true, amount: 400 }),
      small,
    );

    expect((await storedOrder("310"))?.items).toHaveLength(400);
    const [paid] = outcomesFor("310");
    expect(paid?.detail.orderTruncated).toBe(true);
    expect(paid?.detail.order).not.toHaveProperty("items");
    expect(paid?.detail.order).toMatchObject({ orderId: "310", grandTotal: 400 });
  });
});

describe("the world we join: orders as the other payment flows write them, calculate-cost as it answers", () => {
  /** The order item exactly as DynamoDB holds it (attribute values), to compare byte for byte. */
  async function rawOrder(orderId: string) {
    return (
      await documentClient.send(
        new GetItemCommand({
          TableName: config().orderTableName,
          Key: { orderId: { S: orderId } },
          ConsistentRead: true,
        }),
      )
    ).Item;
  }

  it("reports a confirmation for an order another flow already paid (payment.isPaid true) as ALREADY_PAID and leaves its payment byte for byte", async () => {
    const qrPayment = {
      paymentId: "qr_77110",
      isPaid: true,
      paymentMethod: "qr",
      totalPaid: 300,
      paidDate: 1_795_946_400,
      bank: { name: "SCB", ref: "A1" },
    };
    await seedOrder("700", { payment: qrPayment });
    const before = await rawOrder("700");
    const priced: unknown[] = [];
    const recordingCost = {
      recalculate: (order: Parameters<ProcessorDependencies["costCalculator"]["recalculate"]>[0]) => {
        priced.push(order);
        return deps.costCalculator.recalculate(order);
      },
    };

    const result = await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "700", paymentId: "pay_wallet_700", success: true, amount: 300 }),
      { ...deps, costCalculator: recordingCost },
    );

    const after = await rawOrder("700");
    expect(after?.payment).toEqual(before?.payment);
    expect(result.resolution).toBe("rejected");
    expect(priced).toEqual([]);
    expect(outcomesFor("700")).toEqual([
      expect.objectContaining({
        detailType: "OrderPaymentFailed",
        detail: expect.objectContaining({
          reason: "ALREADY_PAID",
          paymentSucceeded: true,
          message: expect.stringContaining("already paid by payment qr_77110 (qr)"),
        }),
      }),
    ]);
  });

  it("pays the legacy example: payment.isPaid, wallet, totalPaid 300; basketName and orderDate (now, rounded) set on calculate-cost's answer, not its request", async () => {
    await seedOrder("492500005643", { basketName: "cart-from-the-shop", orderDate: 1_700_000_000 });
    const priced: Record<string, unknown>[] = [];
    const answers: Record<string, unknown>[] = [];
    const recordingCost = {
      async recalculate(order: Parameters<ProcessorDependencies["costCalculator"]["recalculate"]>[0]) {
        priced.push(order);
        const answer = await deps.costCalculator.recalculate(order);
        answers.push(answer);
        return answer;
      },
    };

    await handleWalletPaymentConfirmedEvent(legacyEnvelope, { ...deps, costCalculator: recordingCost });

    const saved = await storedOrder("492500005643");
    expect(saved?.payment).toMatchObject({
      paymentId: "pay_wallet_abc123",
      isPaid: true,
      paymentMethod: "wallet",
      totalPaid: 300,
      amountReported: true,
    });
    expect(saved?.basketName).toBe("492500005643");
    expect(Math.abs(saved?.orderDate - Date.now() / 1000)).toBeLessThanOrEqual(1);
    expect(Number.isInteger(saved?.orderDate)).toBe(true);
    // calculate-cost got the order as stored, and (like the real one) did not echo these fields.
    expect(priced[0]).toMatchObject({ basketName: "cart-from-the-shop", orderDate: 1_700_000_000 });
    expect(answers[0]).not.toHaveProperty("basketName");
    expect(answers[0]).not.toHaveProperty("orderDate");
    expect(outcomesFor("492500005643").at(-1)?.detail.order).toMatchObject({
      basketName: "492500005643",
      orderDate: saved?.orderDate,
      grandTotal: 300,
      customer: { email: "somchai@example.com" },
    });
  });

  it("pays a confirmation without an amount as the legacy function did: totalPaid 0, flagged amountReported false in the header and the event", async () => {
    await seedOrder("701");

    const result = await handleWalletPaymentConfirmedEvent(
      confirmation({ order_id: "701", success: true, payment_id: "pay_no_amount" }),
      deps,
    );

    expect(result.resolution).toBe("applied");
    expect((await storedOrder("701"))?.payment).toMatchObject({
      paymentId: "pay_no_amount",
      isPaid: true,
      totalPaid: 0,
      amountReported: false,
      overpaidAmount: 0,
    });
    expect(outcomesFor("701")).toEqual([
      expect.objectContaining({
        detailType: "OrderPaid",
        detail: expect.objectContaining({
          amount: 0,
          amountReported: false,
          paymentHeader: expect.objectContaining({ amountReported: false }),
        }),
      }),
    ]);
  });

  it("logs a warning when it applies a payment without a reported amount", async () => {
    await seedOrder("705");
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "705", success: true, paymentId: "pay_no_amount_705" }),
      { ...deps, logger },
    );

    expect(warnings).toEqual([expect.stringContaining("without a reported amount")]);
  });

  it("still rejects a reported amount of 0 below the grand total as AMOUNT_MISMATCH", async () => {
    await seedOrder("702");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "702", success: true, paymentId: "pay_zero", amount: 0 }),
      deps,
    );

    expect((await storedOrder("702"))?.payment).toBeUndefined();
    expect(outcomesFor("702").at(-1)?.detail).toMatchObject({ reason: "AMOUNT_MISMATCH", amountReported: true });
  });

  it("recalculates a declined order as the legacy function did: recalculated fields saved with an isPaid false header, and on the event", async () => {
    await seedOrder("703");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "703", success: false, paymentId: "pay_declined", amount: 300 }),
      deps,
    );

    const saved = await storedOrder("703");
    expect(saved).toMatchObject({
      subtotal: 330,
      shipping: 20,
      discount: 50,
      grandTotal: 300,
      basketName: "703",
      payment: { paymentId: "pay_declined", isPaid: false, paymentMethod: "wallet", totalPaid: 300 },
    });
    expect(typeof saved?.orderDate).toBe("number");
    expect(outcomesFor("703").at(-1)?.detail).toMatchObject({
      reason: "PAYMENT_DECLINED",
      order: { grandTotal: 300, basketName: "703", orderDate: saved?.orderDate },
    });
  });

  it('accepts an amount sent as a decimal string ("300.00") as its number', async () => {
    await seedOrder("704");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "704", success: true, paymentId: "pay_string_amount", amount: "300.00" }),
      deps,
    );

    expect((await storedOrder("704"))?.payment).toMatchObject({ isPaid: true, totalPaid: 300, amountReported: true });
  });

  it("looks up an order id that is not digits (ORD-77) instead of refusing it, and reports an unknown one as ORDER_NOT_FOUND", async () => {
    await seedOrder("ORD-77");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "ORD-77", success: true, paymentId: "pay_ord_77", amount: 300 }),
      deps,
    );
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "ORD-78", success: true, paymentId: "pay_ord_78", amount: 300 }),
      deps,
    );

    expect((await storedOrder("ORD-77"))?.payment).toMatchObject({ paymentId: "pay_ord_77", isPaid: true });
    expect(outcomesFor("ORD-77")).toEqual([
      expect.objectContaining({
        detailType: "OrderPaid",
        detail: expect.objectContaining({ idempotencyKey: "ORD-77:pay_ord_77:OrderPaid" }),
      }),
    ]);
    expect(outcomesFor("ORD-78").at(-1)?.detail).toMatchObject({ reason: "ORDER_NOT_FOUND" });
  });

  it("gives two orders whose ids hold ':' different idempotency keys for payments whose ids would otherwise collide", async () => {
    await seedOrder("A:1");
    await seedOrder("A");

    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "A:1", success: true, paymentId: "p", amount: 300 }),
      deps,
    );
    await handleWalletPaymentConfirmedEvent(
      confirmation({ orderId: "A", success: true, paymentId: "1:p", amount: 300 }),
      deps,
    );

    const keys = [outcomesFor("A:1")[0]?.detail.idempotencyKey, outcomesFor("A")[0]?.detail.idempotencyKey];
    expect(keys).toEqual(["A%3A1:p:OrderPaid", "A:1:p:OrderPaid"]);
  });
});

describe("bad input", () => {
  it.each([
    [
      "amount that is not a number",
      { orderId: "500", paymentId: "p", success: true, amount: "abc" },
      'detail.amount must be a number >= 0, got "abc"',
    ],
    [
      "success that is not a boolean",
      { orderId: "501", paymentId: "p", success: "yes", amount: 1 },
      'detail.success must be true or false, got "yes"',
    ],
    [
      "a negative amount",
      { orderId: "502", paymentId: "p", success: true, amount: -1 },
      "detail.amount must be a number >= 0, got -1",
    ],
    ["a missing paymentId", { orderId: "503", success: true, amount: 1 }, "detail.paymentId is required"],
    [
      "an amount string that is not a decimal",
      { orderId: "504", paymentId: "p", success: true, amount: "300 THB" },
      'detail.amount must be a number >= 0, got "300 THB"',
    ],
  ])("records %s as INVALID_EVENT naming the field, and writes nothing", async (_case, detail, message) => {
    const orderId = detail.orderId;
    await seedOrder(orderId);
    const before = await storedOrder(orderId);

    const result = await handleWalletPaymentConfirmedEvent(confirmation(detail), deps);

    expect(await storedOrder(orderId)).toEqual(before);
    expect(result.resolution).toBe("rejected");
    expect(outcomesFor(orderId)).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          reason: "INVALID_EVENT",
          retryable: false,
          message: expect.stringContaining(message),
        }),
      }),
    ]);
  });

  it.each([
    ["a missing orderId", { paymentId: "p", success: true, amount: 1 }, "detail.orderId is required"],
    ["detail that is not JSON", "{orderId: 492500005643", "must be a JSON object, got unparsable JSON"],
    ["an empty object", {}, "detail.orderId is required; detail.paymentId is required; detail.success is required"],
  ])(
    "rejects %s with an error naming the field, for the dead-letter queue, publishing nothing",
    async (_case, detail, message) => {
      const published = stack.eventBridge.listAcceptedEvents(BUS).length;

      const attempt = handleWalletPaymentConfirmedEvent(confirmation(detail as Record<string, unknown>), deps);

      await expect(attempt).rejects.toBeInstanceOf(UnattributableEventError);
      await expect(attempt).rejects.toThrow(message);
      expect(stack.eventBridge.listAcceptedEvents(BUS)).toHaveLength(published);
    },
  );
});
