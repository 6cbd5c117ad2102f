import { PaymentHeaderSchema, type Channel, type PaymentHeader } from "@payment3/events";
import type { Order } from "../order/order";

/** Amounts within this many THB of each other count as equal (satang rounding). */
export const AMOUNT_TOLERANCE_THB = 0.01;

const roundSatang = (amount: number) => Math.round(amount * 100) / 100;

export interface PaymentHeaderInput {
  readonly paymentId: string;
  readonly success: boolean;
  readonly amount: number;
  readonly channel: Channel;
  readonly processedAt: Date;
  /** The recalculated grand total, when known, to flag an overpayment. */
  readonly grandTotal?: number;
  /** False when the callback reported no amount: `amount` is the legacy default 0. */
  readonly amountReported: boolean;
}

/**
 * The header written at `order.payment`: the legacy fields first (paymentId, isPaid = success,
 * paymentMethod "wallet", totalPaid = amount), then ours. An amount above the grand total is
 * still paid, with the excess in `overpaidAmount`; an amount never reported overpays nothing.
 */
export function buildPaymentHeader(input: PaymentHeaderInput): PaymentHeader {
  const processedAt = input.processedAt.toISOString();
  const excess =
    input.grandTotal === undefined || !input.amountReported ? 0 : roundSatang(input.amount - input.grandTotal);
  return {
    paymentId: input.paymentId,
    isPaid: input.success,
    paymentMethod: "wallet",
    totalPaid: input.amount,
    paidAt: input.success ? processedAt : null,
    processedAt,
    channel: input.channel,
    overpaidAmount: input.success && excess > AMOUNT_TOLERANCE_THB ? excess : 0,
    amountReported: input.amountReported,
  };
}

/** The grand total of a recalculated order, when calculate-cost gave a usable number. */
export function grandTotalOf(order: Record<string, unknown>): number | undefined {
  const value = order.grandTotal;
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** True when the customer paid less than the grand total by more than the tolerance. */
export function isUnderpaid(amount: number, grandTotal: number | undefined): boolean {
  return grandTotal !== undefined && grandTotal - amount > AMOUNT_TOLERANCE_THB;
}

/** The stored header's common fields, whichever flow wrote it. */
export interface StoredPayment {
  readonly isPaid: boolean;
  readonly paymentId: string | undefined;
  readonly paymentMethod: string | undefined;
}

/** The stored header's common fields, whichever flow wrote it; undefined when the order has no header. */
export function storedPaymentOf(order: Order): StoredPayment | undefined {
  const payment = order.payment;
  if (typeof payment !== "object" || payment === null) return undefined;
  const { isPaid, paymentId, paymentMethod } = payment as Record<string, unknown>;
  return {
    // The legacy check is `order.payment.isPaid is True`: only the boolean true means paid.
    isPaid: isPaid === true,
    paymentId: typeof paymentId === "string" ? paymentId : undefined,
    paymentMethod: typeof paymentMethod === "string" ? paymentMethod : undefined,
  };
}

/** The stored header when this flow wrote it (a complete wallet header), else undefined. */
export function walletHeaderOf(order: Order): PaymentHeader | undefined {
  const parsed = PaymentHeaderSchema.safeParse(order.payment);
  return parsed.success ? parsed.data : undefined;
}
