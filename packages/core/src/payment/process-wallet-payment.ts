import type { OrderPaid, OrderPaymentFailed, WalletPaymentConfirmed, FailureReason } from "@payment3/events";
import type { EventPublisher } from "../bus/event-publisher";
import { CostCalculationError, type CostCalculator } from "../cost/cost-calculator";
import { silentLogger, type Logger } from "../logger";
import { OrderChangedError, OrderStoreError } from "../order/order-errors";
import { storedPaymentOf, walletHeaderOf, withoutOwnAttributes, type FinalOutcomeWrite, type Order, type OrderRepository } from "../order/order-repository";
import { calculatedOrderFrom } from "./calculated-order";
import { buildOrderPaid, buildOrderPaymentFailed, type AnyOutcome, type OutcomeContext } from "./outcome-events";
import { outcomeFromRecord, recordOfOutcome } from "./recorded-outcome";
import { buildPaymentHeader, grandTotalOf, isUnderpaid } from "./payment-header";

/** A validated confirmation with the envelope facts the outcome refers to. */
export interface ConfirmationToProcess {
  readonly eventId: string;
  /** The envelope `time`; a replay keeps it, so outcomes dated by it stay the same. */
  readonly time: string;
  readonly detail: WalletPaymentConfirmed;
}

export interface ProcessorDependencies {
  readonly orders: OrderRepository;
  readonly costCalculator: CostCalculator;
  readonly publisher: EventPublisher;
  readonly eventBusName: string;
  readonly eventSizeLimitBytes: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
}


export interface ProcessingResult {
  readonly outcome: AnyOutcome;
  /** The EventBridge id of the published outcome. */
  readonly eventId: string;
  /**
   * `applied`: this run wrote the order. `redelivered`: an earlier run had written it and the
   * same outcome was published again. `rejected`: the payment could not be applied (failure
   * outcome; the outcome itself is recorded on the order when there is one).
   */
  readonly resolution: "applied" | "redelivered" | "rejected";
}

/** What to do for one reading of the order: publish the outcome, after saving it when `save` is given. */
interface Decision {
  readonly resolution: ProcessingResult["resolution"];
  readonly outcome: AnyOutcome;
  readonly save?: FinalOutcomeWrite;
}

/**
 * A concurrent writer can win between our read and our write at most once for each thing the
 * write's condition checks (the order becoming paid, the outcome map being created, this
 * payment's outcome being recorded), so the fourth reading always decides for good.
 */
const MAX_DECISION_ROUNDS = 4;

/**
 * Applies one wallet payment confirmation to its order and publishes exactly one outcome.
 *
 * - Each payment's final outcome is recorded on the order (with the header, for a payment that is
 *   applied) by a conditional write that succeeds only while no outcome is recorded for the
 *   payment and, for a header, while the order is unpaid; then it is published.
 * - A payment with a recorded outcome is a redelivery: that outcome is published again with the
 *   same idempotency key and occurredAt (this also heals a crash between save and publish), even
 *   when the order has moved on since (a decline stays a decline after another payment paid).
 * - Paid by a different payment: ALREADY_PAID, so a double charge can be refunded.
 * - Underpaid (below the recalculated grand total by more than 0.01): AMOUNT_MISMATCH, unpaid.
 * - Transient faults (calculate-cost, the order table): a retryable OrderPaymentFailed is
 *   published for the audit trail, then the error is thrown so the platform retries.
 */
export async function processWalletPayment(confirmation: ConfirmationToProcess, deps: ProcessorDependencies): Promise<ProcessingResult> {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? silentLogger;
  const context: OutcomeContext = {
    eventBusName: deps.eventBusName,
    sizeLimitBytes: deps.eventSizeLimitBytes,
    confirmationEventId: confirmation.eventId,
  };
  try {
    for (let round = 1; ; round++) {
      const order = await deps.orders.getOrder(confirmation.detail.orderId);
      const decision = await decide(order, confirmation, deps.costCalculator, context, now);
      if (order && decision.save) {
        try {
          await deps.orders.saveFinalOutcome(order, decision.save);
        } catch (error) {
          if (error instanceof OrderChangedError && round < MAX_DECISION_ROUNDS) {
            logger.info("order changed between read and write; deciding again", { round });
            continue;
          }
          throw error;
        }
      }
      // Published only after the write is committed; a crash here is healed by redelivery.
      const [eventId] = await deps.publisher.publish([decision.outcome.entry]);
      logOutcome(logger, decision);
      return { outcome: decision.outcome, eventId: eventId!, resolution: decision.resolution };
    }
  } catch (error) {
    const reason = transientReason(error);
    if (reason) await publishRetryableFailure(confirmation, reason, error as Error, deps, context, now, logger);
    throw error;
  }
}

async function decide(
  order: Order | undefined,
  confirmation: ConfirmationToProcess,
  costCalculator: CostCalculator,
  context: OutcomeContext,
  now: () => Date,
): Promise<Decision> {
  const { orderId, paymentId, success, amount, channel } = confirmation.detail;
  const amountReported = confirmation.detail.amountReported !== false;
  const confirmedAt = normalizeTime(confirmation.time, now);
  const failure = (reason: FailureReason, message: string, paymentSucceeded: boolean, occurredAt = confirmedAt, withOrder?: Record<string, unknown>) =>
    buildOrderPaymentFailed(
      { orderId, paymentId, amount, channel, reason, message, retryable: false, paymentSucceeded, occurredAt, amountReported, ...(withOrder ? { order: withOrder } : {}) },
      context,
    );

  if (!order) {
    return {
      resolution: "rejected",
      outcome: failure("ORDER_NOT_FOUND", `order ${orderId} does not exist in the order table; payment ${paymentId} (${amount} THB, success ${success}) was not applied`, success),
    };
  }

  const recorded = order.paymentOutcomes?.[paymentId];
  if (recorded) return { resolution: "redelivered", outcome: outcomeFromRecord(recorded, { orderId, paymentId, order }, context) };
  const final = (resolution: "applied" | "rejected", outcome: AnyOutcome, applied?: Pick<FinalOutcomeWrite, "header" | "recalculatedOrder">): Decision => ({
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
  if (stored?.isPaid) return final("rejected", failure("ALREADY_PAID", alreadyPaidMessage(orderId, paymentId, amount, success, stored), success));

  // Declines are recalculated too, as the legacy function did: the declined order is saved with its recalculated fields.
  const calculated = calculatedOrderFrom(await costCalculator.recalculate({ ...withoutOwnAttributes(order), orderId }), orderId, now());
  const orderAsSaved = { ...order, ...calculated, orderId };
  if (!success) {
    const header = buildPaymentHeader({ paymentId, success, amount, channel, processedAt: now(), amountReported });
    // The customer is told about a decline, so the event carries the order (address, items, total).
    return final("applied", failure("PAYMENT_DECLINED", declinedMessage, false, header.processedAt, orderAsSaved), { header, recalculatedOrder: calculated });
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
  const header = buildPaymentHeader({ paymentId, success, amount, channel, processedAt: now(), amountReported, ...(grandTotal !== undefined ? { grandTotal } : {}) });
  return final("applied", buildOrderPaid({ orderId, header, order: orderAsSaved }, context), { header, recalculatedOrder: calculated });
}

function alreadyPaidMessage(orderId: string, paymentId: string, amount: number, success: boolean, stored: NonNullable<ReturnType<typeof storedPaymentOf>>): string {
  const paidBy = `payment ${stored.paymentId ?? "(no paymentId)"}${stored.paymentMethod && stored.paymentMethod !== "wallet" ? ` (${stored.paymentMethod})` : ""}`;
  if (!success) return `order ${orderId} is already paid by ${paidBy}; declined payment ${paymentId} changes nothing and needs no refund`;
  if (stored.paymentId === paymentId) {
    return `order ${orderId} is already paid by this payment id ${paymentId}, written by another flow without an outcome record; check that the provider captured it only once before refunding ${amount} THB`;
  }
  return `order ${orderId} is already paid by ${paidBy}; payment ${paymentId} captured ${amount} THB and must be refunded`;
}

function transientReason(error: unknown): FailureReason | undefined {
  if (error instanceof CostCalculationError) return "COST_CALCULATION_FAILED";
  if (error instanceof OrderStoreError) return "ORDER_STORE_UNAVAILABLE";
  return undefined;
}

/** Records a failed attempt (the old is_error row). A publish failure here must not hide the original error. */
async function publishRetryableFailure(
  confirmation: ConfirmationToProcess,
  reason: FailureReason,
  error: Error,
  deps: ProcessorDependencies,
  context: OutcomeContext,
  now: () => Date,
  logger: Logger,
): Promise<void> {
  const { orderId, paymentId, amount, channel, success } = confirmation.detail;
  try {
    const outcome = buildOrderPaymentFailed(
      { orderId, paymentId, amount, channel, reason, message: `${error.message}; the confirmation will be retried`, retryable: true, paymentSucceeded: success, occurredAt: now().toISOString() },
      context,
    );
    await deps.publisher.publish([outcome.entry]);
    logger.warn("payment attempt failed and will be retried", { reason, error: error.message });
  } catch (publishError) {
    logger.error("could not record the failed attempt", { reason, error: error.message, publishError: (publishError as Error).message });
  }
}

function logOutcome(logger: Logger, decision: Decision): void {
  const { detail } = decision.outcome;
  if (decision.outcome.detailType === "OrderPaid") {
    if (decision.resolution === "applied" && (detail as OrderPaid).amountReported === false) {
      logger.warn("order paid without a reported amount: totalPaid is the legacy default 0; check the amount the provider captured", {
        idempotencyKey: detail.idempotencyKey,
      });
    }
    logger.info(decision.resolution === "redelivered" ? "order already paid by this payment; outcome re-published" : "order paid", {
      outcome: "OrderPaid",
      resolution: decision.resolution,
      idempotencyKey: detail.idempotencyKey,
    });
    return;
  }
  const failed = detail as OrderPaymentFailed;
  const log = failed.reason === "ALREADY_PAID" || failed.reason === "AMOUNT_MISMATCH" ? logger.warn : logger.info;
  log.call(logger, `payment not applied: ${failed.reason}`, {
    outcome: "OrderPaymentFailed",
    reason: failed.reason,
    resolution: decision.resolution,
    idempotencyKey: failed.idempotencyKey,
  });
}

function normalizeTime(time: string, now: () => Date): string {
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? now().toISOString() : parsed.toISOString();
}
