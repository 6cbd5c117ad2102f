import type { FailureReason, WalletPaymentConfirmed } from "@payment3/events";
import type { PricedOrder } from "../cost/cost-calculator";
import { withoutOwnAttributes, type FinalOutcomeWrite, type Order } from "../order/order";
import { readTimeText } from "../time-text";
import { calculatedOrderFrom } from "./calculated-order";
import { buildOrderPaid, buildOrderPaymentFailed, type AnyOutcome, type OutcomeContext } from "./outcome-events";
import {
  buildPaymentHeader,
  grandTotalOf,
  isUnderpaid,
  storedPaymentOf,
  walletHeaderOf,
  type StoredPayment,
} from "./payment-header";
import { outcomeFromRecord, recordOfOutcome } from "./recorded-outcome";

/** A validated confirmation with the envelope facts the outcome refers to. */
export interface ConfirmationToProcess {
  readonly eventId: string;
  /** The envelope `time`; a replay keeps it, so outcomes dated by it stay the same. */
  readonly time: string;
  readonly detail: WalletPaymentConfirmed;
}

/**
 * `applied`: this run writes the order. `redelivered`: an earlier run had written it and the
 * same outcome is published again. `rejected`: the payment cannot be applied (failure outcome;
 * the outcome itself is recorded on the order when there is one).
 */
export type PaymentResolution = "applied" | "redelivered" | "rejected";

/** What to do for one reading of the order: publish the outcome, after saving `save` on the order when given. */
export interface PaymentDecision {
  readonly resolution: PaymentResolution;
  readonly outcome: AnyOutcome;
  readonly save?: FinalOutcomeWrite;
}

/** No decision without calculate-cost's answer: send it `recalculationRequest`, then decide again with the answer. */
export interface RecalculationNeeded {
  readonly recalculationRequest: Record<string, unknown> & { orderId: string };
}

export interface PaymentDecisionInput {
  /** The order as read (consistently), or undefined when the order table has none. */
  readonly order: Order | undefined;
  readonly confirmation: ConfirmationToProcess;
  /** calculate-cost's answer for `order`, once a {@link RecalculationNeeded} asked for it. */
  readonly recalculated?: PricedOrder;
  /** The time of the decision: the header's `processedAt`, the order's `orderDate`. */
  readonly now: Date;
}

/**
 * The processor's decision for one reading of the order, without I/O, so every branch can be
 * tested without the order table, calculate-cost or the bus:
 * - no order: ORDER_NOT_FOUND, nothing saved;
 * - an outcome recorded for this payment, or this flow's header for it without one: that outcome
 *   again (`redelivered`), nothing saved;
 * - paid already, whichever flow wrote the header: ALREADY_PAID, recorded;
 * - otherwise calculate-cost is needed ({@link RecalculationNeeded} until `recalculated` is
 *   given), then a decline is applied with its header (PAYMENT_DECLINED), a reported amount
 *   below the grand total is AMOUNT_MISMATCH (recorded, order unpaid), anything else is OrderPaid
 *   with its header.
 */
export function decidePayment(
  input: PaymentDecisionInput & { readonly recalculated: PricedOrder },
  context: OutcomeContext,
): PaymentDecision;
export function decidePayment(
  input: PaymentDecisionInput,
  context: OutcomeContext,
): PaymentDecision | RecalculationNeeded;
export function decidePayment(
  { order, confirmation, recalculated, now }: PaymentDecisionInput,
  context: OutcomeContext,
): PaymentDecision | RecalculationNeeded {
  const { orderId, paymentId, success, amount, channel } = confirmation.detail;
  const amountReported = confirmation.detail.amountReported !== false;
  const confirmedAt = (readTimeText(confirmation.time) ?? now).toISOString();
  const failure = (
    reason: FailureReason,
    message: string,
    paymentSucceeded: boolean,
    occurredAt = confirmedAt,
    withOrder?: Record<string, unknown>,
  ) =>
    buildOrderPaymentFailed(
      {
        orderId,
        paymentId,
        amount,
        channel,
        reason,
        message,
        retryable: false,
        paymentSucceeded,
        occurredAt,
        amountReported,
        ...(withOrder ? { order: withOrder } : {}),
      },
      context,
    );

  if (!order) {
    return {
      resolution: "rejected",
      outcome: failure(
        "ORDER_NOT_FOUND",
        `order ${orderId} does not exist in the order table; payment ${paymentId} (${amount} THB, success ${success}) was not applied`,
        success,
      ),
    };
  }

  const recorded = order.paymentOutcomes?.[paymentId];
  if (recorded)
    return { resolution: "redelivered", outcome: outcomeFromRecord(recorded, { orderId, paymentId, order }, context) };
  const final = (
    resolution: "applied" | "rejected",
    outcome: AnyOutcome,
    applied?: Pick<FinalOutcomeWrite, "header" | "recalculatedOrder">,
  ): PaymentDecision => ({
    resolution,
    outcome,
    save: { paymentId, record: recordOfOutcome(outcome, confirmation.detail), ...applied },
  });

  const declinedMessage = `payment ${paymentId} for order ${orderId} was declined (${channel}); the order stays unpaid`;
  // A header this flow wrote for this payment without an outcome record: the header is its record.
  const ownHeader = walletHeaderOf(order);
  if (ownHeader?.paymentId === paymentId && (ownHeader.isPaid || !success)) {
    const outcome = ownHeader.isPaid
      ? buildOrderPaid({ orderId, header: ownHeader, order }, context)
      : failure("PAYMENT_DECLINED", declinedMessage, false, ownHeader.processedAt, order);
    return { resolution: "redelivered", outcome };
  }

  // Paid is paid whichever flow wrote the header (QR, card, Amex, wallet): the legacy "skip if
  // order.payment.isPaid is True", reported instead of skipped so a double charge is refunded.
  const stored = storedPaymentOf(order);
  if (stored?.isPaid)
    return final(
      "rejected",
      failure("ALREADY_PAID", alreadyPaidMessage(orderId, paymentId, amount, success, stored), success),
    );

  // Declines are recalculated too, as the legacy function did: the declined order is saved with its recalculated fields.
  if (!recalculated) return { recalculationRequest: { ...withoutOwnAttributes(order), orderId } };
  const calculated = calculatedOrderFrom(recalculated, orderId, now);
  const orderAsSaved = { ...order, ...calculated, orderId };
  if (!success) {
    const header = buildPaymentHeader({ paymentId, success, amount, channel, processedAt: now, amountReported });
    // The customer is told about a decline, so the event carries the order (address, items, total).
    return final("applied", failure("PAYMENT_DECLINED", declinedMessage, false, header.processedAt, orderAsSaved), {
      header,
      recalculatedOrder: calculated,
    });
  }

  const grandTotal = grandTotalOf(calculated);
  // An amount never reported is the legacy default 0 and is applied as the legacy function did (flagged, not compared).
  if (amountReported && isUnderpaid(amount, grandTotal)) {
    const shortBy = Math.round((grandTotal! - amount) * 100) / 100;
    return final(
      "rejected",
      failure(
        "AMOUNT_MISMATCH",
        `payment ${paymentId} of ${amount} THB is ${shortBy} THB below order ${orderId}'s grand total of ${grandTotal} THB; the order stays unpaid: collect the difference or refund the payment`,
        true,
      ),
    );
  }
  const header = buildPaymentHeader({
    paymentId,
    success,
    amount,
    channel,
    processedAt: now,
    amountReported,
    ...(grandTotal !== undefined ? { grandTotal } : {}),
  });
  return final("applied", buildOrderPaid({ orderId, header, order: orderAsSaved }, context), {
    header,
    recalculatedOrder: calculated,
  });
}

function alreadyPaidMessage(
  orderId: string,
  paymentId: string,
  amount: number,
  success: boolean,
  stored: StoredPayment,
): string {
  const paidBy = `payment ${stored.paymentId ?? "(no paymentId)"}${stored.paymentMethod && stored.paymentMethod !== "wallet" ? ` (${stored.paymentMethod})` : ""}`;
  if (!success)
    return `order ${orderId} is already paid by ${paidBy}; declined payment ${paymentId} changes nothing and needs no refund`;
  if (stored.paymentId === paymentId) {
    return `order ${orderId} is already paid by this payment id ${paymentId}, written by another flow without an outcome record; check that the provider captured it only once before refunding ${amount} THB`;
  }
  return `order ${orderId} is already paid by ${paidBy}; payment ${paymentId} captured ${amount} THB and must be refunded`;
}
