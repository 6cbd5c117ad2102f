import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, type Order } from "@payment3/core";
import { formatTable } from "../demo/run-demo";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";

/** `payment3 orders show <orderId>`: the order's payment header, each payment's final outcome, its audit rows and its emails. */
export async function ordersShowCommand(context: CliContext, orderId: string | undefined) {
  if (!orderId || !/^\d+$/.test(orderId)) throw new CliError(`usage: payment3 orders show <orderId> (digits), got ${JSON.stringify(orderId ?? "")}`, 2);
  const { config } = context;
  const documentClient = createDocumentClient({ region: config.region, endpoint: context.endpoint });
  const byOrder = (table: string) =>
    documentClient.send(new QueryCommand({ TableName: table, KeyConditionExpression: "orderId = :o", ExpressionAttributeValues: { ":o": orderId } })).then((r) => r.Items ?? []);
  const [order, auditRows, emails] = await Promise.all([
    documentClient.send(new GetCommand({ TableName: config.orderTableName, Key: { orderId } })).then((r) => r.Item as Order | undefined),
    byOrder(config.processPaidOrderTableName),
    byOrder(config.emailLogTableName),
  ]);
  const paymentOutcomes = order?.paymentOutcomes ?? {};
  const result = { orderId, exists: order !== undefined, paymentHeader: order?.paymentHeader ?? null, paymentOutcomes, grandTotal: order?.grandTotal ?? null, auditRows, emails };
  if (context.json) {
    context.out(JSON.stringify(result));
    return result;
  }
  if (!order) context.out(`order ${orderId}: not in ${config.orderTableName}`);
  else context.out(`order ${orderId}: ${order.paymentHeader ? JSON.stringify(order.paymentHeader) : "no payment header (unpaid)"}; grand total ${order.grandTotal ?? "-"}`);
  const payments = Object.entries(paymentOutcomes);
  if (payments.length) {
    context.out(`\npayment outcomes: ${payments.length}`);
    context.out(formatTable(payments.map(([paymentId, record]) => ({ paymentId, outcome: record.outcome, occurredAt: record.occurredAt, amount: String(record.amount) }))));
  }
  context.out(`\naudit rows (${config.processPaidOrderTableName}): ${auditRows.length}`);
  if (auditRows.length) {
    context.out(formatTable(auditRows.map((row) => ({ created_at: new Date(Number(row.created_at)).toISOString(), outcome: String(row.outcome), reason: String(row.reason ?? ""), is_error: String(row.is_error), paymentId: String(row.paymentId ?? "") }))));
  }
  context.out(`\nemails (${config.emailLogTableName}): ${emails.length}`);
  if (emails.length) {
    context.out(formatTable(emails.map((row) => ({ template: String(row.template), status: String(row.status), recipient: String(row.recipient ?? "(none)"), sentAt: String(row.sentAt ?? ""), messageId: String(row.messageId ?? "") }))));
  }
  return result;
}
