import type { Channel, FailureReason, OrderPaymentFailed, WalletPaymentConfirmed } from "@payment3/events";
import type { Order } from "../order/order";
import { buildOrderPaid, buildOrderPaymentFailed, type AnyOutcome, type OutcomeContext } from "./outcome-events";
import { storedPaymentOf, walletHeaderOf } from "./payment-header";

/**
 * A payment's final outcome as kept on its order, so a redelivery of the same payment publishes
 * the same outcome again even after the order has moved on (e.g. a decline, then another payment
 * paid the order: the decline stays PAYMENT_DECLINED, it does not become ALREADY_PAID).
 */
export interface PaymentOutcomeRecord {
  readonly outcome: "OrderPaid" | FailureReason;
  readonly idempotencyKey: string;
  readonly occurredAt: string;
  readonly amount: number;
  readonly channel: Channel;
  readonly paymentSucceeded: boolean;
  /** The failure's message; absent for OrderPaid. */
  readonly message?: string;
  /** False when the confirmation reported no amount (`amount` is the legacy default 0). */
  readonly amountReported?: boolean;
}

/** What is kept on the order of a payment's final outcome: enough to publish the identical outcome again. */
export function recordOfOutcome(outcome: AnyOutcome, confirmation: WalletPaymentConfirmed): PaymentOutcomeRecord {
  const { idempotencyKey, occurredAt } = outcome.detail;
  const common = {
    idempotencyKey,
    occurredAt,
    amount: confirmation.amount,
    channel: confirmation.channel,
    paymentSucceeded: confirmation.success,
    amountReported: confirmation.amountReported !== false,
  };
  if (outcome.detailType === "OrderPaid") return { outcome: "OrderPaid", ...common };
  const failed = outcome.detail as OrderPaymentFailed;
  return { outcome: failed.reason, ...common, message: failed.message };
}

/** The recorded-outcome inconsistency no redelivery can fix: a person must look at the order. */
export class RecordedOutcomeMismatchError extends Error {
  override readonly name = "RecordedOutcomeMismatchError";
  readonly code = "RECORDED_OUTCOME_MISMATCH";
}

/**
 * The outcome a payment's record stands for, built again: the same idempotency key and
 * occurredAt as when it was first published. OrderPaid is built from the stored header and
 * order (as the first time); a decline carries the order as it is now, for the email.
 */
export function outcomeFromRecord(
  record: PaymentOutcomeRecord,
  payment: { readonly orderId: string; readonly paymentId: string; readonly order: Order },
  context: OutcomeContext,
): AnyOutcome {
  const { orderId, paymentId, order } = payment;
  if (record.outcome === "OrderPaid") {
    const header = walletHeaderOf(order);
    if (!header?.isPaid || header.paymentId !== paymentId) {
      const stored = storedPaymentOf(order);
      throw new RecordedOutcomeMismatchError(
        `order ${orderId} records payment ${paymentId} as OrderPaid, but its payment header is ${stored ? `payment ${stored.paymentId}, isPaid ${stored.isPaid}, paymentMethod ${stored.paymentMethod}` : "missing"}: ` +
          "the order was changed outside this system; correct the order before redriving the confirmation",
      );
    }
    return buildOrderPaid({ orderId, header, order }, context);
  }
  return buildOrderPaymentFailed(
    {
      orderId,
      paymentId,
      amount: record.amount,
      channel: record.channel,
      reason: record.outcome,
      message: record.message ?? `payment ${paymentId} was not applied (${record.outcome})`,
      retryable: false,
      paymentSucceeded: record.paymentSucceeded,
      occurredAt: record.occurredAt,
      ...(record.amountReported !== undefined ? { amountReported: record.amountReported } : {}),
      ...(record.outcome === "PAYMENT_DECLINED" ? { order } : {}),
    },
    context,
  );
}
