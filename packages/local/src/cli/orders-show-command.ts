import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, readAuditRow, type Order, type ReadAuditRow } from "@payment3/core";
import { isOrderId } from "@payment3/events";
import { formatTable } from "../demo/run-demo";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";

/** `payment3 orders show <orderId>`: the order's payment header, each payment's final outcome, its audit rows and its emails. */
export async function ordersShowCommand(context: CliContext, orderId: string | undefined) {
  if (!isOrderId(orderId)) throw new CliError(`usage: payment3 orders show <orderId> (a non-empty id without control characters, at most 128 characters), got ${JSON.stringify(orderId ?? "")}`, 2);
  const { config } = context;
  const documentClient = createDocumentClient({ region: config.region, endpoint: context.endpoint });
  const byOrder = (table: string) =>
    documentClient.send(new QueryCommand({ TableName: table, KeyConditionExpression: "orderId = :o", ExpressionAttributeValues: { ":o": orderId } })).then((r) => r.Items ?? []);
  const [order, auditRows, emails] = await Promise.all([
    documentClient.send(new GetCommand({ TableName: config.orderTableName, Key: { orderId } })).then((r) => r.Item as Order | undefined),
    byOrder(config.processPaidOrderTableName).then((items) => items.map(readableAuditRow)),
    byOrder(config.emailLogTableName),
  ]);
  const paymentOutcomes = order?.paymentOutcomes ?? {};
  const result = { orderId, exists: order !== undefined, payment: order?.payment ?? null, paymentOutcomes, grandTotal: order?.grandTotal ?? null, auditRows, emails };
  if (context.json) {
    context.out(JSON.stringify(result));
    return result;
  }
  if (!order) context.out(`order ${orderId}: not in ${config.orderTableName}`);
  else context.out(`order ${orderId}: ${order.payment ? `payment ${JSON.stringify(order.payment)}` : "no payment header (unpaid)"}; grand total ${order.grandTotal ?? "-"}`);
  const payments = Object.entries(paymentOutcomes);
  if (payments.length) {
    context.out(`\npayment outcomes: ${payments.length}`);
    context.out(formatTable(payments.map(([paymentId, record]) => ({ paymentId, outcome: record.outcome, occurredAt: record.occurredAt, amount: String(record.amount) }))));
  }
  context.out(`\naudit rows (${config.processPaidOrderTableName}): ${auditRows.length}`);
  if (auditRows.length) {
    context.out(
      formatTable(
        auditRows.map((row) =>
          "unreadable" in row
            ? { created_at: String(row.created_at), outcome: `(unreadable: ${row.unreadable})`, reason: "", is_error: String(row.is_error), paymentId: "" }
            : { created_at: new Date(row.createdAtMillis).toISOString(), outcome: String(row.outcome ?? ""), reason: String(row.reason ?? ""), is_error: String(row.is_error), paymentId: String(row.paymentId ?? "") },
        ),
      ),
    );
  }
  context.out(`\nemails (${config.emailLogTableName}): ${emails.length}`);
  if (emails.length) {
    context.out(formatTable(emails.map((row) => ({ template: String(row.template), status: String(row.status), recipient: String(row.recipient ?? "(none)"), sentAt: String(row.sentAt ?? ""), messageId: String(row.messageId ?? "") }))));
  }
  return result;
}

/** An audit row with `created_at` and `data` decoded; one that cannot be is shown as stored, with the reason. */
function readableAuditRow(item: Record<string, unknown>): ReadAuditRow | (Record<string, unknown> & { readonly unreadable: string }) {
  try {
    return readAuditRow(item);
  } catch (error) {
    return { ...item, unreadable: (error as Error).message };
  }
}
