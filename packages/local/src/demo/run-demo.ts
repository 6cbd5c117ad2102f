import { isDeepStrictEqual } from "node:util";
import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  createAwsClients,
  createEventBridgePublisher,
  publishWalletPaymentConfirmed,
  type Config,
} from "@payment3/core";
import type { LocalStack } from "../local-stack";
import { DEMO_CONFIRMATIONS } from "./demo-orders";
import { formatTable } from "../cli/text-table";
import { listUndeliveredEvents } from "../runtime/undelivered-events";

export interface DemoRow {
  readonly story: string;
  readonly orderId: string;
  readonly paymentId: string;
  /** The outcome event of this confirmation, e.g. `OrderPaid` or `OrderPaymentFailed ALREADY_PAID`. */
  readonly outcome: string;
  /**
   * Whether this confirmation changed anything of its order: the order item, its audit rows or
   * its email log. A duplicate changes nothing, and neither does any confirmation replayed on a
   * data directory where an earlier run processed it.
   */
  readonly changed: boolean;
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
  const rowsOf = async (table: string, orderId: string) =>
    (
      await documentClient.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "orderId = :o",
          ExpressionAttributeValues: { ":o": orderId },
        }),
      )
    ).Items ?? [];
  const snapshotOf = async (orderId: string) => ({
    order: (await documentClient.send(new GetCommand({ TableName: config.orderTableName, Key: { orderId } }))).Item,
    auditRows: await rowsOf(config.auditLogTableName, orderId),
    emailLog: await rowsOf(config.emailLogTableName, orderId),
  });
  const rows: DemoRow[] = [];
  for (const { story, input } of DEMO_CONFIRMATIONS) {
    const before = await snapshotOf(orderIdOf(input));
    const published = await publishWalletPaymentConfirmed(input, { publisher, eventBusName: config.eventBusName });
    await stack.eventBridge.whenIdle();
    // SES's email events for this confirmation's email are recorded on its email-log row too.
    await stack.ses.emailEventsSettled();
    await stack.eventBridge.whenIdle();
    const outcome = stack.eventBridge
      .listAcceptedEvents(config.eventBusName)
      .map((accepted) => accepted.event)
      .find((event) => (event.detail as { confirmationEventId?: string }).confirmationEventId === published.eventId);
    const reason = (outcome?.detail as { reason?: string } | undefined)?.reason;
    const after = await snapshotOf(published.orderId);
    const payment = after.order?.payment as
      | { isPaid?: unknown; paymentId?: string; paymentMethod?: string; totalPaid?: number }
      | undefined;
    rows.push({
      story,
      orderId: published.orderId,
      paymentId: published.paymentId,
      outcome: !outcome ? "(none)" : reason ? `${outcome["detail-type"]} ${reason}` : outcome["detail-type"],
      changed: !isDeepStrictEqual(before, after),
      auditRows: after.auditRows.length,
      emailsSent: after.emailLog.filter((item) => item.emailResult === "sent").length,
      orderState: !after.order
        ? "no such order"
        : payment
          ? `payment.isPaid ${String(payment.isPaid)}: ${payment.paymentId} (${payment.paymentMethod}, ${payment.totalPaid} THB)`
          : "no payment",
    });
  }
  return rows;
}

/** The summary table `npm start` prints. */
export function formatDemoSummary(rows: readonly DemoRow[]): string {
  return formatTable(
    rows.map((row) => ({
      confirmation: row.story,
      order: row.orderId,
      payment: row.paymentId,
      "outcome event": row.outcome,
      changed: row.changed ? "yes" : "no",
      "order's audit rows": row.auditRows,
      "order's emails sent": row.emailsSent,
      "order now": row.orderState,
    })),
    // Never cut: the summary is read whole (and quoted in the README), unlike the CLI's 120-column tables.
    { maxWidth: Number.POSITIVE_INFINITY },
  );
}

/**
 * The line under the summary when no confirmation changed anything: on a kept data directory the
 * demo replays confirmations an earlier run processed, and the table then shows that run's
 * results, which would otherwise read as this run's. Undefined when something changed.
 */
export function demoReplayNote(rows: readonly DemoRow[], dataDirectory: string | null): string | undefined {
  if (rows.length === 0 || rows.some((row) => row.changed)) return undefined;
  const where = dataDirectory ? ` (kept in ${dataDirectory}/; --in-memory or deleting it starts afresh)` : "";
  return `These confirmations were processed in an earlier run${where}; replaying them changed nothing.`;
}

/**
 * The line under the demo: events per bus (the system's bus, and the default bus where SES
 * publishes its email events) and dead letters of both kinds, as `payment3 dlq list` counts them.
 */
export function demoTotalsLine(stack: LocalStack, eventBusName: string): string {
  const { acceptedEventsByBus } = stack.eventBridge.getStatistics();
  const deadLetters = listUndeliveredEvents(stack).length;
  return (
    `${acceptedEventsByBus[eventBusName] ?? 0} events on the bus ${eventBusName}, ` +
    `${acceptedEventsByBus.default ?? 0} on the default bus (SES's email events), ${deadLetters} dead letters.`
  );
}

/** The order id of a demo confirmation, under either spelling the callbacks use. */
function orderIdOf(input: Record<string, unknown>): string {
  return String(input.orderId ?? input.order_id);
}
