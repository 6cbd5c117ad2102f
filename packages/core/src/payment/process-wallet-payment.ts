import type { FailureReason, OrderPaid, OrderPaymentFailed } from "@payment3/events";
import type { EventPublisher } from "../bus/event-publisher";
import { CostCalculationError, type CostCalculator } from "../cost/cost-calculator";
import { silentLogger, type Logger } from "../logger";
import { uncountedBusinessMetrics, type BusinessMetrics } from "../metrics/business-metrics";
import type { Order, OrderRepository } from "../order/order";
import { OrderChangedError, OrderStoreError } from "../order/order-errors";
import { buildOrderPaymentFailed, type AnyOutcome, type OutcomeContext } from "./outcome-events";
import {
  decidePayment,
  type ConfirmationToProcess,
  type PaymentDecision,
  type PaymentResolution,
} from "./payment-decision";
import { systemClock } from "../clock";

export interface ProcessorDependencies {
  readonly orders: OrderRepository;
  readonly costCalculator: CostCalculator;
  readonly publisher: EventPublisher;
  readonly eventBusName: string;
  readonly eventSizeLimitBytes: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** Outcome counts (the ALREADY_PAID and AMOUNT_MISMATCH alarms read them). */
  readonly metrics?: BusinessMetrics;
}

export interface ProcessingResult {
  readonly outcome: AnyOutcome;
  /** The EventBridge id of the published outcome. */
  readonly eventId: string;
  readonly resolution: PaymentResolution;
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
 * - A fault of calculate-cost or the order table: an OrderPaymentFailed with `retryable: true`
 *   (the contract's meaning: this attempt failed, the platform delivers the confirmation again)
 *   is published for the audit trail, then the error is thrown so the platform does retry.
 */
export async function processWalletPayment(
  confirmation: ConfirmationToProcess,
  deps: ProcessorDependencies,
): Promise<ProcessingResult> {
  const now = deps.now ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const context: OutcomeContext = {
    eventBusName: deps.eventBusName,
    sizeLimitBytes: deps.eventSizeLimitBytes,
    confirmationEventId: confirmation.eventId,
  };
  try {
    for (let round = 1; ; round++) {
      const order = await deps.orders.getOrder(confirmation.detail.orderId);
      const decision = await decideWithCost(order, confirmation, deps.costCalculator, context, now);
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
      countOutcome(deps.metrics ?? uncountedBusinessMetrics, decision);
      return { outcome: decision.outcome, eventId: eventId!, resolution: decision.resolution };
    }
  } catch (error) {
    const reason = failedAttemptReason(error);
    if (reason) await publishFailedAttempt(confirmation, reason, error as Error, deps, context, now, logger);
    throw error;
  }
}

/** The decision for one reading of the order, asking calculate-cost when the decision needs it. */
async function decideWithCost(
  order: Order | undefined,
  confirmation: ConfirmationToProcess,
  costCalculator: CostCalculator,
  context: OutcomeContext,
  now: () => Date,
): Promise<PaymentDecision> {
  const decision = decidePayment({ order, confirmation, now: now() }, context);
  if (!("recalculationRequest" in decision)) return decision;
  const recalculated = await costCalculator.recalculate(decision.recalculationRequest);
  return decidePayment({ order, confirmation, recalculated, now: now() }, context);
}

/** The failure reason of an attempt that failed on calculate-cost or the order table, transient or not: both are thrown, so retried. */
function failedAttemptReason(error: unknown): FailureReason | undefined {
  if (error instanceof CostCalculationError) return "COST_CALCULATION_FAILED";
  if (error instanceof OrderStoreError) return "ORDER_STORE_UNAVAILABLE";
  return undefined;
}

/** Records a failed attempt (the old is_error row). A publish failure here must not hide the original error. */
async function publishFailedAttempt(
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
      {
        orderId,
        paymentId,
        amount,
        channel,
        reason,
        message: `${error.message}; the confirmation will be retried`,
        retryable: true,
        paymentSucceeded: success,
        occurredAt: now().toISOString(),
      },
      context,
    );
    await deps.publisher.publish([outcome.entry]);
    (deps.metrics ?? uncountedBusinessMetrics).count("OrderPaymentFailed", { reason });
    logger.warn("payment attempt failed and will be retried", { reason, error: error.message });
  } catch (publishError) {
    logger.error("could not record the failed attempt", {
      reason,
      error: error.message,
      publishError: (publishError as Error).message,
    });
  }
}

/** One count per decided outcome; a redelivery counts as such, so an alarm sees each payment once. */
function countOutcome(metrics: BusinessMetrics, decision: PaymentDecision): void {
  const { outcome } = decision;
  if (decision.resolution === "redelivered") metrics.count("RedeliveryRecognised");
  else if (outcome.detailType === "OrderPaid") metrics.count("OrderPaid");
  else metrics.count("OrderPaymentFailed", { reason: (outcome.detail as OrderPaymentFailed).reason });
}

function logOutcome(logger: Logger, decision: PaymentDecision): void {
  const { detail } = decision.outcome;
  if (decision.outcome.detailType === "OrderPaid") {
    if (decision.resolution === "applied" && (detail as OrderPaid).amountReported === false) {
      logger.warn(
        "order paid without a reported amount: totalPaid is the legacy default 0; check the amount the provider captured",
        {
          idempotencyKey: detail.idempotencyKey,
        },
      );
    }
    logger.info(
      decision.resolution === "redelivered" ? "order already paid by this payment; outcome re-published" : "order paid",
      {
        outcome: "OrderPaid",
        resolution: decision.resolution,
        idempotencyKey: detail.idempotencyKey,
      },
    );
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
