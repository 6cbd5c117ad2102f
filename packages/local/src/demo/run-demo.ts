import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import {
  createAwsClients,
  createEventBridgePublisher,
  createProcessorDependencies,
  loadConfig,
  ORDER_TABLE_KEYS,
  publishWalletPaymentConfirmed,
  type Config,
} from "@payment3/core";
import { createProcessorHandler, processorSubscription } from "@payment3/functions";
import { ensureTable } from "../dynamodb/create-table";
import { localFunctionArn } from "../lambda/lambda-context";
import type { LocalFunction } from "../lambda/lambda-invoke-service";
import type { LocalStack } from "../local-stack";
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
 * Sets up the bus, the processor's rule and target, the order table and the demo orders on a
 * running local stack, with the processor running in-process as the rule's Lambda target.
 */
export async function provisionDemo(stack: LocalStack, config: Config, logger: Logger): Promise<void> {
  const { documentClient, eventBridge } = createAwsClients({ region: config.region, endpoint: stack.url });
  await eventBridge.send(new CreateEventBusCommand({ Name: config.eventBusName }));
  await ensureTable(stack.dynamoDb, config.orderTableName, ORDER_TABLE_KEYS);
  for (const order of DEMO_ORDERS) await documentClient.send(new PutCommand({ TableName: config.orderTableName, Item: order }));

  const functionName = `payment3-${config.branch}-processor`;
  const dependencies = createProcessorDependencies(config, logger);
  const handler = createProcessorHandler(() => dependencies, logger);
  stack.functions.set(functionName, handler as LocalFunction);
  await eventBridge.send(
    new PutRuleCommand({ Name: `payment3-${config.branch}-${processorSubscription.name}`, EventBusName: config.eventBusName, EventPattern: JSON.stringify(processorSubscription.eventPattern) }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: `payment3-${config.branch}-${processorSubscription.name}`,
      EventBusName: config.eventBusName,
      Targets: [{ Id: "processor", Arn: localFunctionArn(functionName, config.region), RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } }],
    }),
  );
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
