import {
  createDocumentClient,
  readAuditRow,
  type Order,
  type PaymentOutcomeRecord,
  type ReadAuditRow,
} from "@payment3/core";
import { isOrderId } from "@payment3/events";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import { readItemsOfOrder, readOrderItem } from "./order-items";
import { formatTable } from "./text-table";
import { formatThb } from "./thb-amount";

type ShownAuditRow = ReadAuditRow | (Record<string, unknown> & { readonly unreadable: string });

/** `payment3 orders show <orderId>`: the order's payment header, each payment's final outcome, its audit rows and its emails. */
export async function ordersShowCommand(context: CliContext, orderId: string | undefined) {
  if (!isOrderId(orderId))
    throw new CliError(
      `usage: payment3 orders show <orderId> (a non-empty id without control characters, at most 128 characters), got ${JSON.stringify(orderId ?? "")}`,
      2,
    );
  const { config, style } = context;
  const documentClient = createDocumentClient({ region: config.region, endpoint: context.endpoint });
  const [order, storedAuditRows, emails] = await Promise.all([
    readOrderItem(documentClient, config.orderTableName, orderId),
    readItemsOfOrder(documentClient, config.auditLogTableName, orderId).then((items) => items.map(readableAuditRow)),
    readItemsOfOrder(documentClient, config.emailLogTableName, orderId),
  ]);
  const paymentOutcomes = order?.paymentOutcomes ?? {};
  const auditRows = sortAuditRows(storedAuditRows, paymentOutcomes);
  const result = {
    orderId,
    exists: order !== undefined,
    payment: order?.payment ?? null,
    paymentOutcomes,
    grandTotal: order?.grandTotal ?? null,
    auditRows,
    emails,
  };
  if (context.json) {
    context.out(JSON.stringify(result));
    return result;
  }
  if (!order) context.out(`order ${orderId}: not in ${config.orderTableName}`);
  else {
    const header =
      typeof order.payment === "object" && order.payment !== null
        ? (order.payment as Record<string, unknown>)
        : undefined;
    context.out(
      `order ${orderId}: ${header ? (header.isPaid === true ? style.green("paid") : style.red("not paid")) : "no payment header (unpaid)"}`,
    );
    const fields = [...(header ? headerFields(header) : []), ...totalFields(order)];
    const width = Math.max(...fields.map(([label]) => label.length));
    for (const [label, value] of fields) context.out(`  ${label.padEnd(width)}  ${value}`);
  }
  const payments = Object.entries(paymentOutcomes);
  if (payments.length) {
    context.out(`\npayment outcomes: ${payments.length}`);
    context.out(
      formatTable(
        payments.map(([paymentId, record]) => ({
          paymentId,
          outcome: outcomeText(context, record.outcome),
          occurredAt: record.occurredAt,
          amount: record.amountReported === false ? "not reported" : formatThb(record.amount),
        })),
      ),
    );
  }
  context.out(`\naudit rows (${config.auditLogTableName}): ${auditRows.length}`);
  if (auditRows.length) {
    context.out(
      formatTable(
        auditRows.map((row) =>
          "unreadable" in row
            ? {
                created_at: String(row.created_at),
                outcome: `(unreadable: ${row.unreadable})`,
                reason: "",
                is_error: String(row.is_error),
                paymentId: "",
              }
            : {
                created_at: new Date(row.createdAtMillis).toISOString(),
                outcome: String(row.outcome ?? ""),
                reason: String(row.reason ?? ""),
                is_error: String(row.is_error),
                paymentId: String(row.paymentId ?? ""),
              },
        ),
        { style },
      ),
    );
  }
  context.out(`\nemails (${config.emailLogTableName}): ${emails.length}`);
  if (emails.length) {
    context.out(
      formatTable(
        emails.map((row) => ({
          template: String(row.template),
          status: String(row.status),
          recipient: String(row.recipient ?? "(none)"),
          sentAt: String(row.sentAt ?? ""),
          messageId: String(row.messageId ?? ""),
        })),
        { style },
      ),
    );
  }
  return result;
}

const outcomeText = (context: CliContext, outcome: string) =>
  outcome === "OrderPaid" ? context.style.green(outcome) : context.style.red(outcome);

/** The payment header as labelled lines; a field the writing flow did not set is left out. */
function headerFields(header: Record<string, unknown>): [string, string][] {
  const fields: [string, string][] = [["paid", header.isPaid === true ? "yes" : "no"]];
  if (header.paymentId !== undefined) fields.push(["paymentId", String(header.paymentId)]);
  if (header.paymentMethod !== undefined)
    fields.push([
      "method",
      `${String(header.paymentMethod)}${header.channel !== undefined ? ` (channel ${String(header.channel)})` : ""}`,
    ]);
  if (header.totalPaid !== undefined)
    fields.push([
      "total paid",
      header.amountReported === false
        ? `${formatThb(header.totalPaid)} (no amount reported; recorded as 0)`
        : formatThb(header.totalPaid),
    ]);
  if (header.overpaidAmount !== undefined) fields.push(["overpaid", formatThb(header.overpaidAmount)]);
  if (header.amountReported !== undefined)
    fields.push(["amount reported", header.amountReported === true ? "yes" : "no"]);
  if (header.paidAt !== undefined) fields.push(["paidAt", header.paidAt === null ? "-" : String(header.paidAt)]);
  return fields;
}

/** The order's totals as calculate-cost returned them; an absent one is left out. */
function totalFields(order: Order): [string, string][] {
  return (["subtotal", "shipping", "discount", "grandTotal"] as const)
    .filter((field) => order[field] !== undefined && order[field] !== null)
    .map((field) => [field === "grandTotal" ? "grand total" : field, formatThb(order[field])]);
}

/**
 * A refund (ALREADY_PAID) comes after the payment it refers to, and each outcome in a stable
 * place, whatever the table's created_at precision.
 */
const OUTCOME_RANK: Readonly<Record<string, number>> = { OrderPaid: 0, PAYMENT_DECLINED: 1, ALREADY_PAID: 3 };
const rankOf = (row: ShownAuditRow) =>
  "unreadable" in row ? 4 : row.outcome === "OrderPaid" ? 0 : (OUTCOME_RANK[String(row.reason)] ?? 2);

/**
 * Audit rows oldest first. created_at may be whole seconds, and an ALREADY_PAID's time is its
 * confirmation's event time (whole seconds too), which can read earlier than the OrderPaid it
 * refers to: rows are compared by the second, then by outcome (payment before refund), then by
 * the recorded occurredAt at full precision, then by paymentId; an ALREADY_PAID row still
 * before the order's OrderPaid row is moved right after it.
 */
export function sortAuditRows(
  rows: readonly ShownAuditRow[],
  outcomes: Readonly<Record<string, PaymentOutcomeRecord>>,
): ShownAuditRow[] {
  const millis = (row: ShownAuditRow) => {
    if ("unreadable" in row) return Number.MAX_SAFE_INTEGER;
    const recorded = row.paymentId ? Date.parse(outcomes[row.paymentId]?.occurredAt ?? "") : Number.NaN;
    return Number.isNaN(recorded) ? row.createdAtMillis : recorded;
  };
  const second = (row: ShownAuditRow) =>
    "unreadable" in row ? Number.MAX_SAFE_INTEGER : Math.floor(row.createdAtMillis / 1000);
  const sorted = [...rows].sort(
    (a, b) =>
      second(a) - second(b) ||
      rankOf(a) - rankOf(b) ||
      millis(a) - millis(b) ||
      String(a.paymentId ?? "").localeCompare(String(b.paymentId ?? "")),
  );
  // A refund whose confirmation was sent before the paying one was processed still follows it.
  const paid = sorted.findIndex((row) => !("unreadable" in row) && row.outcome === "OrderPaid");
  const early = sorted.slice(0, Math.max(0, paid)).filter((row) => rankOf(row) === OUTCOME_RANK.ALREADY_PAID);
  if (early.length === 0) return sorted;
  const rest = sorted.filter((row) => !early.includes(row));
  const after = rest.indexOf(sorted[paid]!) + 1;
  return [...rest.slice(0, after), ...early, ...rest.slice(after)];
}

/** An audit row with `created_at` and `data` decoded; one that cannot be is shown as stored, with the reason. */
function readableAuditRow(item: Record<string, unknown>): ShownAuditRow {
  try {
    return readAuditRow(item);
  } catch (error) {
    return { ...item, unreadable: (error as Error).message };
  }
}
