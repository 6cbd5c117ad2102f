import {
  parseEvent,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
  WalletPaymentConfirmedContract,
  type FailureReason,
} from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { describe, expect, it } from "vitest";
import type { PricedOrder } from "../cost/cost-calculator";
import type { Order } from "../order/order";
import { roundedUnixSeconds } from "./calculated-order";
import type { OutcomeContext } from "./outcome-events";
import {
  decidePayment,
  type ConfirmationToProcess,
  type PaymentDecision,
  type RecalculationNeeded,
} from "./payment-decision";
import { buildPaymentHeader } from "./payment-header";
import type { PaymentOutcomeRecord } from "./recorded-outcome";

const NOW = new Date("2026-12-03T08:00:00.400Z");
const EARLIER = new Date("2026-12-01T09:30:00.000Z");
const ENVELOPE_TIME = "2026-11-29T10:00:00Z";
const context: OutcomeContext = {
  eventBusName: "payment3-test",
  sizeLimitBytes: PUT_EVENTS_SIZE_LIMIT_BYTES,
  confirmationEventId: "confirmation-1",
};

/** A confirmation as the processor gets it: a callback's detail parsed with the contract (defaults, decimal strings, aliases). */
function confirmation(detail: Record<string, unknown> = {}, time = ENVELOPE_TIME): ConfirmationToProcess {
  const parsed = parseEvent(WalletPaymentConfirmedContract, {
    ...readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json"),
    id: "confirmation-1",
    detail: { orderId: "500", paymentId: "p1", success: true, amount: 300, ...detail },
  });
  return { eventId: parsed.id, time, detail: parsed.detail };
}

function order(extra: Record<string, unknown> = {}): Order {
  return {
    orderId: "500",
    customer: { name: "Somchai", email: "somchai@example.com" },
    items: [{ sku: "TEA-001", quantity: 1, unitPrice: 300 }],
    ...extra,
  };
}

/** A header this flow wrote earlier for payment p1. */
const ourHeader = (success: boolean) =>
  buildPaymentHeader({
    paymentId: "p1",
    success,
    amount: 300,
    channel: "wallet",
    processedAt: EARLIER,
    amountReported: true,
  });
const qrHeader = (paymentId: string) => ({ paymentId, isPaid: true, paymentMethod: "qr", totalPaid: 300 });
const priced = (extra: Record<string, unknown> = {}): PricedOrder => ({
  orderId: "500",
  items: [{ sku: "TEA-001", quantity: 1, unitPrice: 300, lineTotal: 300 }],
  grandTotal: 300,
  ...extra,
});

const recordedDecline: PaymentOutcomeRecord = {
  outcome: "PAYMENT_DECLINED",
  idempotencyKey: "500:p1:OrderPaymentFailed:PAYMENT_DECLINED",
  occurredAt: EARLIER.toISOString(),
  amount: 300,
  channel: "wallet",
  paymentSucceeded: false,
  message: "payment p1 for order 500 was declined (wallet); the order stays unpaid",
  amountReported: true,
};

/** What a decision does, in words a row can state: the resolution, the outcome, and what is written on the order. */
function summary(decision: PaymentDecision | RecalculationNeeded) {
  if ("recalculationRequest" in decision) return { resolution: "ask calculate-cost first" };
  const { detail } = decision.outcome;
  const { save } = decision;
  return {
    resolution: decision.resolution,
    outcome: "reason" in detail ? (detail.reason as FailureReason) : "OrderPaid",
    written:
      save === undefined
        ? "nothing"
        : save.header
          ? `outcome ${save.record.outcome} + header isPaid ${save.header.isPaid}`
          : `outcome ${save.record.outcome}`,
  };
}

interface Row {
  readonly order: Order | undefined;
  readonly detail?: Record<string, unknown>;
  readonly time?: string;
  readonly recalculated?: PricedOrder;
  readonly expected: ReturnType<typeof summary>;
  /** Fields the published outcome's detail must hold. */
  readonly outcomeDetail?: Record<string, unknown>;
}

const table: [string, Row][] = [
  [
    "no order: ORDER_NOT_FOUND, dated by the envelope, nothing written",
    {
      order: undefined,
      expected: { resolution: "rejected", outcome: "ORDER_NOT_FOUND", written: "nothing" },
      outcomeDetail: {
        occurredAt: "2026-11-29T10:00:00.000Z",
        paymentSucceeded: true,
        retryable: false,
        idempotencyKey: "500:p1:OrderPaymentFailed:ORDER_NOT_FOUND",
      },
    },
  ],
  [
    "an envelope time that cannot be read: the failure is dated now",
    {
      order: undefined,
      time: "not a time",
      expected: { resolution: "rejected", outcome: "ORDER_NOT_FOUND", written: "nothing" },
      outcomeDetail: { occurredAt: NOW.toISOString() },
    },
  ],
  [
    "an outcome recorded for this payment: the same outcome again, though another flow paid since",
    {
      order: order({ payment: qrHeader("qr-9"), paymentOutcomes: { p1: recordedDecline } }),
      detail: { success: false },
      expected: { resolution: "redelivered", outcome: "PAYMENT_DECLINED", written: "nothing" },
      outcomeDetail: {
        idempotencyKey: recordedDecline.idempotencyKey,
        occurredAt: recordedDecline.occurredAt,
        message: recordedDecline.message,
      },
    },
  ],
  [
    "already paid by us (our paid header for this payment, no record): OrderPaid again",
    {
      order: order({ payment: ourHeader(true) }),
      expected: { resolution: "redelivered", outcome: "OrderPaid", written: "nothing" },
      outcomeDetail: { occurredAt: EARLIER.toISOString(), idempotencyKey: "500:p1:OrderPaid" },
    },
  ],
  [
    "declined by us before (our unpaid header, no record) and declined again: the decline again",
    {
      order: order({ payment: ourHeader(false) }),
      detail: { success: false },
      expected: { resolution: "redelivered", outcome: "PAYMENT_DECLINED", written: "nothing" },
      outcomeDetail: { occurredAt: EARLIER.toISOString(), paymentSucceeded: false },
    },
  ],
  [
    "declined by us before, now a success for the same payment: decided anew, calculate-cost first",
    {
      order: order({ payment: ourHeader(false) }),
      expected: { resolution: "ask calculate-cost first" },
    },
  ],
  [
    "paid by another flow: ALREADY_PAID to refund, the outcome recorded, the header untouched",
    {
      order: order({ payment: qrHeader("qr-9") }),
      expected: { resolution: "rejected", outcome: "ALREADY_PAID", written: "outcome ALREADY_PAID" },
      outcomeDetail: {
        paymentSucceeded: true,
        message: expect.stringContaining(
          "already paid by payment qr-9 (qr); payment p1 captured 300 THB and must be refunded",
        ),
      },
    },
  ],
  [
    "paid by another flow, the confirmation declined: ALREADY_PAID, nothing to refund",
    {
      order: order({ payment: qrHeader("qr-9") }),
      detail: { success: false },
      expected: { resolution: "rejected", outcome: "ALREADY_PAID", written: "outcome ALREADY_PAID" },
      outcomeDetail: {
        paymentSucceeded: false,
        message: expect.stringContaining("changes nothing and needs no refund"),
      },
    },
  ],
  [
    "paid by another flow under this payment id: ALREADY_PAID, check the capture before refunding",
    {
      order: order({ payment: qrHeader("p1") }),
      expected: { resolution: "rejected", outcome: "ALREADY_PAID", written: "outcome ALREADY_PAID" },
      outcomeDetail: { message: expect.stringContaining("check that the provider captured it only once") },
    },
  ],
  [
    "isPaid other than the boolean true is unpaid (the legacy `is True`): calculate-cost first",
    {
      order: order({ payment: { paymentId: "qr-9", isPaid: "true" } }),
      expected: { resolution: "ask calculate-cost first" },
    },
  ],
  [
    "an unpaid order without calculate-cost's answer: calculate-cost first",
    {
      order: order(),
      expected: { resolution: "ask calculate-cost first" },
    },
  ],
  [
    "paid in full: OrderPaid, written with the header and the recalculated order",
    {
      order: order(),
      recalculated: priced(),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: {
        occurredAt: NOW.toISOString(),
        amount: 300,
        amountReported: true,
        paymentHeader: expect.objectContaining({
          isPaid: true,
          totalPaid: 300,
          paidAt: NOW.toISOString(),
          overpaidAmount: 0,
        }),
        order: expect.objectContaining({
          grandTotal: 300,
          basketName: "500",
          orderDate: roundedUnixSeconds(NOW),
          customer: expect.any(Object),
        }),
      },
    },
  ],
  [
    "amount absent: 0 with amountReported false, applied without comparing it to the grand total",
    {
      order: order(),
      detail: { amount: undefined },
      recalculated: priced(),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: {
        amount: 0,
        amountReported: false,
        paymentHeader: expect.objectContaining({ totalPaid: 0, amountReported: false, overpaidAmount: 0 }),
      },
    },
  ],
  [
    'amount as a decimal string ("300.00"): its number',
    {
      order: order(),
      detail: { amount: "300.00" },
      recalculated: priced(),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: { amount: 300, paymentHeader: expect.objectContaining({ totalPaid: 300 }) },
    },
  ],
  [
    "a reported amount more than 0.01 THB below the grand total: AMOUNT_MISMATCH, recorded, the order unpaid",
    {
      order: order(),
      detail: { amount: 299.98 },
      recalculated: priced(),
      expected: { resolution: "rejected", outcome: "AMOUNT_MISMATCH", written: "outcome AMOUNT_MISMATCH" },
      outcomeDetail: {
        paymentSucceeded: true,
        message: expect.stringContaining("299.98 THB is 0.02 THB below order 500's grand total of 300 THB"),
      },
    },
  ],
  [
    "a reported 0 is compared: AMOUNT_MISMATCH",
    {
      order: order(),
      detail: { amount: 0 },
      recalculated: priced(),
      expected: { resolution: "rejected", outcome: "AMOUNT_MISMATCH", written: "outcome AMOUNT_MISMATCH" },
      outcomeDetail: { amount: 0, amountReported: true, message: expect.stringContaining("is 300 THB below") },
    },
  ],
  [
    "within 0.01 THB below the grand total: paid",
    {
      order: order(),
      detail: { amount: 299.99 },
      recalculated: priced(),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: { amount: 299.99 },
    },
  ],
  [
    "above the grand total: paid, the excess in overpaidAmount",
    {
      order: order(),
      detail: { amount: 350 },
      recalculated: priced(),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: { paymentHeader: expect.objectContaining({ totalPaid: 350, overpaidAmount: 50 }) },
    },
  ],
  [
    "a grand total calculate-cost gave as a decimal string is compared",
    {
      order: order(),
      detail: { amount: 200 },
      recalculated: priced({ grandTotal: "300.00" }),
      expected: { resolution: "rejected", outcome: "AMOUNT_MISMATCH", written: "outcome AMOUNT_MISMATCH" },
    },
  ],
  [
    "no usable grand total: paid, nothing to compare",
    {
      order: order(),
      detail: { amount: 10 },
      recalculated: priced({ grandTotal: "n/a" }),
      expected: { resolution: "applied", outcome: "OrderPaid", written: "outcome OrderPaid + header isPaid true" },
      outcomeDetail: { paymentHeader: expect.objectContaining({ totalPaid: 10, overpaidAmount: 0 }) },
    },
  ],
  [
    "declined: PAYMENT_DECLINED applied with an unpaid header; the event carries the recalculated order for the email",
    {
      order: order(),
      detail: { success: false },
      recalculated: priced(),
      expected: {
        resolution: "applied",
        outcome: "PAYMENT_DECLINED",
        written: "outcome PAYMENT_DECLINED + header isPaid false",
      },
      outcomeDetail: {
        paymentSucceeded: false,
        occurredAt: NOW.toISOString(),
        retryable: false,
        order: expect.objectContaining({ grandTotal: 300, basketName: "500", customer: expect.any(Object) }),
      },
    },
  ],
];

describe("decidePayment: the processor's decision for one reading of the order", () => {
  it.each(table)("%s", (_name, row) => {
    const decision = decidePayment(
      {
        order: row.order,
        confirmation: confirmation(row.detail, row.time),
        ...(row.recalculated ? { recalculated: row.recalculated } : {}),
        now: NOW,
      },
      context,
    );

    expect(summary(decision)).toEqual(row.expected);
    if (row.outcomeDetail) expect("outcome" in decision && decision.outcome.detail).toMatchObject(row.outcomeDetail);
  });

  it("asks calculate-cost with the order as stored, without this system's paymentOutcomes", () => {
    const stored = order({
      basketName: "kept",
      paymentOutcomes: {
        other: { ...recordedDecline, idempotencyKey: "500:other:OrderPaymentFailed:PAYMENT_DECLINED" },
      },
    });

    const decision = decidePayment({ order: stored, confirmation: confirmation(), now: NOW }, context);

    const { paymentOutcomes: _ours, ...asStored } = stored;
    expect(decision).toEqual({ recalculationRequest: asStored });
  });

  it("writes only calculate-cost's fields and the legacy basketName / orderDate with the header, not the stored order", () => {
    const decision = decidePayment(
      {
        order: order({ note: "owned by the order service" }),
        confirmation: confirmation(),
        recalculated: priced(),
        now: NOW,
      },
      context,
    );

    expect(decision.save?.recalculatedOrder).toEqual({
      ...priced(),
      orderId: "500",
      basketName: "500",
      orderDate: roundedUnixSeconds(NOW),
    });
  });
});
