import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed, type Config } from "@payment3/core";
import type { LocalStack } from "../local-stack";
import { DEMO_CONFIRMATIONS } from "./demo-orders";

export interface DemoRow {
  readonly story: string;
  readonly orderId: string;
  readonly paymentId: string;
  /** The outcome event of this confirmation, e.g. `OrderPaid` or `OrderPaymentFailed ALREADY_PAID`. */
  readonly outcome: string;
  /** Audit rows of the order so far. */
  readonly auditRows: number;
  /** Customer emails of the order so far (sent ones). */
  readonly emailsSent: number;
  readonly orderState: string;
}

/**
 * Publishes the demo confirmations one by one, as the callbacks would, waits for every rule
 * target to finish, and reports what became of each.
 */
export async function runDemoConfirmations(stack: LocalStack, config: Config): Promise<DemoRow[]> {
  const { documentClient, eventBridge } = createAwsClients({ region: config.region, endpoint: stack.url });
  const publisher = createEventBridgePublisher({ client: eventBridge });
  const countFor = async (table: string, orderId: string, filter?: (item: Record<string, unknown>) => boolean) => {
    const result = await documentClient.send(new QueryCommand({ TableName: table, KeyConditionExpression: "orderId = :o", ExpressionAttributeValues: { ":o": orderId } }));
    return (result.Items ?? []).filter(filter ?? (() => true)).length;
  };
  const rows: DemoRow[] = [];
  for (const { story, input } of DEMO_CONFIRMATIONS) {
    const published = await publishWalletPaymentConfirmed(input, { publisher, eventBusName: config.eventBusName });
    await stack.eventBridge.whenIdle();
    const outcome = stack.eventBridge
      .listAcceptedEvents(config.eventBusName)
      .map((accepted) => accepted.event)
      .find((event) => (event.detail as { confirmationEventId?: string }).confirmationEventId === published.eventId);
    const reason = (outcome?.detail as { reason?: string } | undefined)?.reason;
    const order = (await documentClient.send(new GetCommand({ TableName: config.orderTableName, Key: { orderId: published.orderId } }))).Item;
    const payment = order?.payment as { isPaid?: unknown; paymentId?: string; paymentMethod?: string; totalPaid?: number } | undefined;
    rows.push({
      story,
      orderId: published.orderId,
      paymentId: published.paymentId,
      outcome: !outcome ? "(none)" : reason ? `${outcome["detail-type"]} ${reason}` : outcome["detail-type"],
      auditRows: await countFor(config.processPaidOrderTableName, published.orderId),
      emailsSent: await countFor(config.emailLogTableName, published.orderId, (item) => item.emailResult === "sent"),
      orderState: !order ? "no such order" : payment ? `payment.isPaid ${String(payment.isPaid)}: ${payment.paymentId} (${payment.paymentMethod}, ${payment.totalPaid} THB)` : "no payment",
    });
  }
  return rows;
}

/** Renders rows as an aligned text table. */
export function formatTable(rows: readonly Record<string, string | number>[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  const cell = (row: Record<string, string | number>, column: string) => String(row[column] ?? "");
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row, column).length)));
  const line = (cells: string[]) => cells.map((value, i) => value.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(columns.map((c) => cell(row, c))))].join("\n");
}

/** The summary table `npm start` prints. */
export function formatDemoSummary(rows: readonly DemoRow[]): string {
  return formatTable(
    rows.map((row) => ({
      confirmation: row.story,
      order: row.orderId,
      payment: row.paymentId,
      "outcome event": row.outcome,
      "audit rows": row.auditRows,
      "emails sent": row.emailsSent,
      "order now": row.orderState,
    })),
  );
}
