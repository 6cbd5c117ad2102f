import type { PaymentHeader } from "@payment3/events";
import type { PaymentOutcomeRecord } from "../payment/recorded-outcome";

/**
 * An order as the shared order table holds it. Other services own most fields. The payment
 * header at `payment` is shared: every payment flow (QR, card, Amex, this one) writes its own
 * shape there, and `payment.isPaid === true` means paid, whoever wrote it. `paymentOutcomes`
 * is ours alone.
 */
export type Order = Record<string, unknown> & {
  orderId: string;
  /** Whichever flow's payment header; only `isPaid` and `paymentId` are common to all of them. */
  payment?: unknown;
  /** Each payment's final outcome, by paymentId. */
  paymentOutcomes?: Record<string, PaymentOutcomeRecord>;
};

/** Where every payment flow and every reader of the order table keeps the payment header. */
export const PAYMENT_HEADER_ATTRIBUTE = "payment";
/** The attribute this system alone writes on the shared order. */
export const PAYMENT_OUTCOMES_ATTRIBUTE = "paymentOutcomes";

/** The order as stored without `paymentOutcomes`: what calculate-cost is sent, as the legacy function sent it. */
export function withoutOwnAttributes(order: Record<string, unknown>): Record<string, unknown> {
  const { [PAYMENT_OUTCOMES_ATTRIBUTE]: _outcomes, ...rest } = order;
  return rest;
}

/** The order as events and audit rows carry it: without the payment header (events carry it on its own) and our records. */
export function orderForEvents(order: Record<string, unknown>): Record<string, unknown> {
  const { [PAYMENT_HEADER_ATTRIBUTE]: _header, ...rest } = withoutOwnAttributes(order);
  return rest;
}

/** What a payment's final outcome writes on its order (see {@link OrderRepository.saveFinalOutcome}). */
export interface FinalOutcomeWrite {
  readonly paymentId: string;
  readonly record: PaymentOutcomeRecord;
  /** The header, when the payment is applied to the order (paid or declined); written only while the order is unpaid. */
  readonly header?: PaymentHeader;
  /** The recalculated fields (paid or declined), written with the header. */
  readonly recalculatedOrder?: Record<string, unknown>;
}

/** The shared order table, as the processor reads and writes it. An interface because tests inject faults into it. */
export interface OrderRepository {
  /** The order, read consistently, or undefined when there is none. */
  getOrder(orderId: string): Promise<Order | undefined>;
  /**
   * Records a payment's final outcome on the order as read, with its header and recalculated
   * fields when given, in one conditional UpdateItem. It succeeds only while the order exists,
   * holds no outcome for this payment, and (with a header) `payment.isPaid` is not true,
   * whichever flow wrote it; otherwise it throws
   * OrderChangedError and writes nothing.
   */
  saveFinalOutcome(orderAsRead: Order, write: FinalOutcomeWrite): Promise<void>;
}
