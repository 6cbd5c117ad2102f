import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { CreateEventBusCommand } from "@aws-sdk/client-eventbridge";
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { build } from "esbuild";
import {
  awaitingProofFields,
  calculateCostStandIn,
  configEnvironment,
  createProcessorDependencies,
  createAwsClients,
  EMAIL_LOG_TAG_NAME,
  emailLogTagOf,
  subscriptionResourceNames,
  sendEmailInput,
  uncertainEmailRequests,
  type Config,
  type NotificationLogRecord,
} from "@payment3/core";
import { readExampleEnvelope } from "@payment3/events/examples";
import { createAuditLogHandler, createNotificationsFunction, createProcessorHandler } from "@payment3/functions";
import { startLocalRuntime } from "@payment3/local";
import { buildOrders, grandTotalOf } from "./bench-orders";
import { captureRequests } from "./captured-requests";
import { esbuildOptions, type FunctionBundles, type SdkPackaging } from "./bundles";
import { median, medianConfidenceInterval, percentileOfSorted, roundTo } from "./statistics";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

export type ColdStartVerdict = "met" | "missed" | "unsettled";

export interface ColdStartRow {
  readonly name: string;
  readonly variant: FunctionBundles["variant"];
  readonly sdk: SdkPackaging;
  /**
   * What is timed in the fresh node process: `init + first invocation` (a function: module scope,
   * then its handler on a real event against the local endpoint, as Lambda bills a cold start;
   * its bare handler sends the same requests), or `import` (a diagnostic part alone).
   */
  readonly timed: "init + first invocation" | "import";
  readonly medianMs: number;
  readonly bareMedianMs: number;
  /**
   * The median of the rounds' paired ratios (each round times the function and its bare handler
   * one right after the other, alternating which goes first): the verdict's figure.
   */
  readonly ratio: number;
  /** The 25th and 75th percentiles of the paired ratios: how much one round's ratio moves on this machine. */
  readonly ratioP25: number;
  readonly ratioP75: number;
  /**
   * The 95 % confidence interval of the median paired ratio (distribution-free: `medianConfidenceInterval`), which
   * narrows as rounds are added, where the middle half of the rounds does not.
   */
  readonly ratioCiLow: number;
  readonly ratioCiHigh: number;
  /**
   * `met` when the whole confidence interval of the median is within the goal, `missed` when it is
   * all over the goal, `unsettled` when it straddles the goal (or the rounds are too few for an
   * interval): a verdict that the next run could flip is not given.
   */
  readonly verdict: ColdStartVerdict;
  readonly fastestMs: number;
  readonly bareFastestMs: number;
  readonly fastestRatio: number;
  readonly samplesMs: readonly number[];
  readonly bareSamplesMs: readonly number[];
}

export interface ColdStartResult {
  readonly runs: number;
  readonly goalRatio: number;
  readonly rows: readonly ColdStartRow[];
  /** Every SDK-bundled function as built `met` (which is what the stacks deploy). */
  readonly met: boolean;
}

export const COLD_START_GOAL_RATIO = 1.2;

/** Imports the bundle and, given an event, invokes its handler once; prints the times. The event is read before the clock starts. */
const CHILD = `import { readFileSync } from "node:fs";
const [bundle, eventFile] = process.argv.slice(2);
const event = eventFile ? JSON.parse(readFileSync(eventFile, "utf8")) : undefined;
const context = {
  functionName: "payment3-bench", functionVersion: "$LATEST", memoryLimitInMB: "1024", awsRequestId: "cold-start",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:payment3-bench",
  getRemainingTimeInMillis: () => 30000,
};
const started = performance.now();
const { handler } = await import(bundle);
const imported = performance.now();
if (event !== undefined) await handler(event, context);
const done = performance.now();
process.stdout.write("\\n" + JSON.stringify({ importMs: imported - started, totalMs: done - started }));
`;

/** One request the bare handler sends: the client, the command and its input. */
export interface BareRequest {
  readonly command: "Get" | "Put" | "Update" | "Query" | "Invoke" | "PutEvents" | "SendEmail" | "Publish";
  readonly input: Record<string, unknown>;
  /**
   * A conditional write that another writer may pre-empt, which the function takes in its stride (the sweep's record,
   * when its send's own SES events resolved the row first): the bare handler goes on, as the function does.
   */
  readonly mayFailItsCondition?: true;
}

/** For each command the bare handler may send: its package, class and client. */
const BARE_COMMANDS: Record<BareRequest["command"], { pkg: string; className: string; client: string }> = {
  Get: { pkg: "@aws-sdk/lib-dynamodb", className: "GetCommand", client: "documentClient" },
  Put: { pkg: "@aws-sdk/lib-dynamodb", className: "PutCommand", client: "documentClient" },
  Update: { pkg: "@aws-sdk/lib-dynamodb", className: "UpdateCommand", client: "documentClient" },
  Query: { pkg: "@aws-sdk/lib-dynamodb", className: "QueryCommand", client: "documentClient" },
  Invoke: { pkg: "@aws-sdk/client-lambda", className: "InvokeCommand", client: "lambda" },
  PutEvents: { pkg: "@aws-sdk/client-eventbridge", className: "PutEventsCommand", client: "eventBridge" },
  SendEmail: { pkg: "@aws-sdk/client-ses", className: "SendEmailCommand", client: "ses" },
  Publish: { pkg: "@aws-sdk/client-sns", className: "PublishCommand", client: "sns" },
};

/** How the bare handler imports and builds each client, as a handler does once per cold start. */
const CLIENT_SOURCE: Record<string, { readonly imports: readonly [string, string][]; readonly construct: string }> = {
  documentClient: {
    imports: [
      ["@aws-sdk/client-dynamodb", "DynamoDBClient"],
      ["@aws-sdk/lib-dynamodb", "DynamoDBDocumentClient"],
    ],
    construct: "DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint }))",
  },
  lambda: { imports: [["@aws-sdk/client-lambda", "LambdaClient"]], construct: "new LambdaClient({ endpoint })" },
  eventBridge: {
    imports: [["@aws-sdk/client-eventbridge", "EventBridgeClient"]],
    construct: "new EventBridgeClient({ endpoint })",
  },
  ses: { imports: [["@aws-sdk/client-ses", "SESClient"]], construct: "new SESClient({ endpoint })" },
  sns: { imports: [["@aws-sdk/client-sns", "SNSClient"]], construct: "new SNSClient({ endpoint })" },
};

/**
 * The bare handler of a cold start: the same SDK clients as the function, built in module scope,
 * and a handler that sends the requests its event lists (the function's own requests on a first
 * delivery, with the same contents) and nothing else.
 */
async function buildCallingBare(sdkClients: readonly string[], outfile: string): Promise<string> {
  const commands = (Object.keys(BARE_COMMANDS) as BareRequest["command"][]).filter((command) =>
    sdkClients.includes(BARE_COMMANDS[command].pkg),
  );
  const imports = new Map<string, Set<string>>();
  const add = (pkg: string, name: string) => imports.set(pkg, (imports.get(pkg) ?? new Set()).add(name));
  for (const command of commands) add(BARE_COMMANDS[command].pkg, BARE_COMMANDS[command].className);
  const clients = [...new Set(commands.map((command) => BARE_COMMANDS[command].client))];
  for (const client of clients) for (const [pkg, name] of CLIENT_SOURCE[client]!.imports) add(pkg, name);
  const contents = [
    ...[...imports].map(([pkg, names]) => `import { ${[...names].join(", ")} } from "${pkg}";`),
    "const endpoint = process.env.AWS_ENDPOINT_URL;",
    ...clients.map((client) => `const ${client} = ${CLIENT_SOURCE[client]!.construct};`),
    "const send = {",
    ...commands.map((command) => {
      const { className, client } = BARE_COMMANDS[command];
      const input = command === "Invoke" ? "{ ...input, Payload: new TextEncoder().encode(input.Payload) }" : "input";
      return `  ${command}: (input) => ${client}.send(new ${className}(${input})),`;
    }),
    "};",
    "export const handler = async (event) => {",
    "  for (const request of event.requests) {",
    "    try { await send[request.command](request.input); }",
    '    catch (error) { if (!(request.mayFailItsCondition && error.name === "ConditionalCheckFailedException")) throw error; }',
    "  }",
    "};",
  ].join("\n");
  await build({
    ...esbuildOptions("bundled", outfile),
    metafile: false,
    stdin: { contents, resolveDir: ROOT, sourcefile: "calling-bare-handler.mjs", loader: "js" },
  });
  return outfile;
}

/** A row written before an invocation runs. */
export interface SeededRow {
  readonly TableName: string;
  readonly Item: Record<string, unknown>;
}

/** A function's event for one cold start and the requests its bare handler sends instead, on fresh orders. */
export interface ColdStartCase {
  readonly event: unknown;
  /** The bare handler's requests, and the rows they need, written before it runs (as `rows` for the function). */
  readonly bare: { readonly requests: readonly BareRequest[]; readonly rows?: readonly SeededRow[] };
  /**
   * Rows the function's event refers to, written before it runs and only then (the email-log row an SES event is
   * about; the due row the sweep finds), so that neither side finds the other's row.
   */
  readonly rows?: readonly SeededRow[];
  /**
   * What a row holds once the function has done its whole first invocation, checked after it ran: the sweep swallows
   * a claim that finds nothing to take, so without this a case gone stale would time a Query alone.
   */
  readonly settles?: {
    readonly TableName: string;
    readonly Key: Record<string, unknown>;
    readonly fields: Record<string, unknown>;
  };
}

/** A function's first invocation did not do what its cold-start case sends its bare handler to do. */
export class ColdStartCaseError extends Error {
  override readonly name = "ColdStartCaseError";
  readonly code = "COLD_START_CASE_NOT_RUN";
}

/** A function the cold start has no case for: it would run on another function's event and time nothing meaningful. */
export class UnknownColdStartFunctionError extends Error {
  override readonly name = "UnknownColdStartFunctionError";
  readonly code = "UNKNOWN_COLD_START_FUNCTION";
  constructor(readonly functionName: string) {
    super(
      `The cold start has no case for function "${functionName}": add its first event and its bare handler's requests to casesFor in bench/cold-start.ts`,
    );
  }
}

const COLD_START_BUS = "payment3-bench-cold-start";

/** The logger a function's handler gets while its requests are captured for the bare handler: it writes nothing. */
const CAPTURE_LOGGER = new Logger({ serviceName: "payment3-bench-capture", logLevel: "SILENT" });

function example(name: string): Record<string, unknown> & { detail: Record<string, unknown> } {
  return readExampleEnvelope(name) as Record<string, unknown> & { detail: Record<string, unknown> };
}

/** The events and bare requests of each function, numbered so that no two invocations share an order or an outcome. */
export async function casesFor(
  name: string,
  config: Config,
  orders: Record<string, unknown>[],
): Promise<ColdStartCase> {
  const [order, bareOrder] = orders as [Record<string, unknown>, Record<string, unknown>];
  const orderId = String(order.orderId);
  const bareOrderId = String(bareOrder.orderId);
  const paid = example("OrderPaid.v1.json");
  const paidFor = (id: string, source: Record<string, unknown>) => ({
    ...paid,
    detail: { ...paid.detail, orderId: id, idempotencyKey: `${id}:pay_${id}:OrderPaid`, order: source },
  });
  const now = new Date().toISOString();
  if (name === "processor") {
    const confirmation = example("WalletPaymentConfirmed.v1.json");
    const confirmationOf = (id: string, source: Record<string, unknown>) => ({
      ...confirmation,
      id: `cold-${id}`,
      detail: { ...confirmation.detail, orderId: id, paymentId: `pay_${id}`, amount: grandTotalOf(source) },
    });
    return {
      event: confirmationOf(orderId, order),
      bare: {
        // The processor's own four, from its code on the bare handler's order: the order read, calculate-cost, the
        // conditional write of the outcome with the header and the recalculated order, and the outcome's PutEvents.
        requests: await captureRequests(
          {
            Get: () => ({ Item: bareOrder }),
            Invoke: () => ({ StatusCode: 200, Payload: Buffer.from(JSON.stringify(calculateCostStandIn(bareOrder))) }),
            Update: () => ({}),
            PutEvents: () => ({ FailedEntryCount: 0, Entries: [{ EventId: `cold-${bareOrderId}` }] }),
          },
          (clients) =>
            createProcessorHandler(
              () => createProcessorDependencies({ ...config, eventBusName: COLD_START_BUS }, { clients }),
              CAPTURE_LOGGER,
            )(confirmationOf(bareOrderId, bareOrder)),
        ),
      },
    };
  }
  if (name === "audit-log") {
    return {
      event: paidFor(orderId, order),
      bare: {
        // The function's own PutItem of the outcome's ProcessPaidOrderTable row, from its handler on the bare's order.
        requests: await captureRequests({ Put: () => ({}) }, ({ documentClient }) =>
          createAuditLogHandler(
            {
              documentClient,
              tableName: config.auditLogTableName,
              idempotencyTableName: config.idempotencyTableName,
              createdAtFormat: config.auditCreatedAtFormat,
            },
            CAPTURE_LOGGER,
          )(paidFor(bareOrderId, bareOrder)),
        ),
      },
    };
  }
  if (name === "email-events") {
    // SES's "Email Delivered" for the customer email of an OrderPaid, tagged with its email-log row.
    const key = { orderId, notificationKey: `${orderId}:pay_${orderId}:OrderPaid` };
    const mail = {
      timestamp: now,
      source: config.senderEmail,
      messageId: `cold-${orderId}`,
      destination: [`cold-${orderId}@example.com`],
      tags: {
        "ses:configuration-set": [config.emailConfigurationSetName],
        [EMAIL_LOG_TAG_NAME]: [emailLogTagOf(key)!.Value],
      },
    };
    return {
      event: {
        version: "0",
        id: `cold-${orderId}`,
        "detail-type": "Email Delivered",
        source: "aws.ses",
        account: "000000000000",
        time: now,
        region: config.region,
        resources: [],
        detail: { eventType: "Delivery", mail, delivery: { timestamp: now, recipients: mail.destination } },
      },
      rows: [{ TableName: config.emailLogTableName, Item: { ...key, status: "sent", emailResult: "sent" } }],
      bare: {
        requests: [
          {
            command: "Update",
            input: {
              TableName: config.emailLogTableName,
              Key: { orderId: bareOrderId, notificationKey: `${bareOrderId}:pay_${bareOrderId}:OrderPaid` },
              UpdateExpression: "SET sesDeliveredAt = :at",
              ExpressionAttributeValues: { ":at": now },
            },
          },
        ],
      },
    };
  }
  if (name === "email-sweep") return sweepCase(name, config, orderId, bareOrderId);
  if (name !== "notifications") throw new UnknownColdStartFunctionError(name);
  const customer = (id: string) => ({ name: "Somchai", email: `cold-${id}@example.com`, locale: "en" });
  return {
    event: paidFor(orderId, { ...order, customer: customer(orderId) }),
    bare: {
      // The function's own requests on a first delivery, from its handler on the bare's order (notify-customer.ts): the
      // email log's claim with the email's mark, SendEmail with the configuration set and tag (the local SES publishes
      // the email's events for both sides), the email's result with the SNS mark, Publish, the SNS result.
      requests: await captureRequests(
        {
          Update: () => ({}),
          SendEmail: () => ({ MessageId: `cold-${bareOrderId}` }),
          Publish: () => ({ MessageId: `cold-sns-${bareOrderId}` }),
        },
        (clients) =>
          createNotificationsFunction(
            config,
            CAPTURE_LOGGER,
            undefined,
            clients,
          )(paidFor(bareOrderId, { ...bareOrder, customer: customer(bareOrderId) })),
      ),
    },
  };
}

/**
 * The uncertain-email sweep's first invocation: its scheduled event, with one row on the email log awaiting proof for
 * longer than the window (as the notifier leaves an email it could not prove sent: notify-customer.ts), so it sends
 * its four requests (uncertain-emails.ts, sweep-uncertain-emails.ts): the index's Query, the claim, SendEmail with the
 * stored email (configuration set and tag: the local SES publishes its events for both sides) and the record. The bare
 * handler sends the same four on a row of its own, seeded only before it runs.
 */
function sweepCase(name: string, config: Config, orderId: string, bareOrderId: string): ColdStartCase {
  const nowMs = Date.now();
  // A minute older than the window: due for the sweep, which reads its window from the same config.
  const since = new Date(nowMs - (config.uncertainEmailWindowMinutes + 1) * 60_000);
  const keyOf = (id: string) => ({ orderId: id, notificationKey: `${id}:pay_${id}:OrderPaid` });
  const emailOf = (id: string) => ({
    to: `cold-${id}@example.com`,
    subject: `Order ${id} paid`,
    html: `<p>Order ${id} is paid.</p>`,
    text: `Order ${id} is paid.`,
    tags: [emailLogTagOf(keyOf(id))!],
  });
  const rowOf = (id: string): SeededRow => ({
    TableName: config.emailLogTableName,
    Item: {
      ...keyOf(id),
      status: "uncertain",
      template: "paid",
      recipient: emailOf(id).to,
      eventId: `cold-${id}`,
      claimedAt: since.getTime(),
      emailAttemptedAt: since.getTime(),
      emailAttemptToken: `cold-${id}`,
      emailResult: "uncertain",
      snsResult: "sent",
      snsMessageId: `cold-sns-${id}`,
      completedAt: since.toISOString(),
      ...awaitingProofFields(emailOf(id), since),
    },
  });
  const key = keyOf(bareOrderId);
  const email = emailOf(bareOrderId);
  const token = randomUUID();
  const now = new Date(nowMs);
  const at = now.toISOString();
  const entry = { key, since: since.toISOString() };
  const { ruleName } = subscriptionResourceNames(config.stage, name);
  return {
    event: {
      version: "0",
      id: randomUUID(),
      "detail-type": "Scheduled Event",
      source: "aws.events",
      account: "000000000000",
      time: at,
      region: config.region,
      resources: [`arn:aws:events:${config.region}:000000000000:rule/${ruleName}`],
      detail: {},
    },
    rows: [rowOf(orderId)],
    settles: {
      TableName: config.emailLogTableName,
      Key: keyOf(orderId),
      // Claimed once and sent. Who recorded it is a race the sweep may lose: its send's own SES events, recorded by the
      // runtime's email-events subscriber, can resolve the row (`emailResolvedBy: ses-event`) before the sweep's record
      // write, which then finds the row changed; the invocation sent its four requests either way.
      fields: { emailResult: "sent", status: "sent", emailSweepAttempts: 1 },
    },
    bare: {
      rows: [rowOf(bareOrderId)],
      requests: [
        {
          command: "Query",
          input: uncertainEmailRequests.listDue(
            config.emailLogTableName,
            new Date(nowMs - config.uncertainEmailWindowMinutes * 60_000),
          ),
        },
        { command: "Update", input: uncertainEmailRequests.claim(config.emailLogTableName, entry, now, token) },
        {
          command: "SendEmail",
          input: sendEmailInput(
            { senderEmail: config.senderEmail, configurationSetName: config.emailConfigurationSetName },
            email,
          ),
        },
        {
          command: "Update",
          input: uncertainEmailRequests.record(
            config.emailLogTableName,
            // The row as the claim leaves it; a message id in place of the one SES answers the function.
            {
              row: { ...rowOf(bareOrderId).Item, emailSweepToken: token } as NotificationLogRecord,
              token,
              previousSince: entry.since,
            },
            { kind: "sent", messageId: `cold-${randomUUID()}`, at: now },
          ),
          // Its send's SES events may resolve the row first, as for the function (see `settles`).
          mayFailItsCondition: true,
        },
      ],
    },
  };
}

/** Throws a {@link ColdStartCaseError} unless the row holds the fields the function's whole first invocation writes. */
async function checkSettled(
  documentClient: DynamoDBDocumentClient,
  name: string,
  settles: NonNullable<ColdStartCase["settles"]>,
): Promise<void> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: settles.TableName, Key: settles.Key, ConsistentRead: true }),
  );
  const wrong = Object.entries(settles.fields).filter(([field, value]) => Item?.[field] !== value);
  if (wrong.length > 0)
    throw new ColdStartCaseError(
      `${name}'s first invocation did not settle ${JSON.stringify(settles.Key)} in ${settles.TableName}: expected ${JSON.stringify(settles.fields)}, found ${JSON.stringify(Item ?? null)}. Its cold start would time less than its bare handler sends; fix its case in casesFor (bench/cold-start.ts).`,
    );
}

/** The environment a function starts with on Lambda, as far as its module scope reads it, pointed at the local endpoint. */
function childEnvironment(config: Config, endpoint: string): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _nodeOptions, ...env } = process.env;
  return {
    ...env,
    ...configEnvironment({ ...config, eventBusName: COLD_START_BUS }),
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: config.region,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_LAMBDA_FUNCTION_NAME: "payment3-bench",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };
}

/** Statistics of paired samples against the goal. */
function rowOf(
  fn: { name: string; variant: FunctionBundles["variant"]; sdk: SdkPackaging },
  timed: ColdStartRow["timed"],
  times: number[],
  bare: number[],
  goal: number,
): ColdStartRow {
  const paired = times.map((value, index) => value / bare[index]!).sort((a, b) => a - b);
  const ratio = median(paired);
  const ratioP25 = percentileOfSorted(paired, 25);
  const ratioP75 = percentileOfSorted(paired, 75);
  // Fewer than 6 rounds (the quick run) give no 95 % interval: the whole range is shown and no verdict is given.
  const interval = medianConfidenceInterval(paired);
  const low = interval?.low ?? paired[0]!;
  const high = interval?.high ?? paired.at(-1)!;
  const fastestMs = Math.min(...times);
  const bareFastestMs = Math.min(...bare);
  return {
    name: fn.name,
    variant: fn.variant,
    sdk: fn.sdk,
    timed,
    medianMs: roundTo(median(times), 2),
    bareMedianMs: roundTo(median(bare), 2),
    ratio: roundTo(ratio, 3),
    ratioP25: roundTo(ratioP25, 3),
    ratioP75: roundTo(ratioP75, 3),
    ratioCiLow: roundTo(low, 3),
    ratioCiHigh: roundTo(high, 3),
    verdict: !interval ? "unsettled" : high <= goal ? "met" : low > goal ? "missed" : "unsettled",
    fastestMs: roundTo(fastestMs, 2),
    bareFastestMs: roundTo(bareFastestMs, 2),
    fastestRatio: roundTo(fastestMs / bareFastestMs, 3),
    samplesMs: times.map((value) => roundTo(value, 2)),
    bareSamplesMs: bare.map((value) => roundTo(value, 2)),
  };
}

/**
 * Cold starts in fresh node processes against a local runtime of their own. A function (SDK
 * bundled, as deployed) is timed from the start of its import to the end of its first invocation
 * on a real event (a confirmation on a fresh order for the processor, an SES "Email Delivered" for email-events, an
 * OrderPaid for the subscribers, a scheduled event with one due uncertain email for the sweep), which is what Lambda bills and a caller waits for, so work moved from module
 * scope to the first call is still counted; its bare handler builds the same SDK clients and
 * sends the same requests, so the ratio is what our code adds. A diagnostic part is timed by its
 * import alone against its bare module. One unrecorded run of each first, then `runs` rounds,
 * each timing every bundle and its bare counterpart one right after the other, alternating which
 * goes first, so load from elsewhere falls on both alike; the verdict is on the paired ratios.
 */
export async function measureColdStarts(
  bundles: readonly FunctionBundles[],
  outputDirectory: string,
  runs: number,
  log: (message: string) => void,
): Promise<ColdStartResult> {
  const child = join(outputDirectory, "cold-start-child.mjs");
  writeFileSync(child, CHILD);
  const modules = join(outputDirectory, "node_modules");
  if (!existsSync(modules)) symlinkSync(fileURLToPath(new URL("../node_modules", import.meta.url)), modules, "dir");
  // No sweep of the runtime's own: the sweep timed here must find the row seeded for it, and nothing else may take it.
  const runtime = await startLocalRuntime({ port: 0, dataDirectory: null, logLevel: "SILENT", scheduledFunctions: [] });
  try {
    const config = runtime.config;
    const clients = createAwsClients({ region: config.region, endpoint: runtime.url });
    await clients.eventBridge.send(new CreateEventBusCommand({ Name: COLD_START_BUS }));
    const env = childEnvironment(config, runtime.url);
    const functions = bundles.filter((fn) => fn.variant === "as built");
    const bares = new Map<string, string>();
    for (const fn of functions)
      bares.set(fn.name, await buildCallingBare(fn.sdkClients, join(outputDirectory, `${fn.name}.calling-bare.mjs`)));
    let nextOrderId = 900_000_000_000;
    let eventFiles = 0;
    const writeEvent = (event: unknown) => {
      const file = join(outputDirectory, `cold-start-event-${eventFiles++}.json`);
      writeFileSync(file, JSON.stringify(event));
      return file;
    };
    /** One timed process: total time (init + first invocation), or the import alone without an event. */
    const time = async (bundle: string, event?: unknown): Promise<number> => {
      const args = [child, resolve(bundle), ...(event === undefined ? [] : [writeEvent(event)])];
      const { stdout } = await run(process.execPath, args, { env, timeout: 60_000 });
      // The function's own lines (its EMF metrics) come first; the times are the last line.
      const measured = JSON.parse(stdout.slice(stdout.lastIndexOf("\n") + 1)) as { importMs: number; totalMs: number };
      return event === undefined ? measured.importMs : measured.totalMs;
    };
    /**
     * A function's case on two fresh orders (one for it, one for its bare handler), seeded in the order table, with
     * the rows the side about to run needs.
     */
    const freshCase = async (name: string, side: "function" | "bare"): Promise<ColdStartCase> => {
      const orders = buildOrders(2, nextOrderId);
      nextOrderId += 2;
      for (const order of orders)
        await clients.documentClient.send(new PutCommand({ TableName: config.orderTableName, Item: order }));
      const cold = await casesFor(name, config, orders);
      for (const row of (side === "function" ? cold.rows : cold.bare.rows) ?? [])
        await clients.documentClient.send(new PutCommand(row));
      return cold;
    };
    const pair = async (fn: FunctionBundles, round: number): Promise<[number, number]> => {
      const measure = async (side: "function" | "bare") => {
        if (fn.variant !== "as built") return time(side === "function" ? fn.bundle.file : fn.bare.file);
        const cold = await freshCase(fn.name, side);
        if (side === "bare") return time(bares.get(fn.name)!, { requests: cold.bare.requests });
        const ms = await time(fn.bundle.file, cold.event);
        if (cold.settles) await checkSettled(clients.documentClient, fn.name, cold.settles);
        return ms;
      };
      if (round % 2 === 0) {
        const own = await measure("function");
        return [own, await measure("bare")];
      }
      const bare = await measure("bare");
      return [await measure("function"), bare];
    };
    for (const fn of bundles) await pair(fn, 0);
    const samples = bundles.map(() => ({ function: [] as number[], bare: [] as number[] }));
    for (let round = 0; round < runs; round++) {
      log(`cold start: round ${round + 1} of ${runs}, ${bundles.length} bundles and their bare handlers`);
      for (const [index, fn] of bundles.entries()) {
        const [own, bare] = await pair(fn, round);
        samples[index]!.function.push(own);
        samples[index]!.bare.push(bare);
      }
    }
    clients.documentClient.destroy();
    clients.eventBridge.destroy();
    const rows = bundles.map((fn, index) =>
      rowOf(
        fn,
        fn.variant === "as built" ? "init + first invocation" : "import",
        samples[index]!.function,
        samples[index]!.bare,
        COLD_START_GOAL_RATIO,
      ),
    );
    return {
      runs,
      goalRatio: COLD_START_GOAL_RATIO,
      rows,
      met: rows
        .filter((row) => row.sdk === "bundled" && row.variant === "as built")
        .every((row) => row.verdict === "met"),
    };
  } finally {
    await runtime.close();
  }
}
