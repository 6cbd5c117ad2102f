import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, loadConfig, publishWalletPaymentConfirmed, type Config } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import type { LocalStack } from "../local-stack";
import { provisionLocalResources, registerSubscriptions } from "../runtime/provision";
import { DEMO_CONFIRMATIONS, DEMO_ORDERS } from "./demo-orders";

export interface DemoRow {
  readonly story: string;
  readonly orderId: string;
  readonly paymentId: string;
  readonly outcome: string;
  readonly orderState: string;
}

/** The config the local runtime runs the production code with: only the endpoint differs. */
export function localConfig(stack: LocalStack, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({ ...env, AWS_ENDPOINT_URL: stack.url, AWS_REGION: env.AWS_REGION ?? "ap-southeast-1" });
}

/**
 * Sets up the bus, the tables, every subscription of the registry (the processor and the
 * subscribers run in-process as rule targets) and the demo orders on a running local stack.
 */
export async function provisionDemo(stack: LocalStack, config: Config, logger: Logger): Promise<void> {
  await provisionLocalResources(stack, config);
  await registerSubscriptions(stack, config, SUBSCRIPTIONS, logger);
  const { documentClient } = createAwsClients({ region: config.region, endpoint: stack.url });
  for (const order of DEMO_ORDERS) await documentClient.send(new PutCommand({ TableName: config.orderTableName, Item: order }));
}

/** Publishes the demo confirmations one by one, as the callbacks would, and reports what became of each. */
export async function runDemoConfirmations(stack: LocalStack, config: Config): Promise<DemoRow[]> {
  const { documentClient, eventBridge } = createAwsClients({ region: config.region, endpoint: stack.url });
  const publisher = createEventBridgePublisher({ client: eventBridge });
  const rows: DemoRow[] = [];
  for (const { story, input } of DEMO_CONFIRMATIONS) {
    const published = await publishWalletPaymentConfirmed(input, { publisher, eventBusName: config.eventBusName });
    await stack.eventBridge.whenIdle();
    const outcome = stack.eventBridge
      .listAcceptedEvents(config.eventBusName)
      .map((accepted) => accepted.event)
      .find((event) => (event.detail as { confirmationEventId?: string }).confirmationEventId === published.eventId);
    const detail = outcome?.detail as { reason?: string } | undefined;
    const order = (await documentClient.send(new GetCommand({ TableName: config.orderTableName, Key: { orderId: published.orderId } }))).Item;
    const header = order?.paymentHeader as { isPaid?: boolean; paymentId?: string } | undefined;
    rows.push({
      story,
      orderId: published.orderId,
      paymentId: published.paymentId,
      outcome: !outcome ? "(none)" : detail?.reason ? `${outcome["detail-type"]} ${detail.reason}` : outcome["detail-type"],
      orderState: !order ? "no such order" : header?.isPaid ? `paid by ${header.paymentId}` : header ? `unpaid (last: ${header.paymentId} declined)` : "unpaid",
    });
  }
  return rows;
}

/** Renders rows as an aligned text table. */
export function formatTable(rows: readonly Record<string, string>[]): string {
  if (rows.length === 0) return "";
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(columns.map((c) => row[c] ?? "")))].join("\n");
}
