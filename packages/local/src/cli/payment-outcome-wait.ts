import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { readAuditRow, type Config } from "@payment3/core";
import { readItemsOfOrder, readOrderItem } from "./order-items";
import type { TerminalStyle } from "./terminal-style";

/** A payment's outcome as the processor recorded it. */
export interface RecordedPaymentOutcome {
  readonly orderId: string;
  readonly paymentId: string;
  /** `OrderPaid`, or the failure reason (`PAYMENT_DECLINED`, `ALREADY_PAID`, `ORDER_NOT_FOUND`, ...). */
  readonly outcome: string;
  readonly occurredAt: string | undefined;
  readonly message: string | undefined;
  /** Where it was read: the order's `paymentOutcomes`, or the audit table (an order that does not exist has no record). */
  readonly recordedIn: "order" | "audit";
}

/** Reads the payment's recorded outcome once: the order's record first, then its audit rows. */
export async function readRecordedOutcome(
  deps: { documentClient: DynamoDBDocumentClient; config: Config },
  payment: { orderId: string; paymentId: string },
): Promise<RecordedPaymentOutcome | undefined> {
  const { documentClient, config } = deps;
  const { orderId, paymentId } = payment;
  const order = await readOrderItem(documentClient, config.orderTableName, orderId);
  const record = order?.paymentOutcomes?.[paymentId];
  if (record)
    return {
      orderId,
      paymentId,
      outcome: record.outcome,
      occurredAt: record.occurredAt,
      message: record.message,
      recordedIn: "order",
    };
  const rows = await readItemsOfOrder(documentClient, config.auditLogTableName, orderId);
  for (const item of rows) {
    if (item.paymentId !== paymentId) continue;
    try {
      const row = readAuditRow(item);
      const data = row.data as { message?: unknown };
      return {
        orderId,
        paymentId,
        outcome: row.outcome === "OrderPaid" ? "OrderPaid" : String(row.reason ?? row.outcome),
        occurredAt: new Date(row.createdAtMillis).toISOString(),
        message: typeof data.message === "string" ? data.message : undefined,
        recordedIn: "audit",
      };
    } catch {
      // Not this system's row: keep looking.
    }
  }
  return undefined;
}

/** Polls the payment's recorded outcome until there is one or `timeoutMs` has passed (then undefined). */
export async function waitForPaymentOutcome(
  deps: { documentClient: DynamoDBDocumentClient; config: Config },
  payment: { orderId: string; paymentId: string },
  options: { timeoutMs: number; pollMs: number; sleep?: (ms: number) => Promise<void> },
): Promise<RecordedPaymentOutcome | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const outcome = await readRecordedOutcome(deps, payment);
    if (outcome || Date.now() >= deadline) return outcome;
    await sleep(Math.min(options.pollMs, Math.max(0, deadline - Date.now())));
  }
}

/** `outcome: OrderPaid (order 1, payment p, at ...)`, with the processor's message for a failure. */
export function describeRecordedOutcome(outcome: RecordedPaymentOutcome, style: TerminalStyle): string {
  const name = outcome.outcome === "OrderPaid" ? style.green(outcome.outcome) : style.red(outcome.outcome);
  const at = outcome.occurredAt ? `, at ${outcome.occurredAt}` : "";
  return `outcome: ${name} (order ${outcome.orderId}, payment ${outcome.paymentId}${at})${outcome.message ? `: ${outcome.message}` : ""}`;
}
