import {
  buildPutEventsEntry,
  EventTooLargeError,
  OrderPaidContract,
  OrderPaymentFailedContract,
  type Channel,
  type FailureReason,
  type OrderPaid,
  type OrderPaymentFailed,
  type PaymentHeader,
  type PutEventsEntry,
} from "@payment3/events";

/**
 * The key subscribers dedupe on. Deterministic for a confirmation's final outcome, so a
 * redelivered, re-published or replayed outcome carries the same key. A retryable failure is
 * one attempt among several, and each attempt is recorded, so its key includes the attempt time.
 */
export function outcomeIdempotencyKey(orderId: string, paymentId: string | null, outcome: "OrderPaid" | FailureReason, attemptAt?: string): string {
  const base = outcome === "OrderPaid" ? `${orderId}:${paymentId}:OrderPaid` : `${orderId}:${paymentId}:OrderPaymentFailed:${outcome}`;
  return attemptAt ? `${base}:${attemptAt}` : base;
}

export interface OutcomeContext {
  readonly eventBusName: string;
  readonly sizeLimitBytes: number;
  /** The id of the WalletPaymentConfirmed being answered. */
  readonly confirmationEventId?: string;
}

/** A built outcome: its detail (for callers and tests) and the validated PutEvents entry. */
export interface Outcome<TDetail> {
  readonly detailType: "OrderPaid" | "OrderPaymentFailed";
  readonly detail: TDetail;
  readonly entry: PutEventsEntry;
}

export interface OrderPaidInput {
  readonly orderId: string;
  readonly header: PaymentHeader;
  readonly order: Record<string, unknown>;
}

/**
 * OrderPaid for a saved header. `occurredAt` is the header's `processedAt`, so re-publishing
 * from the stored order repeats the same event. An order too large for one event loses its
 * `items` (flagged `orderTruncated`); consumers that need them read the order table.
 */
export function buildOrderPaid(input: OrderPaidInput, context: OutcomeContext): Outcome<OrderPaid> {
  const { paymentHeader: _stored, ...order } = input.order;
  const detail = (orderField: Record<string, unknown>, orderTruncated: boolean): OrderPaid => ({
    schemaVersion: 1,
    idempotencyKey: outcomeIdempotencyKey(input.orderId, input.header.paymentId, "OrderPaid"),
    occurredAt: input.header.processedAt,
    orderId: input.orderId,
    ...(context.confirmationEventId ? { confirmationEventId: context.confirmationEventId } : {}),
    paymentId: input.header.paymentId,
    amount: input.header.totalPaid,
    channel: input.header.channel,
    paymentHeader: input.header,
    order: { ...orderField, orderId: input.orderId },
    orderTruncated,
  });
  const options = { eventBusName: context.eventBusName, sizeLimitBytes: context.sizeLimitBytes };
  const full = detail(order, false);
  try {
    return { detailType: "OrderPaid", detail: full, entry: buildPutEventsEntry(OrderPaidContract, full, options) };
  } catch (error) {
    if (!(error instanceof EventTooLargeError)) throw error;
    const { items: _items, ...withoutItems } = order;
    const truncated = detail(withoutItems, true);
    return { detailType: "OrderPaid", detail: truncated, entry: buildPutEventsEntry(OrderPaidContract, truncated, options) };
  }
}

export interface OrderPaymentFailedInput {
  readonly orderId: string;
  readonly paymentId: string | null;
  readonly amount: number | null;
  readonly channel: Channel | null;
  readonly reason: FailureReason;
  readonly message: string;
  readonly retryable: boolean;
  readonly paymentSucceeded: boolean | null;
  readonly occurredAt: string;
}

export function buildOrderPaymentFailed(input: OrderPaymentFailedInput, context: OutcomeContext): Outcome<OrderPaymentFailed> {
  const detail: OrderPaymentFailed = {
    schemaVersion: 1,
    idempotencyKey: outcomeIdempotencyKey(input.orderId, input.paymentId, input.reason, input.retryable ? input.occurredAt : undefined),
    occurredAt: input.occurredAt,
    orderId: input.orderId,
    ...(context.confirmationEventId ? { confirmationEventId: context.confirmationEventId } : {}),
    paymentId: input.paymentId,
    amount: input.amount,
    channel: input.channel,
    reason: input.reason,
    message: input.message,
    retryable: input.retryable,
    paymentSucceeded: input.paymentSucceeded,
  };
  return {
    detailType: "OrderPaymentFailed",
    detail,
    entry: buildPutEventsEntry(OrderPaymentFailedContract, detail, { eventBusName: context.eventBusName, sizeLimitBytes: context.sizeLimitBytes }),
  };
}
