import { readFileSync } from "node:fs";
import { DescribeEventBusCommand, ListEventBusesCommand, type EventBridgeClient } from "@aws-sdk/client-eventbridge";
import {
  createAwsClients,
  createDocumentClient,
  createEventBridgePublisher,
  isJsonObject,
  publishWalletPaymentConfirmed,
  readJsonText,
  type PublishedConfirmation,
} from "@payment3/core";
import {
  ContractValidationError,
  CONFIRMATION_SOURCE_BY_CHANNEL,
  WalletPaymentConfirmedContract,
} from "@payment3/events";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import { describeRecordedOutcome, waitForPaymentOutcome } from "./payment-outcome-wait";

export interface PublishOptions {
  readonly file?: string | undefined;
  readonly orderId?: string | undefined;
  readonly paymentId?: string | undefined;
  readonly success?: string | undefined;
  readonly amount?: string | undefined;
  readonly channel?: string | undefined;
  readonly confirmedAt?: string | undefined;
  readonly wait?: boolean | undefined;
  /** Seconds --wait waits for the outcome (default 30). */
  readonly timeout?: string | undefined;
}

/** The flag each confirmation field comes from, so an error names what the operator typed. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  orderId: "--order-id",
  paymentId: "--payment-id",
  success: "--success",
  amount: "--amount",
  channel: "--channel",
  confirmedAt: "--confirmed-at",
};

const DEFAULT_WAIT_SECONDS = 30;

/** A confirmation to publish and where it came from, for error messages. */
interface ConfirmationInput {
  readonly detail: Record<string, unknown> | string;
  /** `--file <path>`, or undefined for flags. */
  readonly file: string | undefined;
}

/** Flags become the confirmation's fields, each as typed: the contract reads and checks them. */
function confirmationFromFlags(options: PublishOptions): ConfirmationInput {
  const missing = (["orderId", "paymentId", "success"] as const)
    .filter((field) => options[field] === undefined)
    .map((field) => FLAG_OF_FIELD[field]);
  if (missing.length) {
    throw new CliError(
      `publish needs --order-id, --payment-id and --success (and --amount when the provider reported one); missing ${missing.join(", ")}; see payment3 publish --help`,
      2,
    );
  }
  const success = options.success === "true" ? true : options.success === "false" ? false : options.success;
  return {
    file: undefined,
    detail: {
      orderId: options.orderId,
      paymentId: options.paymentId,
      success,
      ...(options.amount !== undefined ? { amount: options.amount } : {}),
      ...(options.channel !== undefined ? { channel: options.channel } : {}),
      ...(options.confirmedAt !== undefined ? { confirmedAt: options.confirmedAt } : {}),
    },
  };
}

/**
 * What `--file` holds, as a confirmation detail: a callback's JSON as it is; an EventBridge
 * event (`detail-type`, `source`, `detail`, as in events/examples/); a PutEvents entry
 * (`DetailType`, `Source`, `Detail`), alone, in an array or in `{"Entries": [...]}`. The
 * event's source gives the channel when the detail names none.
 */
export function confirmationFromFile(path: string): ConfirmationInput {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read --file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      2,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--file ${path} is not JSON: ${(error as Error).message}`, 2);
  }
  const entries = Array.isArray(parsed)
    ? parsed
    : isJsonObject(parsed) && Array.isArray(parsed.Entries)
      ? parsed.Entries
      : undefined;
  if (entries) {
    if (entries.length !== 1)
      throw new CliError(
        `--file ${path} holds ${entries.length} PutEvents entries; publish sends one confirmation: keep one entry`,
        2,
      );
    parsed = entries[0];
  }
  if (!isJsonObject(parsed))
    throw new CliError(
      `--file ${path} must hold a JSON object (a callback's confirmation or a WalletPaymentConfirmed event)`,
      2,
    );
  const envelope =
    "detail-type" in parsed || ("detail" in parsed && "source" in parsed)
      ? { detailType: parsed["detail-type"], source: parsed.source, detail: parsed.detail }
      : "DetailType" in parsed || "Detail" in parsed
        ? { detailType: parsed.DetailType, source: parsed.Source, detail: parsed.Detail }
        : undefined;
  if (!envelope) return { detail: parsed, file: path };
  const { detailType, source } = envelope;
  if (detailType !== undefined && detailType !== WalletPaymentConfirmedContract.detailType) {
    throw new CliError(
      `--file ${path} holds an event of type ${String(detailType)}; publish sends WalletPaymentConfirmed only (a callback's JSON or a WalletPaymentConfirmed event)`,
      2,
    );
  }
  const channel = Object.entries(CONFIRMATION_SOURCE_BY_CHANNEL).find(
    ([, channelSource]) => channelSource === source,
  )?.[0];
  if (source !== undefined && !channel) {
    throw new CliError(
      `--file ${path}: source must be one of ${WalletPaymentConfirmedContract.sources.join(", ")}, got ${JSON.stringify(source)}`,
      2,
    );
  }
  const reading = readJsonText(envelope.detail);
  // Text that is not JSON is left as it is: the contract names what is wrong with it.
  let detail = reading.ok ? reading.value : envelope.detail;
  if (isJsonObject(detail) && channel && detail.channel === undefined) detail = { ...detail, channel };
  return { detail: detail as Record<string, unknown> | string, file: path };
}

/** A wrong field as the operator gave it: the flag, or the field of the file. */
function refusal(error: ContractValidationError, input: ConfirmationInput): CliError {
  if (input.file)
    return new CliError(`--file ${input.file}: ${error.problems.map((p) => `${p.field} ${p.message}`).join("; ")}`, 2);
  return new CliError(error.problems.map((p) => `${FLAG_OF_FIELD[p.field] ?? p.field} ${p.message}`).join("; "), 2);
}

/** Locally a PutEvents to a bus that does not exist is accepted and dropped, as on AWS; say so before publishing. */
async function requireLocalBus(eventBridge: EventBridgeClient, busName: string) {
  try {
    await eventBridge.send(new DescribeEventBusCommand({ Name: busName }));
  } catch (error) {
    if ((error as Error).name !== "ResourceNotFoundException") throw error;
    const buses = (await eventBridge.send(new ListEventBusesCommand({}))).EventBuses?.map((bus) => bus.Name).join(", ");
    throw new CliError(
      `event bus ${busName} does not exist at the local endpoint (it has ${buses || "none"}); nothing published: check --bus or --stage`,
      2,
    );
  }
}

function waitSeconds(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_WAIT_SECONDS;
  const seconds = Number(timeout);
  if (!/^\d+(\.\d+)?$/.test(timeout.trim()) || seconds <= 0)
    throw new CliError(`--timeout must be a number of seconds > 0, got ${JSON.stringify(timeout)}`, 2);
  return seconds;
}

/**
 * `payment3 publish`: a WalletPaymentConfirmed through the same typed publisher the callbacks
 * use, so this is also the reference for a callback that publishes. With `wait`, polls the
 * payment's recorded outcome (the order's `paymentOutcomes`, else its audit rows) until the
 * timeout; exit 1 when none was recorded in time.
 */
export async function publishCommand(
  context: CliContext,
  options: PublishOptions,
): Promise<{ published: PublishedConfirmation; exitCode: 0 | 1 }> {
  if (options.file && (options.orderId ?? options.paymentId ?? options.success ?? options.amount) !== undefined) {
    throw new CliError(
      "give the confirmation either with --file or with --order-id, --payment-id, --success, --amount, not both",
      2,
    );
  }
  const timeoutSeconds = options.wait ? waitSeconds(options.timeout) : 0;
  const input = options.file ? confirmationFromFile(options.file) : confirmationFromFlags(options);
  const { config } = context;
  const { eventBridge } = createAwsClients({ region: config.region, endpoint: context.endpoint });
  let published: PublishedConfirmation;
  try {
    // Checked first, so a wrong flag is reported even when the bus is also wrong.
    WalletPaymentConfirmedContract.parseDetail(input.detail);
    if (context.endpoint) await requireLocalBus(eventBridge, config.eventBusName);
    const publisher = createEventBridgePublisher({ client: eventBridge, sizeLimitBytes: config.eventSizeLimitBytes });
    published = await publishWalletPaymentConfirmed(input.detail, {
      publisher,
      eventBusName: config.eventBusName,
      eventSizeLimitBytes: config.eventSizeLimitBytes,
    });
  } catch (error) {
    throw error instanceof ContractValidationError ? refusal(error, input) : error;
  }
  const line = `published WalletPaymentConfirmed ${published.eventId} (order ${published.orderId}, payment ${published.paymentId}, source ${published.source}) to ${config.eventBusName}`;
  if (!options.wait) {
    context.out(context.json ? JSON.stringify({ ...published, eventBusName: config.eventBusName }) : line);
    return { published, exitCode: 0 };
  }
  if (!context.json) context.out(line);
  const documentClient = createDocumentClient({ region: config.region, endpoint: context.endpoint });
  const outcome = await waitForPaymentOutcome({ documentClient, config }, published, {
    timeoutMs: timeoutSeconds * 1000,
    pollMs: context.endpoint ? 100 : 1000,
  });
  if (context.json)
    context.out(JSON.stringify({ ...published, eventBusName: config.eventBusName, outcome: outcome ?? null }));
  if (!outcome) {
    throw new CliError(
      `no outcome recorded for payment ${published.paymentId} of order ${published.orderId} within ${timeoutSeconds} s; is the processor running and subscribed? see payment3 status, payment3 dlq list, payment3 orders show ${published.orderId}`,
    );
  }
  if (!context.json) context.out(describeRecordedOutcome(outcome, context.style));
  return { published, exitCode: 0 };
}
