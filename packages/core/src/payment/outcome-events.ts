import {
  buildPutEventsEntry,
  EventTooLargeError,
  OrderPaidContract,
  OrderPaymentFailedContract,
  type Channel,
  type FailureReason,
  type OrderOutcomeEvent,
  type OrderPaid,
  type OrderPaymentFailed,
  type PaymentHeader,
  type PutEventsEntry,
} from "@payment3/events";
import { orderForEvents } from "../order/order";

/**
 * The key subscribers dedupe on. Deterministic for a confirmation's final outcome, so a
 * redelivered, re-published or replayed outcome carries the same key. A retryable failure is
 * one attempt among several, and each attempt is recorded, so its key includes the attempt time.
 * An order id may itself hold `:` (`ORD:77`), so `%` and `:` in it are percent-encoded: two
 * different orders never share a key, and digit-only ids keep their plain keys.
 */
export function outcomeIdempotencyKey(
  orderId: string,
  paymentId: string | null,
  outcome: "OrderPaid" | FailureReason,
  attemptAt?: string,
): string {
  const orderPart = orderId.replace(/[%:]/g, (character) => (character === "%" ? "%25" : "%3A"));
  const base =
    outcome === "OrderPaid"
      ? `${orderPart}:${paymentId}:OrderPaid`
      : `${orderPart}:${paymentId}:OrderPaymentFailed:${outcome}`;
  return attemptAt ? `${base}:${attemptAt}` : base;
}

/**
 * Whether every publication of an outcome carries the same occurredAt, so that its idempotency
 * key fixes its time. True for OrderPaid and PAYMENT_DECLINED (dated by the header's
 * `processedAt`), ALREADY_PAID and AMOUNT_MISMATCH (recorded on the order with their occurredAt
 * and re-published from that record) and a retryable failure (its key ends with its
 * occurredAt). False for ORDER_NOT_FOUND and INVALID_EVENT: recorded nowhere and dated by the
 * confirmation's envelope time, so when a callback sends the confirmation again they are
 * published again with a later occurredAt under the same key. False for any reason not named
 * here, so a new one is treated as the cautious case.
 */
export function occurredAtIsFixedByKey(outcome: OrderOutcomeEvent): boolean {
  if (outcome["detail-type"] === "OrderPaid") return true;
  const { reason, retryable } = outcome.detail;
  return retryable || reason === "PAYMENT_DECLINED" || reason === "ALREADY_PAID" || reason === "AMOUNT_MISMATCH";
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

/** Either outcome the processor publishes. */
export type AnyOutcome = Outcome<OrderPaid> | Outcome<OrderPaymentFailed>;

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
  const entryFor = (detail: OrderPaid) =>
    buildPutEventsEntry(OrderPaidContract, detail, {
      eventBusName: context.eventBusName,
      sizeLimitBytes: context.sizeLimitBytes,
    });
  return withOrderThatFits(input.orderId, input.order, (order, orderTruncated) => {
    const detail: OrderPaid = {
      schemaVersion: 1,
      idempotencyKey: outcomeIdempotencyKey(input.orderId, input.header.paymentId, "OrderPaid"),
      occurredAt: input.header.processedAt,
      orderId: input.orderId,
      ...(context.confirmationEventId ? { confirmationEventId: context.confirmationEventId } : {}),
      paymentId: input.header.paymentId,
      amount: input.header.totalPaid,
      channel: input.header.channel,
      ...(input.header.amountReported !== undefined ? { amountReported: input.header.amountReported } : {}),
      paymentHeader: input.header,
      order,
      orderTruncated,
    };
    return { detailType: "OrderPaid", detail, entry: entryFor(detail) };
  });
}

/**
 * Builds an outcome carrying the order; when that is over the PutEvents limit, builds it again
 * without `order.items` (the order table keeps them). The payment header (carried on its own)
 * and `paymentOutcomes` are never part of the order in an event.
 */
function withOrderThatFits<T>(
  orderId: string,
  stored: Record<string, unknown>,
  build: (order: { orderId: string } & Record<string, unknown>, truncated: boolean) => T,
): T {
  const order = orderForEvents(stored);
  try {
    return build({ ...order, orderId }, false);
  } catch (error) {
    if (!(error instanceof EventTooLargeError)) throw error;
    const { items: _items, ...withoutItems } = order;
    return build({ ...withoutItems, orderId }, true);
  }
}

export interface OrderPaymentFailedInput {
  readonly orderId: string;
  readonly paymentId: string | null;
  readonly amount: number | null;
  readonly channel: Channel | null;
  readonly reason: FailureReason;
  readonly message: string;
  /**
   * The contract's `retryable`: true for one failed attempt, after which the processor throws and
   * the platform delivers the confirmation again; false for a final outcome. Not whether the
   * fault was transient (the errors' `transient` says that).
   */
  readonly retryable: boolean;
  readonly paymentSucceeded: boolean | null;
  readonly occurredAt: string;
  /** False when the confirmation reported no amount; left out when unknown. */
  readonly amountReported?: boolean;
  /** The stored order, for failures the customer is told about (PAYMENT_DECLINED). */
  readonly order?: Record<string, unknown>;
}

export function buildOrderPaymentFailed(
  input: OrderPaymentFailedInput,
  context: OutcomeContext,
): Outcome<OrderPaymentFailed> {
  const build = (order?: { orderId: string } & Record<string, unknown>): Outcome<OrderPaymentFailed> => {
    const detail: OrderPaymentFailed = {
      schemaVersion: 1,
      idempotencyKey: outcomeIdempotencyKey(
        input.orderId,
        input.paymentId,
        input.reason,
        input.retryable ? input.occurredAt : undefined,
      ),
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
      ...(input.amountReported !== undefined ? { amountReported: input.amountReported } : {}),
      ...(order ? { order } : {}),
    };
    const entry = buildPutEventsEntry(OrderPaymentFailedContract, detail, {
      eventBusName: context.eventBusName,
      sizeLimitBytes: context.sizeLimitBytes,
    });
    return { detailType: "OrderPaymentFailed", detail, entry };
  };
  return input.order ? withOrderThatFits(input.orderId, input.order, (order) => build(order)) : build();
}
