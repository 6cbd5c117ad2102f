import { PROCESSOR_SOURCE, WalletPaymentConfirmedContract } from "@payment3/events";
import type { LocalEventBridge } from "@payment3/aws-local";

/** One outcome event the processor put on the bus, reduced to what the checks need. */
export interface RecordedOutcome {
  readonly orderId: string;
  readonly paymentId: string | null;
  readonly detailType: "OrderPaid" | "OrderPaymentFailed";
  /** The failure reason; `OrderPaid` for a paid order. */
  readonly result: string;
  readonly retryable: boolean;
  readonly idempotencyKey: string;
}

/**
 * Listens to the bus (`onEventAccepted`) and keeps, per confirmation, the outcomes the processor
 * published and how many times the confirmation itself was accepted. Compact on purpose: a full
 * run puts tens of thousands of events on the bus, more than the journal keeps.
 */
export class OutcomeRecorder {
  private readonly outcomesByConfirmation = new Map<string, RecordedOutcome[]>();
  private readonly confirmationsAccepted = new Map<string, number>();
  private outcomeCount = 0;
  private readonly unsubscribe: () => void;

  constructor(bridge: LocalEventBridge, eventBusName: string) {
    this.unsubscribe = bridge.onEventAccepted((accepted) => {
      if (accepted.eventBusName !== eventBusName) return;
      const { event } = accepted;
      const detail = event.detail as Record<string, unknown>;
      if (
        event.source === PROCESSOR_SOURCE &&
        (event["detail-type"] === "OrderPaid" || event["detail-type"] === "OrderPaymentFailed")
      ) {
        const outcome: RecordedOutcome = {
          orderId: String(detail.orderId),
          paymentId: typeof detail.paymentId === "string" ? detail.paymentId : null,
          detailType: event["detail-type"],
          result: event["detail-type"] === "OrderPaid" ? "OrderPaid" : String(detail.reason),
          retryable: detail.retryable === true,
          idempotencyKey: String(detail.idempotencyKey),
        };
        const key = confirmationKey(outcome.orderId, outcome.paymentId);
        const list = this.outcomesByConfirmation.get(key) ?? [];
        list.push(outcome);
        this.outcomesByConfirmation.set(key, list);
        this.outcomeCount += 1;
      } else if (event["detail-type"] === WalletPaymentConfirmedContract.detailType) {
        const key = confirmationKey(
          String(detail.orderId),
          typeof detail.paymentId === "string" ? detail.paymentId : null,
        );
        this.confirmationsAccepted.set(key, (this.confirmationsAccepted.get(key) ?? 0) + 1);
      }
    });
  }

  /** Every outcome published for this confirmation, retryable attempts included. */
  outcomesOf(orderId: string, paymentId: string | null): readonly RecordedOutcome[] {
    return this.outcomesByConfirmation.get(confirmationKey(orderId, paymentId)) ?? [];
  }

  /** The distinct final (non-retryable) outcomes of a confirmation, by idempotency key. */
  finalOutcomesOf(orderId: string, paymentId: string | null): RecordedOutcome[] {
    const byKey = new Map<string, RecordedOutcome>();
    for (const outcome of this.outcomesOf(orderId, paymentId))
      if (!outcome.retryable) byKey.set(outcome.idempotencyKey, outcome);
    return [...byKey.values()];
  }

  /** Times the callbacks' confirmation was accepted by the bus (duplicates and driver retries included). */
  timesAccepted(orderId: string, paymentId: string): number {
    return this.confirmationsAccepted.get(confirmationKey(orderId, paymentId)) ?? 0;
  }

  /** Every distinct outcome idempotency key with its order. */
  *outcomeKeys(): IterableIterator<{ readonly orderId: string; readonly idempotencyKey: string }> {
    const seen = new Set<string>();
    for (const outcomes of this.outcomesByConfirmation.values()) {
      for (const outcome of outcomes) {
        if (seen.has(outcome.idempotencyKey)) continue;
        seen.add(outcome.idempotencyKey);
        yield { orderId: outcome.orderId, idempotencyKey: outcome.idempotencyKey };
      }
    }
  }

  get outcomesRecorded(): number {
    return this.outcomeCount;
  }

  close(): void {
    this.unsubscribe();
  }
}

function confirmationKey(orderId: string, paymentId: string | null): string {
  return `${orderId}\u241f${paymentId ?? ""}`;
}
