import { randomUUID } from "node:crypto";
import { CreateEventBusCommand, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createProcessorDependencies, type AwsClients, type Config } from "@payment3/core";
import { createProcessorHandler } from "@payment3/functions";
import { createLambdaContext } from "@payment3/aws-local";
import type { LocalRuntime } from "@payment3/local";
import { buildOrders, grandTotalOf } from "./bench-orders";
import { distributionOf, mean, median, roundTo, type Distribution } from "./statistics";

export interface IoFloorOptions {
  /** Measured confirmations per side (each side on its own fresh orders). */
  readonly confirmations: number;
  /** Unrecorded confirmations per side first (JIT, sockets). */
  readonly warmup: number;
  readonly firstOrderId: number;
  readonly log: (message: string) => void;
}

export interface IoFloorResult {
  readonly confirmations: number;
  readonly warmup: number;
  /** The bus both sides publish to: it has no rules, so no delivery runs in the background. */
  readonly eventBusName: string;
  /** The processor's Lambda handler, called directly, one confirmation at a time. */
  readonly processorMs: Distribution;
  /** GetItem, the calculate-cost Invoke, the conditional UpdateItem and PutEvents, issued directly. */
  readonly floorMs: Distribution;
  /** Median processor time / median floor time. */
  readonly ratio: number;
  /** Mean processor time / mean floor time. */
  readonly meanRatio: number;
  readonly goal: number;
  readonly met: boolean;
  /** Where the processor's time goes: inside the SDK's `send` (request and answer included) and outside it (our code). */
  readonly breakdown: {
    readonly processorInSdkMs: number;
    readonly processorOutsideSdkMs: number;
    readonly floorInSdkMs: number;
    readonly floorOutsideSdkMs: number;
    /** Per SDK call, mean ms inside `send`, processor and floor side by side. */
    readonly perCall: readonly { readonly call: string; readonly processorMs: number; readonly floorMs: number }[];
  };
}

export const IO_FLOOR_GOAL = 1.25;

/** Accumulates the time spent inside each client's `send`, by command name. */
class SendTimer {
  private readonly totals = new Map<string, number[]>();
  private current = 0;

  /** Wraps `send` of the clients in place; they stay usable as before. */
  instrument(clients: AwsClients): void {
    for (const client of [clients.documentClient, clients.eventBridge, clients.lambda] as {
      send: (command: unknown, ...rest: unknown[]) => Promise<unknown>;
    }[]) {
      const send = client.send.bind(client);
      client.send = async (command: unknown, ...rest: unknown[]) => {
        const started = performance.now();
        try {
          return await send(command, ...rest);
        } finally {
          const elapsed = performance.now() - started;
          this.current += elapsed;
          const name = (command as { constructor: { name: string } }).constructor.name.replace(/Command$/, "");
          const list = this.totals.get(name) ?? [];
          list.push(elapsed);
          this.totals.set(name, list);
        }
      };
    }
  }

  /** Time inside `send` since the last call. */
  take(): number {
    const value = this.current;
    this.current = 0;
    return value;
  }

  reset(): void {
    this.totals.clear();
    this.current = 0;
  }

  meanByCall(): Map<string, number> {
    return new Map([...this.totals].map(([name, values]) => [name, mean(values)]));
  }
}

/**
 * The four calls the processor cannot avoid for a paid confirmation, issued with the same SDK
 * clients and the same request contents, and nothing else: read the order, price it, write the
 * header with the same condition, publish an outcome of the same size.
 */
async function runFloorConfirmation(
  clients: AwsClients,
  config: Config,
  orderId: string,
  paymentId: string,
  amount: number,
): Promise<void> {
  const order = (
    await clients.documentClient.send(
      new GetCommand({ TableName: config.orderTableName, Key: { orderId }, ConsistentRead: true }),
    )
  ).Item!;
  const invoked = await clients.lambda.send(
    new InvokeCommand({
      FunctionName: config.calculateCostFunction,
      InvocationType: "RequestResponse",
      Payload: Buffer.from(JSON.stringify(order)),
    }),
  );
  const recalculated = {
    ...(JSON.parse(JSON.parse(Buffer.from(invoked.Payload!).toString("utf8")).body) as Record<string, unknown>),
    basketName: orderId,
    orderDate: Math.round(Date.now() / 1000),
  };
  const now = new Date().toISOString();
  const header = {
    paymentId,
    isPaid: true,
    paymentMethod: "wallet",
    totalPaid: amount,
    paidAt: now,
    processedAt: now,
    channel: "wallet",
    overpaidAmount: 0,
    amountReported: true,
  };
  // The same write as the processor's: the header and the payment's outcome record, in one conditional UpdateItem.
  const outcome = {
    outcome: "OrderPaid",
    idempotencyKey: `${orderId}:${paymentId}:OrderPaid`,
    occurredAt: now,
    amount,
    channel: "wallet",
    paymentSucceeded: true,
  };
  const names: Record<string, string> = {
    "#orderId": "orderId",
    "#header": "payment",
    "#isPaid": "isPaid",
    "#outcomes": "paymentOutcomes",
  };
  const values: Record<string, unknown> = { ":header": header, ":true": true, ":outcomes": { [paymentId]: outcome } };
  const assignments = ["#outcomes = :outcomes", "#header = :header"];
  let index = 0;
  for (const [field, value] of Object.entries(recalculated)) {
    if (field === "orderId" || field === "payment" || field === "paymentOutcomes") continue;
    names[`#f${index}`] = field;
    values[`:f${index}`] = value;
    assignments.push(`#f${index} = :f${index}`);
    index += 1;
  }
  await clients.documentClient.send(
    new UpdateCommand({
      TableName: config.orderTableName,
      Key: { orderId },
      UpdateExpression: `SET ${assignments.join(", ")}`,
      ConditionExpression:
        "attribute_exists(#orderId) AND attribute_not_exists(#outcomes) AND (attribute_not_exists(#header.#isPaid) OR #header.#isPaid <> :true)",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
  const detail = {
    schemaVersion: 1,
    idempotencyKey: `${orderId}:${paymentId}:OrderPaid`,
    occurredAt: now,
    orderId,
    confirmationEventId: randomUUID(),
    paymentId,
    amount,
    channel: "wallet",
    paymentHeader: header,
    order: recalculated,
    orderTruncated: false,
  };
  const answer = await clients.eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: config.eventBusName,
          Source: "payment3.processor",
          DetailType: "OrderPaid",
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  if (answer.FailedEntryCount) throw new Error(`floor PutEvents failed: ${JSON.stringify(answer.Entries)}`);
}

/** The envelope EventBridge would hand the processor for this confirmation. */
function confirmationEnvelope(config: Config, detail: Record<string, unknown>) {
  return {
    version: "0",
    id: randomUUID(),
    "detail-type": "WalletPaymentConfirmed",
    source: "payment3.wallet-callback",
    account: "000000000000",
    time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    region: config.region,
    resources: [],
    detail,
  };
}

/**
 * Processor time against its I/O floor, in the same process against the same endpoint: the
 * processor's Lambda handler and the four bare SDK calls, each on its own fresh orders of the
 * same shape, one confirmation at a time, alternating which goes first so drift cancels.
 * Both publish to a bus without rules, so no delivery competes for the CPU.
 */
export async function measureIoFloor(runtime: LocalRuntime, options: IoFloorOptions): Promise<IoFloorResult> {
  const eventBusName = `${runtime.config.eventBusName}-io-floor`;
  const config = { ...runtime.config, eventBusName };
  const setup = createAwsClients({ region: config.region, endpoint: runtime.url });
  await setup.eventBridge.send(new CreateEventBusCommand({ Name: eventBusName }));
  const perSide = options.warmup + options.confirmations;
  const orders = buildOrders(perSide * 2, options.firstOrderId, 7);
  for (const order of orders)
    await setup.documentClient.send(new PutCommand({ TableName: config.orderTableName, Item: order }));

  const logger = new Logger({ serviceName: "payment3-processor", logLevel: "SILENT" });
  const processorClients = createAwsClients({ region: config.region, endpoint: runtime.url });
  const floorClients = createAwsClients({ region: config.region, endpoint: runtime.url });
  const processorTimer = new SendTimer();
  const floorTimer = new SendTimer();
  processorTimer.instrument(processorClients);
  floorTimer.instrument(floorClients);
  const dependencies = createProcessorDependencies(config, { logger, clients: processorClients });
  const handler = createProcessorHandler(() => dependencies, logger);

  const processorTimes: number[] = [];
  const floorTimes: number[] = [];
  let processorInSdk = 0;
  let floorInSdk = 0;
  options.log(`I/O floor: ${options.warmup} + ${options.confirmations} confirmations per side, one at a time`);
  for (let index = 0; index < perSide; index++) {
    const recording = index >= options.warmup;
    if (index === options.warmup) {
      processorTimer.reset();
      floorTimer.reset();
    }
    const processorOrder = orders[index * 2]!;
    const floorOrder = orders[index * 2 + 1]!;
    const processorEvent = confirmationEnvelope(config, {
      orderId: String(processorOrder.orderId),
      paymentId: `pay_floor_p${index}`,
      success: true,
      amount: grandTotalOf(processorOrder),
      channel: "wallet",
    });
    const context = createLambdaContext("payment3-bench-processor", { timeoutMs: 200_000 });
    const floorAmount = grandTotalOf(floorOrder);
    const runProcessor = async () => {
      processorTimer.take();
      const started = performance.now();
      const result = await handler(processorEvent, context);
      const elapsed = performance.now() - started;
      if (result.outcome !== "OrderPaid")
        throw new Error(`processor answered ${result.outcome} for a paid confirmation`);
      if (recording) {
        processorTimes.push(elapsed);
        processorInSdk += processorTimer.take();
      }
    };
    const runFloor = async () => {
      floorTimer.take();
      const started = performance.now();
      await runFloorConfirmation(floorClients, config, String(floorOrder.orderId), `pay_floor_f${index}`, floorAmount);
      const elapsed = performance.now() - started;
      if (recording) {
        floorTimes.push(elapsed);
        floorInSdk += floorTimer.take();
      }
    };
    if (index % 2 === 0) {
      await runProcessor();
      await runFloor();
    } else {
      await runFloor();
      await runProcessor();
    }
  }
  for (const clients of [processorClients, floorClients, setup]) {
    clients.documentClient.destroy();
    clients.eventBridge.destroy();
    clients.lambda.destroy();
  }

  const ratio = roundTo(median(processorTimes) / median(floorTimes), 3);
  const processorMeans = processorTimer.meanByCall();
  const floorMeans = floorTimer.meanByCall();
  const count = processorTimes.length;
  return {
    confirmations: options.confirmations,
    warmup: options.warmup,
    eventBusName,
    processorMs: distributionOf(processorTimes, 3),
    floorMs: distributionOf(floorTimes, 3),
    ratio,
    meanRatio: roundTo(mean(processorTimes) / mean(floorTimes), 3),
    goal: IO_FLOOR_GOAL,
    met: ratio <= IO_FLOOR_GOAL,
    breakdown: {
      processorInSdkMs: roundTo(processorInSdk / count, 3),
      processorOutsideSdkMs: roundTo(mean(processorTimes) - processorInSdk / count, 3),
      floorInSdkMs: roundTo(floorInSdk / count, 3),
      floorOutsideSdkMs: roundTo(mean(floorTimes) - floorInSdk / count, 3),
      perCall: [...new Set([...processorMeans.keys(), ...floorMeans.keys()])].map((call) => ({
        call,
        processorMs: roundTo(processorMeans.get(call) ?? 0, 3),
        floorMs: roundTo(floorMeans.get(call) ?? 0, 3),
      })),
    },
  };
}
