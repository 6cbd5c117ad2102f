import { createHash } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, StartReplayCommand } from "@aws-sdk/client-eventbridge";
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import {
  BUSINESS_METRIC,
  createBusinessMetricsCounter,
  createEventBridgePublisher,
  defaultResourceNames,
  PublishError,
  readAuditRow,
  type Config,
  type EventPublisher,
} from "@payment3/core";
import {
  CONFIRMATION_SOURCE_BY_CHANNEL,
  buildPutEventsEntry,
  WalletPaymentConfirmedContract,
  type PaymentHeader,
  type PutEventsEntry,
} from "@payment3/events";
import { SCHEDULED_FUNCTIONS, SUBSCRIPTIONS } from "@payment3/functions";
import {
  createSeededRandom,
  FaultInjector,
  subscriberOutageFor,
  type FaultCount,
  type FaultKind,
} from "../faults/index";
import { installProcessorCrashes } from "../faults/processor-faults";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "../runtime/provision";
import { listUndeliveredEvents, redriveUndeliveredEvents } from "../runtime/undelivered-events";
import { defaultFaultProfile, type FaultProfile } from "./fault-profile";
import { buildFaultMatrix, formatFaultMatrix, type FaultMatrixRow } from "./fault-matrix";
import {
  checkInvariants,
  classifyViolations,
  formatViolationClasses,
  type HeaderSample,
  type InvariantReport,
} from "./invariants";
import { OutcomeRecorder } from "./outcome-recorder";
import { planScenario, type Delivery, type ScenarioCounts } from "./scenario";
import { createLocalFunctionLogger } from "@payment3/aws-local";

const REGION = "ap-southeast-1";
/**
 * The functions' timeout in the run (30 s and 200 s on AWS). Retries here are 2–20 ms apart instead
 * of Lambda's minutes, so every time constant that decides whether a retry may proceed is
 * compressed with them: Powertools marks an invocation in progress until the function's timeout,
 * and on AWS the first retry comes after it has passed; with a 30 s timeout and millisecond
 * retries, every retry of an invocation that could not clear its record would be refused.
 */
const FUNCTION_TIMEOUT_MS = 1000;
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface ReliabilityRunOptions {
  readonly seed: number;
  /** K: orders, each with one first confirmation (plus duplicates and second payments). */
  readonly orders: number;
  /** Digits that start every order id of the run (shards of one run use different ones). Default "7". */
  readonly orderIdPrefix?: string;
  /** Orders whose first confirmation goes out in one wave. Default 25. */
  readonly ordersPerWave?: number;
  /** The next wave goes out once fewer deliveries than this are in flight. Default 100. */
  readonly maxInFlight?: number;
  /** Default: {@link defaultFaultProfile}. */
  readonly profile?: FaultProfile;
  /** Progress lines. Default: none. */
  readonly log?: (line: string) => void;
  /** Powertools log level of the functions. Default SILENT. */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
  /** Hard limit of every wait (for the bus to settle, a replay to end). Default 10 minutes. */
  readonly waitLimitMs?: number;
  /** Orders to trace: the summary ends with their outcomes, effects and injected faults (RELIABILITY_TRACE). */
  readonly traceOrders?: readonly string[];
}

export interface ReliabilityReport {
  readonly seed: number;
  readonly scenario: ScenarioCounts;
  readonly faults: readonly FaultCount[];
  readonly matrix: readonly FaultMatrixRow[];
  readonly invariants: InvariantReport;
  /** Dead letters per rule once the faults were fixed, before the redrive. */
  readonly deadLettersBeforeRedrive: Readonly<Record<string, number>>;
  /** The same dead letters by the error that put them there. */
  readonly deadLetterErrors: Readonly<Record<string, number>>;
  readonly redrive: { readonly delivered: number; readonly failed: number };
  readonly replay: { readonly name: string; readonly state: string; readonly eventsReplayed: number };
  /** Letters dead-lettered during the replay, redriven after it. */
  readonly redriveAfterReplay: { readonly delivered: number; readonly failed: number };
  /** The uncertain-email sweep at the end of the run, on a clock moved past the window. */
  readonly sweep: {
    /** Emails `uncertain` on the email log before the sweep (the SES answer or the process was lost). */
    readonly uncertainBefore: number;
    readonly resent: number;
    /** Rows an SES event had reached that the sweep recorded sent without sending. */
    readonly proved: number;
    /** Emails still `uncertain` after it (the goal: 0). */
    readonly uncertainAfter: number;
  };
  readonly outcomesPublished: number;
  readonly durationsMs: Readonly<
    Record<"setup" | "drive" | "settle" | "redrive" | "replay" | "sweep" | "check" | "total", number>
  >;
  /** Lines to print: the run, the fault matrix, the violations and how to replay the run. */
  readonly summary: string;
}

/**
 * One reliability run on the real local runtime: seeds K orders, drives their confirmations
 * (duplicates, concurrent duplicates, double payments, declines, underpayments) through the
 * bus in waves while every fault kind is injected from the seed, then fixes the faults, lets
 * the retries finish, redrives every dead letter, replays the whole archive once to every
 * rule, redrives what the replay left dead-lettered, and checks the invariants on what the tables, SES, SNS and the bus hold.
 */
export async function runReliability(options: ReliabilityRunOptions): Promise<ReliabilityReport> {
  const log = options.log ?? (() => undefined);
  const waitLimitMs = options.waitLimitMs ?? 600_000;
  const started = Date.now();
  const plan = planScenario({
    seed: options.seed,
    orders: options.orders,
    ordersPerWave: options.ordersPerWave ?? 25,
    ...(options.orderIdPrefix ? { orderIdPrefix: options.orderIdPrefix } : {}),
  });
  const profile = options.profile ?? defaultFaultProfile(plan.waves.length);
  const faults = new FaultInjector({ seed: options.seed });
  const unattributed: { kind: FaultKind; key: string }[] = [];
  faults.onInjected((fault) => {
    if (!fault.site.orderIds?.length) unattributed.push({ kind: fault.kind, key: fault.site.key });
  });
  const traced = new Set(options.traceOrders ?? []);
  const faultTrace: string[] = [];
  if (traced.size > 0) {
    faults.onInjected((fault) => {
      const orderIds = fault.site.orderIds ?? [];
      if (orderIds.some((orderId) => traced.has(orderId)))
        faultTrace.push(
          `${orderIds.join(",")}: #${fault.sequence} ${fault.kind} on ${fault.site.operation} ${fault.site.resource ?? ""}`,
        );
    });
  }
  let warnings = 0;
  // The schedules' clock: the system clock until the end of the run, when it moves past the sweep's window.
  let clockOffsetMs = 0;
  const clock = () => new Date(Date.now() + clockOffsetMs);
  const stack = await startLocalStack({
    faults,
    eventBridge: {
      clock,
      scheduleTickIntervalMs: 0,
      retryBaseDelayMs: 2,
      retryMaxDelayMs: 20,
      random: createSeededRandom(options.seed ^ 0x5bd1e995),
      logger: {
        warn: () => {
          warnings += 1;
        },
        info: () => undefined,
      },
    },
    // Lambda's own retries of a function error (AWS: about 1 and 2 minutes), compressed like the rule target's.
    lambdaAsync: { retryDelaysMs: [10, 20] },
  });
  const direct = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynalite.url, region: REGION, credentials: CREDENTIALS }),
    {
      marshallOptions: { removeUndefinedValues: true },
    },
  );
  const callbacks = new EventBridgeClient({ endpoint: stack.url, region: REGION, credentials: CREDENTIALS });
  try {
    // AUDIT_CREATED_AT_FORMAT runs the suite with the audit table in another created_at format.
    const config = localConfig(stack, {
      BRANCH: "reliability",
      AUDIT_CREATED_AT_FORMAT: process.env.AUDIT_CREATED_AT_FORMAT,
    });
    const logger = createLocalFunctionLogger("payment3-reliability", options.logLevel ?? "SILENT");
    await provisionLocalResources(stack, config);
    await registerSubscriptions(stack, config, SUBSCRIPTIONS, logger);
    const sweepMetrics = createBusinessMetricsCounter();
    await registerSubscriptions(stack, config, SCHEDULED_FUNCTIONS, logger, sweepMetrics, clock);
    installProcessorCrashes(stack, config, faults, logger);
    compressFunctionTimeouts(stack, config, FUNCTION_TIMEOUT_MS);
    await seedOrders(
      direct,
      config.orderTableName,
      plan.orders.flatMap((order) => (order.item ? [order.item] : [])),
    );
    const recorder = new OutcomeRecorder(stack.eventBridge, config.eventBusName);
    const samples = new Map<string, HeaderSample[]>();
    const sample = (orderIds: readonly string[]) => sampleHeaders(direct, config.orderTableName, orderIds, samples);
    const setupMs = Date.now() - started;
    log(
      `seed ${options.seed}: ${plan.counts.orders} orders, ${plan.counts.confirmations} confirmations, ${plan.counts.deliveries} deliveries ` +
        `(${plan.counts.duplicates} later duplicates, ${plan.counts.concurrentDuplicates} concurrent duplicates) in ${plan.waves.length} waves`,
    );

    // Drive: wave after wave, with every fault on.
    faults.configureAll(profile.rules);
    const runStart = new Date(Date.now() - 1000);
    const publisher = createEventBridgePublisher({ client: callbacks, baseDelayMs: 10 });
    const chunkRandom = createSeededRandom(options.seed ^ 0x27d4eb2f);
    const outages: Promise<unknown>[] = [];
    const publishes = new Set<Promise<void>>();
    const allPublishes: Promise<void>[] = [];
    const driveStart = Date.now();
    for (const [waveIndex, wave] of plan.waves.entries()) {
      for (const outage of profile.outages.filter((planned) => planned.atWave === waveIndex)) {
        const { functionName } = subscriptionResourceNames(config, { name: outage.subscription });
        outages.push(subscriberOutageFor(stack.functions, functionName, outage.durationMs, faults));
      }
      // Waves overlap: a wave's slow publishes (PutEvents faults) do not hold the next one back.
      const publishing = publishWave(publisher, wave, config, chunkRandom);
      publishes.add(publishing);
      allPublishes.push(publishing);
      void publishing.then(
        () => publishes.delete(publishing),
        () => undefined,
      );
      const earlier = plan.waves[waveIndex - 2];
      if (earlier) await sample(earlier.map((delivery) => delivery.orderId));
      await waitUntil(
        () => stack.eventBridge.getStatistics().pendingWork <= (options.maxInFlight ?? 100) && publishes.size <= 4,
        "the bus to drain below the in-flight limit",
        waitLimitMs,
      );
      if (waveIndex % 20 === 19)
        log(
          `  wave ${waveIndex + 1}/${plan.waves.length}: ${faults.injectedCount()} faults injected, ${listUndeliveredEvents(stack).length} dead letters and on-failure records`,
        );
    }
    await Promise.all(allPublishes);
    const driveMs = Date.now() - driveStart;

    // The faults are fixed; what is still retrying finishes.
    const settleStart = Date.now();
    await Promise.all(outages);
    faults.disableAll();
    await bounded(stack.eventBridge.whenIdle(), "the bus to settle after the faults were fixed", waitLimitMs);
    await sample(plan.orders.map((order) => order.orderId));
    const settleMs = Date.now() - settleStart;

    // Recovery 1: redrive every dead letter, once the in-progress marks of failed invocations have
    // expired (an operator redrives after the alarm, long after the function's timeout).
    await sleep(Math.max(0, FUNCTION_TIMEOUT_MS - (Date.now() - settleStart)));
    const redriveStart = Date.now();
    const deadLettersBeforeRedrive: Record<string, number> = {};
    const deadLetterErrors: Record<string, number> = {};
    for (const letter of listUndeliveredEvents(stack)) {
      const where = `${letter.where} (${letter.kind})`;
      deadLettersBeforeRedrive[where] = (deadLettersBeforeRedrive[where] ?? 0) + 1;
      deadLetterErrors[letter.errorName] = (deadLetterErrors[letter.errorName] ?? 0) + 1;
    }
    const redrive = await bounded(
      redriveUndeliveredEvents(stack, { concurrency: 8 }),
      "the redrive to finish",
      waitLimitMs,
    );
    const redriveMs = Date.now() - redriveStart;
    log(
      `dead letters before redrive: ${JSON.stringify(deadLettersBeforeRedrive)} (${JSON.stringify(deadLetterErrors)}); redrive: ${redrive.delivered} delivered, ${redrive.failed} failed`,
    );

    // Recovery 2: one archive replay of the whole run to every rule, over the SDK.
    const replayStart = Date.now();
    const replay = await replayArchive(stack, config, callbacks, runStart, waitLimitMs);
    const replayMs = Date.now() - replayStart;
    log(`replay ${replay.name}: ${replay.state}, ${replay.eventsReplayed} events replayed`);

    // Recovery 3: what the replay's deliveries left dead-lettered (turned away while a notification was
    // held elsewhere, for instance) is redriven, as an operator redrives until the queue is empty.
    const redriveAfterReplay = await bounded(
      redriveUndeliveredEvents(stack, { concurrency: 8 }),
      "the redrive after the replay to finish",
      waitLimitMs,
    );
    if (redriveAfterReplay.delivered + redriveAfterReplay.failed > 0)
      log(`redrive after the replay: ${redriveAfterReplay.delivered} delivered, ${redriveAfterReplay.failed} failed`);

    // Recovery 4: the uncertain-email sweep, on a clock moved past its window (its schedule fires the sweeps due).
    const sweepStart = Date.now();
    const uncertainEmails = async () =>
      (await scanAll(direct, config.emailLogTableName)).filter((row) => row.emailResult === "uncertain").length;
    const uncertainBefore = await uncertainEmails();
    clockOffsetMs += (config.uncertainEmailWindowMinutes + 1) * 60_000;
    stack.eventBridge.fireDueSchedules();
    await bounded(stack.eventBridge.whenIdle(), "the uncertain-email sweep to finish", waitLimitMs);
    await stack.ses.emailEventsSettled();
    await bounded(stack.eventBridge.whenIdle(), "the SES events of the sweep's emails", waitLimitMs);
    const swept = sweepMetrics.counts();
    const sweep = {
      uncertainBefore,
      resent: swept[BUSINESS_METRIC.emailResentBySweep] ?? 0,
      proved: swept[BUSINESS_METRIC.uncertainEmailResolved] ?? 0,
      uncertainAfter: await uncertainEmails(),
    };
    const sweepMs = Date.now() - sweepStart;
    log(
      `uncertain-email sweep: ${sweep.uncertainBefore} uncertain emails before, ${sweep.resent} resent, ${sweep.proved} proved sent by an SES event, ${sweep.uncertainAfter} uncertain after`,
    );

    const checkStart = Date.now();
    const orderItems = await scanByOrderId(direct, config.orderTableName);
    // The end state is the last header sample of every order (read by the scan, not a second time).
    for (const order of plan.orders) {
      const item = orderItems.get(order.orderId);
      if (item) appendHeaderSample(samples, item);
    }
    const observations = {
      orders: plan.orders,
      recorder,
      orderItems,
      auditRows: await scanAll(direct, config.auditLogTableName),
      emailLogRows: await scanAll(direct, config.emailLogTableName),
      emails: await stack.ses.listSentEmails(),
      snsMessages: stack.sns.listPublishedMessages(config.paymentNotificationsTopicArn),
      deadLettersLeft: listUndeliveredEvents(stack),
      headerSamples: samples,
    };
    const invariants = checkInvariants(observations);
    const trace = [...traced].flatMap((orderId) => traceOrder(orderId, observations, faultTrace));
    recorder.close();
    const counts = attributePowertoolsRecords(faults.counts(), unattributed, recorder);
    const matrix = buildFaultMatrix(
      counts,
      plan.orders.map((order) => order.orderId),
      invariants,
    );
    const checkMs = Date.now() - checkStart;
    const durationsMs = {
      setup: setupMs,
      drive: driveMs,
      settle: settleMs,
      redrive: redriveMs,
      replay: replayMs,
      sweep: sweepMs,
      check: checkMs,
      total: Date.now() - started,
    };
    const report = {
      seed: options.seed,
      scenario: plan.counts,
      faults: counts,
      matrix,
      invariants,
      deadLettersBeforeRedrive,
      deadLetterErrors,
      redrive: { delivered: redrive.delivered, failed: redrive.failed },
      replay,
      redriveAfterReplay: { delivered: redriveAfterReplay.delivered, failed: redriveAfterReplay.failed },
      sweep,
      outcomesPublished: recorder.outcomesRecorded,
      durationsMs,
    };
    return { ...report, summary: [summarize(report, warnings), ...trace].join("\n") };
  } finally {
    callbacks.destroy();
    direct.destroy();
    await stack.close();
  }
}

/** The callbacks: each wave's confirmations in PutEvents requests of 1–10 entries, all at once; whatever PutEvents did not take is sent again, as a provider retries its callback. */
async function publishWave(
  publisher: EventPublisher,
  wave: readonly Delivery[],
  config: Config,
  random: () => number,
): Promise<void> {
  const entries = wave.map(
    (delivery): PutEventsEntry =>
      buildPutEventsEntry(
        WalletPaymentConfirmedContract,
        {
          schemaVersion: 1,
          orderId: delivery.orderId,
          paymentId: delivery.payment.paymentId,
          success: delivery.payment.success,
          amount: delivery.payment.amount,
          // What the callbacks' typed publisher sends for a callback without an amount: the legacy default 0, flagged.
          ...(delivery.payment.amountReported ? {} : { amountReported: false }),
          channel: delivery.payment.channel,
        },
        { eventBusName: config.eventBusName, source: CONFIRMATION_SOURCE_BY_CHANNEL[delivery.payment.channel] },
      ),
  );
  const requests: PutEventsEntry[][] = [];
  for (let start = 0; start < entries.length; ) {
    const size = 1 + Math.floor(random() * 10);
    requests.push(entries.slice(start, start + size));
    start += size;
  }
  await Promise.all(requests.map((request) => publishUntilAccepted(publisher, request)));
}

async function publishUntilAccepted(publisher: EventPublisher, entries: readonly PutEventsEntry[]): Promise<void> {
  let pending = entries;
  for (let round = 1; ; round++) {
    try {
      await publisher.publish(pending);
      return;
    } catch (error) {
      if (!(error instanceof PublishError) || !error.transient || round >= 30) throw error;
      pending = error.failed.map((failure) => pending[failure.index]!);
      await sleep(20);
    }
  }
}

async function replayArchive(
  stack: LocalStack,
  config: Config,
  client: EventBridgeClient,
  from: Date,
  waitLimitMs: number,
) {
  const name = `reliability-${Date.now()}`;
  await sleep(5);
  // The payment bus's archive replays to the payment bus's rules; the email-events rule is on the default bus.
  const filterArns = SUBSCRIPTIONS.map((subscription) => subscriptionResourceNames(config, subscription))
    .filter((names) => names.eventBusName === config.eventBusName)
    .map((names) => stack.eventBridge.ruleArnFor(config.eventBusName, names.ruleName));
  await client.send(
    new StartReplayCommand({
      ReplayName: name,
      EventSourceArn: stack.eventBridge.archiveArn(defaultResourceNames(config.stage).archiveName),
      EventStartTime: from,
      EventEndTime: new Date(),
      Destination: { Arn: stack.eventBridge.eventBusArn(config.eventBusName), FilterArns: filterArns },
    }),
  );
  const ended = await bounded(stack.eventBridge.whenReplayEnded(name), `replay ${name} to end`, waitLimitMs);
  await bounded(stack.eventBridge.whenIdle(), "the replayed events to be delivered", waitLimitMs);
  return { name, state: String(ended.State), eventsReplayed: stack.eventBridge.getReplayProgress(name).eventsReplayed };
}

/**
 * Faults on Powertools idempotency records name no order: a record's key is `<function>#<base64
 * md5 of the JSON of the outcome's idempotency key>`. Hashing every outcome key of the run gives
 * the order back, so those faults count in the matrix for the orders they hit.
 */
function attributePowertoolsRecords(
  counts: readonly FaultCount[],
  unattributed: readonly { kind: FaultKind; key: string }[],
  recorder: OutcomeRecorder,
): FaultCount[] {
  const orderByHash = new Map<string, string>();
  for (const { orderId, idempotencyKey } of recorder.outcomeKeys()) {
    orderByHash.set(createHash("md5").update(JSON.stringify(idempotencyKey)).digest("base64"), orderId);
  }
  const found = new Map<FaultKind, string[]>();
  const attributed = new Map<FaultKind, number>();
  for (const fault of unattributed) {
    const hash = /#([A-Za-z0-9+/]{22}==)"/.exec(fault.key)?.[1];
    const orderId = hash === undefined ? undefined : orderByHash.get(hash);
    if (orderId === undefined) continue;
    found.set(fault.kind, [...(found.get(fault.kind) ?? []), orderId]);
    attributed.set(fault.kind, (attributed.get(fault.kind) ?? 0) + 1);
  }
  return counts.map((count) => ({
    ...count,
    orderIds: new Set([...count.orderIds, ...(found.get(count.kind) ?? [])]),
    unattributed: count.unattributed - (attributed.get(count.kind) ?? 0),
  }));
}

/** What happened to one order, for diagnosing a violation. */
function traceOrder(
  orderId: string,
  observations: Parameters<typeof checkInvariants>[0],
  faultTrace: readonly string[],
): string[] {
  const order = observations.orders.find((candidate) => candidate.orderId === orderId);
  if (!order) return [`trace ${orderId}: not an order of this run`];
  const mine = <T extends Record<string, unknown>>(rows: readonly T[]) =>
    rows.filter((row) => row.orderId === orderId).map((row) => JSON.stringify(row));
  return [
    `trace ${orderId} (${order.scenario}, ${order.email ? "with" : "without"} an email address)`,
    ...order.payments.map(
      (payment) =>
        `  ${payment.paymentId} success=${payment.success} amount=${payment.amount}: ${
          observations.recorder
            .outcomesOf(orderId, payment.paymentId)
            .map((outcome) => `${outcome.result}${outcome.retryable ? "(retryable)" : ""}`)
            .join(" ") || "no outcome"
        }`,
    ),
    `  order: ${JSON.stringify(observations.orderItems.get(orderId)?.payment ?? null)}; payment outcomes: ${JSON.stringify(observations.orderItems.get(orderId)?.paymentOutcomes ?? null)}; header samples: ${JSON.stringify(observations.headerSamples.get(orderId) ?? [])}`,
    ...mine(observations.auditRows.map(decodedAuditRow)).map((row) => `  audit ${row}`),
    ...mine(observations.emailLogRows).map((row) => `  email-log ${row}`),
    ...observations.emails
      .filter((email) => email.subject.includes(`#${orderId}`))
      .map((email) => `  email ${email.messageId} ${email.time.toISOString()} "${email.subject}"`),
    ...observations.snsMessages
      .filter((message) => message.message.includes(`"${orderId}"`))
      .map((message) => `  sns ${message.messageId} ${message.message}`),
    ...observations.deadLettersLeft
      .filter((letter) => (letter.event?.detail as { orderId?: unknown } | undefined)?.orderId === orderId)
      .map((letter) => `  dead letter ${letter.where} (${letter.kind}): ${letter.errorName}: ${letter.errorMessage}`),
    ...faultTrace.filter((line) => line.split(":")[0]!.split(",").includes(orderId)).map((line) => `  fault ${line}`),
  ];
}

/** An audit row with `created_at` and `data` decoded, for reading in a trace; as stored when it cannot be. */
function decodedAuditRow(item: Record<string, unknown>): Record<string, unknown> {
  try {
    return { ...readAuditRow(item) };
  } catch {
    return item;
  }
}

/** Gives every subscription's function a Lambda context that runs out after `timeoutMs` (see FUNCTION_TIMEOUT_MS). */
function compressFunctionTimeouts(stack: LocalStack, config: Config, timeoutMs: number): void {
  for (const subscription of SUBSCRIPTIONS) {
    const { functionName } = subscriptionResourceNames(config, subscription);
    const handler = stack.functions.get(functionName);
    if (!handler) continue;
    stack.functions.set(functionName, (event, context) => {
      const deadline = Date.now() + timeoutMs;
      return handler(event, {
        ...context,
        getRemainingTimeInMillis: () =>
          Math.max(0, Math.min(context.getRemainingTimeInMillis(), deadline - Date.now())),
      });
    });
  }
}

async function seedOrders(
  client: DynamoDBDocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests: NonNullable<ConstructorParameters<typeof BatchWriteCommand>[0]["RequestItems"]> = {
      [tableName]: items.slice(start, start + 25).map((item) => ({ PutRequest: { Item: item } })),
    };
    for (let round = 0; Object.keys(requests).length > 0; round++) {
      if (round > 20) throw new Error(`seeding ${tableName} did not finish`);
      const answer = await client.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = answer.UnprocessedItems ?? {};
    }
  }
}

/** Reads each order's payment header now, straight from dynalite (no faults), appending to its history. */
async function sampleHeaders(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderIds: readonly string[],
  samples: Map<string, HeaderSample[]>,
): Promise<void> {
  const unique = [...new Set(orderIds)];
  for (let start = 0; start < unique.length; start += 100) {
    let keys: Record<string, unknown>[] = unique.slice(start, start + 100).map((orderId) => ({ orderId }));
    for (let round = 0; keys.length > 0; round++) {
      if (round > 20) throw new Error(`reading ${tableName} did not finish`);
      const answer = await client.send(
        new BatchGetCommand({
          RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: "orderId, payment" } },
        }),
      );
      for (const item of answer.Responses?.[tableName] ?? []) appendHeaderSample(samples, item);
      keys = (answer.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
    }
  }
}

function appendHeaderSample(samples: Map<string, HeaderSample[]>, item: Record<string, unknown>): void {
  const header = item.payment as PaymentHeader | undefined;
  const list = samples.get(String(item.orderId)) ?? [];
  list.push({ isPaid: header?.isPaid, paymentId: header?.paymentId });
  samples.set(String(item.orderId), list);
}

async function scanAll(client: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

async function scanByOrderId(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<Map<string, Record<string, unknown>>> {
  return new Map((await scanAll(client, tableName)).map((item) => [String(item.orderId), item]));
}

function summarize(report: Omit<ReliabilityReport, "summary">, warnings: number): string {
  const { invariants } = report;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `Reliability run, seed ${report.seed}`,
    `  ${report.scenario.orders} orders (${Object.entries(report.scenario.byScenario)
      .map(([name, count]) => `${name} ${count}`)
      .join(", ")})`,
    `  ${report.scenario.confirmations} confirmations, ${report.scenario.deliveries} deliveries (${report.scenario.duplicates} later duplicates, ${report.scenario.concurrentDuplicates} concurrent)`,
    `  ${report.outcomesPublished} outcome events published, ${invariants.finalOutcomes} distinct final outcomes; ${invariants.auditRows} audit rows, ${invariants.emails} emails, ${invariants.snsMessages} SNS messages, ${invariants.emailLogRows} email-log rows (${invariants.uncertainNotifications} of them uncertain)`,
    `  dead letters before redrive: ${
      Object.entries(report.deadLettersBeforeRedrive)
        .map(([rule, count]) => `${rule} ${count}`)
        .join(", ") || "none"
    }` +
      ` (${
        Object.entries(report.deadLetterErrors)
          .map(([error, count]) => `${error} ${count}`)
          .join(", ") || "-"
      }); redrive ${report.redrive.delivered} delivered, ${report.redrive.failed} failed`,
    `  archive replay ${report.replay.state}: ${report.replay.eventsReplayed} events to every rule; redrive after it ${report.redriveAfterReplay.delivered} delivered, ${report.redriveAfterReplay.failed} failed`,
    `  uncertain-email sweep after the window: ${report.sweep.uncertainBefore} emails uncertain before it, ${report.sweep.resent} resent, ${report.sweep.proved} proved sent by an SES event already on the row, ${report.sweep.uncertainAfter} uncertain after it`,
    `  ${warnings} local EventBridge warnings (retries exhausted, dead letters); ${report.faults.reduce((sum, count) => sum + count.unattributed, 0)} injected faults named no order`,
    `  time: ${Object.entries(report.durationsMs)
      .map(([phase, ms]) => `${phase} ${seconds(ms)}`)
      .join(", ")}`,
    "",
    formatFaultMatrix(report.matrix),
    "",
  ];
  if (invariants.violations.length === 0) {
    lines.push(`All invariants hold. Seed ${report.seed}.`);
  } else {
    lines.push(
      `${invariants.violations.length} invariant violations, by class:`,
      formatViolationClasses(classifyViolations(invariants.violations)),
      "First ones:",
    );
    for (const violation of invariants.violations.slice(0, 40))
      lines.push(`  [${violation.kind}] ${violation.orderId ?? "-"}: ${violation.message}`);
    if (invariants.violations.length > 40) lines.push(`  ... and ${invariants.violations.length - 40} more`);
    lines.push(`Seed ${report.seed}.`);
  }
  return lines.join("\n");
}

async function waitUntil(condition: () => boolean, what: string, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`waited ${limitMs} ms for ${what}`);
    await sleep(5);
  }
}

async function bounded<T>(promise: Promise<T>, what: string, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`waited ${limitMs} ms for ${what}`)), limitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
