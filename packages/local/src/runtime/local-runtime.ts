import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  createAwsClients,
  createBusinessMetricsCounter,
  loadConfig,
  type BusinessMetricsCounter,
  type Config,
} from "@payment3/core";
import { SCHEDULED_FUNCTIONS, SUBSCRIPTIONS, type ScheduledFunction, type Subscription } from "@payment3/functions";
import { DEMO_ORDERS } from "../demo/demo-orders";
import { startLocalStack, type LocalStack } from "../local-stack";
import { assertPortFree } from "./port-check";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "./provision";
import { readItemsOfOrder, readOrderItem } from "../cli/order-items";
import { registerLegacyInvokeAdapter } from "./legacy-invoke-adapter";
import { createLocalFunctionLogger } from "@payment3/aws-local";

export const DEFAULT_LOCAL_PORT = 4566;
export const DEFAULT_DATA_DIRECTORY = ".local";
/** The local SES's sent emails, inside the data directory. */
export const SENT_EMAILS_FILE = join("ses", "sent-emails.jsonl");
/** The local SES account-level suppression list, under the data directory. */
export const SUPPRESSION_LIST_FILE = join("ses", "suppression-list.json");

export interface LocalRuntimeOptions {
  readonly host?: string;
  /** Default 4566; 0 picks a free port. */
  readonly port?: number;
  /** Where DynamoDB data, the bus's state and the sent emails live; null keeps everything in memory. */
  readonly dataDirectory?: string | null;
  /** Environment the production code reads its config from (only the endpoint is forced). */
  readonly env?: NodeJS.ProcessEnv;
  readonly subscriptions?: readonly Subscription[];
  /** The functions run on a schedule (the uncertain-email sweep). Default: every one ({@link SCHEDULED_FUNCTIONS}). */
  readonly scheduledFunctions?: readonly ScheduledFunction[];
  /**
   * The clock the schedules fire by and the scheduled functions run on. Default the system clock. Tests pass one
   * they move forward, with `scheduleTickIntervalMs: 0`, and fire what is due with `stack.eventBridge.fireDueSchedules()`.
   */
  readonly clock?: () => Date;
  /** How often the local EventBridge fires due schedules. Default 1000 ms; 0: only `fireDueSchedules()` does. */
  readonly scheduleTickIntervalMs?: number;
  /** Powertools log level of the in-process functions. Default WARN. */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
  /** First retry delay of rule targets (a refused invoke). Default 1000 ms, as AWS-like as is useful locally. */
  readonly retryBaseDelayMs?: number;
  /**
   * Lambda's waits before its retries of a function error. Default 1 s then 2 s (AWS: about 1 minute, then 2);
   * tests pass a few ms.
   */
  readonly functionRetryDelaysMs?: readonly number[];
  readonly warn?: (message: string) => void;
  /**
   * Whether the console keeps each change of an order's payment header (its timeline shows them): two more order
   * reads per confirmation, so off unless asked for; `npm start` asks. Default false.
   */
  readonly followOrderHistory?: boolean;
  /** Where dynalite runs: its own worker thread (default, so it uses a second core) or this thread. */
  readonly dynamoDbThread?: "worker" | "main";
}

export interface LocalRuntime {
  readonly stack: LocalStack;
  readonly config: Config;
  readonly url: string;
  /** Every subscription's business counts since start (`payment3 status` shows them). */
  readonly businessMetrics: BusinessMetricsCounter;
  close(): Promise<void>;
}

/** The config the local runtime runs the production code with: only the endpoint differs from AWS. */
export function localConfig(stack: Pick<LocalStack, "url">, env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig({ ...env, AWS_ENDPOINT_URL: stack.url, AWS_REGION: env.AWS_REGION ?? "ap-southeast-1" });
}

/**
 * Everything `npm start` serves: the local stack on one endpoint, the bus, the tables, the
 * topic, every subscription of the registry running in-process as a rule target, the scheduled
 * functions on their schedules, and the demo orders (seeded only where missing, so a restart on `.local/` keeps what happened).
 */
export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? DEFAULT_LOCAL_PORT;
  await assertPortFree(host, port);
  const data = options.dataDirectory === undefined ? DEFAULT_DATA_DIRECTORY : options.dataDirectory;
  if (data) mkdirSync(join(data, "dynamodb"), { recursive: true });
  const warn = options.warn ?? ((message: string) => console.warn(`[local] ${message}`));
  const logLevel = options.logLevel ?? "WARN";
  // At DEBUG every failed delivery attempt prints its full error too; otherwise once, at dead-letter.
  const debug = logLevel === "DEBUG" ? { debug: (message: string) => console.debug(`[local] ${message}`) } : {};
  const businessMetrics = createBusinessMetricsCounter();
  const stack = await startLocalStack({
    businessMetrics,
    host,
    port,
    region: (options.env ?? process.env).AWS_REGION ?? "ap-southeast-1",
    ...(data ? { dynamoDbPath: join(data, "dynamodb") } : {}),
    ...(options.dynamoDbThread ? { dynamoDbThread: options.dynamoDbThread } : {}),
    eventBridge: {
      retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.scheduleTickIntervalMs !== undefined
        ? { scheduleTickIntervalMs: options.scheduleTickIntervalMs }
        : {}),
      logger: { warn, info: warn, ...debug },
      ...(data ? { dataDirectory: join(data, "eventbridge") } : {}),
    },
    ses: {
      warn,
      ...(data
        ? { sentEmailsFile: join(data, SENT_EMAILS_FILE), suppressionListFile: join(data, SUPPRESSION_LIST_FILE) }
        : {}),
    },
    // Failed asynchronous invocations (the subscribers' and the legacy invoke adapter's on-failure records) outlive a
    // restart, as the bus's dead letters do.
    lambdaAsync: {
      logger: { warn },
      ...(options.functionRetryDelaysMs ? { retryDelaysMs: options.functionRetryDelaysMs } : {}),
      ...(data ? { failuresFile: join(data, "lambda", "async-failures.json") } : {}),
    },
  });
  try {
    const config = localConfig(stack, options.env ?? process.env);
    const logger = createLocalFunctionLogger("payment3-local", logLevel);
    await provisionLocalResources(stack, config, { dataDirectory: data, warn });
    await registerSubscriptions(stack, config, options.subscriptions ?? SUBSCRIPTIONS, logger, businessMetrics);
    // The uncertain-email sweep, on a scheduled rule of the local default bus, as on AWS.
    await registerSubscriptions(
      stack,
      config,
      options.scheduledFunctions ?? SCHEDULED_FUNCTIONS,
      logger,
      businessMetrics,
      options.clock,
    );
    // The callbacks' legacy way in: `aws lambda invoke --function-name payment3-process-paid-wallet-order-internal-<stage>`.
    await registerLegacyInvokeAdapter(stack, config, logger);
    await seedMissingOrders(stack, config, DEMO_ORDERS);
    useOrdersInConsole(stack, config, options.subscriptions ?? SUBSCRIPTIONS, options.followOrderHistory ?? false);
    return { stack, config, url: stack.url, businessMetrics, close: () => stack.close() };
  } catch (error) {
    await stack.close();
    throw error;
  }
}

/** Lets the console show order timelines; the order's history is read after each subscription that writes orders. */
function useOrdersInConsole(
  stack: LocalStack,
  config: Config,
  subscriptions: readonly Subscription[],
  followOrderHistory: boolean,
): void {
  const { documentClient } = createAwsClients({ region: config.region, endpoint: stack.url });
  const writesOrders = new Set(
    subscriptions
      .filter((subscription) =>
        subscription.access.some(
          (access) =>
            access.resource === "orderTable" &&
            access.actions.some((action) => action === "dynamodb:UpdateItem" || action === "dynamodb:PutItem"),
        ),
      )
      .map((subscription) => subscriptionResourceNames(config, subscription).ruleName),
  );
  stack.console.useOrders({
    readOrder: (orderId) => readOrderItem(documentClient, config.orderTableName, orderId),
    readAuditRows: (orderId) => readItemsOfOrder(documentClient, config.auditLogTableName, orderId),
    readEmailLogRows: (orderId) => readItemsOfOrder(documentClient, config.emailLogTableName, orderId),
    listSnsMessages: () => stack.sns.listPublishedMessages(),
    ...(followOrderHistory ? { changesOrders: (ruleName: string) => writesOrders.has(ruleName) } : {}),
    mailPageUrl: stack.mailPageUrl,
  });
}

/** Puts each order that is not there yet; an existing order (maybe paid by now) is left alone. */
export async function seedMissingOrders(
  stack: LocalStack,
  config: Config,
  orders: readonly Record<string, unknown>[],
): Promise<number> {
  const { documentClient } = createAwsClients({ region: config.region, endpoint: stack.url });
  let seeded = 0;
  for (const order of orders) {
    try {
      await documentClient.send(
        new PutCommand({
          TableName: config.orderTableName,
          Item: order,
          ConditionExpression: "attribute_not_exists(orderId)",
        }),
      );
      seeded += 1;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  return seeded;
}
