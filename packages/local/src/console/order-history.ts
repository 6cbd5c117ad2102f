import type { LocalAsyncInvocations, LocalEventBridge } from "@payment3/aws-local";
import { stringField } from "./flow-recorder";

/** The order's `payment` header and outcome records as they were at one moment. */
export interface OrderSnapshot {
  readonly time: string;
  /** What made the console look: `before <detail-type>` or `after <rule>`. */
  readonly seenWhen: string;
  readonly payment: unknown;
  readonly paymentOutcomes: unknown;
}

export interface OrderHistoryOptions {
  /** Reads the order item as stored (undefined when there is none). */
  readonly readOrder: (orderId: string) => Promise<Record<string, unknown> | undefined>;
  /**
   * Whether a run of this function (with `functionRuns`), or else a settled delivery to this rule, may have changed
   * the order (the processor's; its rule and function share one name).
   */
  readonly changesOrders: (ruleOrFunctionName: string) => boolean;
  /**
   * The local Lambda's asynchronous runs: a Lambda target's delivery ends when Lambda queues the event, before the
   * function runs, so the order is read after each run of a function that changes orders. Without it, after each
   * settled delivery (targets that run in the delivery itself).
   */
  readonly functionRuns?: Pick<LocalAsyncInvocations, "onRunEnded">;
  readonly warn?: (message: string) => void;
  /** Orders followed at most; the oldest is forgotten first. Default 2000. */
  readonly maxOrders?: number;
}

const changeKey = (snapshot: Pick<OrderSnapshot, "payment" | "paymentOutcomes">) =>
  JSON.stringify([snapshot.payment ?? null, snapshot.paymentOutcomes ?? null]);

/**
 * Each change of an order's `payment` header and outcome records, as the console's timeline shows them: the order
 * is read when an event about it is first accepted and after every delivery to a rule that changes orders, and a
 * snapshot is kept when the header or the records differ from the last one. Reads of one order run one after the
 * other, so the snapshots are in the order they were taken.
 */
export class OrderHistory {
  private readonly snapshots = new Map<string, OrderSnapshot[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly unsubscribe: (() => void)[];

  constructor(
    eventBridge: LocalEventBridge,
    private readonly options: OrderHistoryOptions,
  ) {
    this.unsubscribe = [
      eventBridge.onEventAccepted(({ event }) => {
        const orderId = orderIdOf(event.detail);
        if (orderId && !this.snapshots.has(orderId)) this.look(orderId, `before ${event["detail-type"]}`);
      }),
      options.functionRuns
        ? options.functionRuns.onRunEnded(({ functionName, payload }) => {
            const orderId = orderIdOf((payload as { detail?: unknown } | undefined)?.detail);
            if (orderId && this.options.changesOrders(functionName)) this.look(orderId, `after ${functionName}`);
          })
        : eventBridge.onDelivery({
            attemptEnded: () => undefined,
            settled: (job) => {
              const orderId = orderIdOf(job.event.detail);
              if (orderId && this.options.changesOrders(job.ruleName)) this.look(orderId, `after ${job.ruleName}`);
            },
          }),
    ];
  }

  /** The snapshots of an order, oldest first; each differs from the one before. */
  of(orderId: string): readonly OrderSnapshot[] {
    return this.snapshots.get(orderId) ?? [];
  }

  /** Resolves once every read started so far has been recorded. */
  async settled(): Promise<void> {
    await Promise.all(this.queues.values());
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
  }

  private look(orderId: string, seenWhen: string): void {
    const previous = this.queues.get(orderId) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const order = await this.options.readOrder(orderId);
        this.record(orderId, {
          time: new Date().toISOString(),
          seenWhen,
          payment: order?.payment ?? null,
          paymentOutcomes: order?.paymentOutcomes ?? null,
        });
      } catch (error) {
        this.options.warn?.(`The console could not read order ${orderId}: ${String(error)}`);
      }
    });
    this.queues.set(orderId, next);
    void next.then(() => {
      if (this.queues.get(orderId) === next) this.queues.delete(orderId);
    });
  }

  private record(orderId: string, snapshot: OrderSnapshot): void {
    const list = this.snapshots.get(orderId) ?? [];
    const last = list.at(-1);
    if (last && changeKey(last) === changeKey(snapshot)) return;
    list.push(snapshot);
    if (!this.snapshots.has(orderId)) {
      this.snapshots.set(orderId, list);
      const oldest = this.snapshots.keys().next().value;
      if (this.snapshots.size > (this.options.maxOrders ?? 2000) && oldest !== undefined) this.snapshots.delete(oldest);
    }
  }
}

const orderIdOf = (detail: unknown) => stringField(detail, "orderId");
