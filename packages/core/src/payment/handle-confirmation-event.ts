import {
  CHANNELS,
  ContractValidationError,
  parseEvent,
  PAYMENT_ID_MAX_LENGTH,
  salvageOrderId,
  WalletPaymentConfirmedContract,
  type Channel,
  type EventBridgeEnvelope,
  type WalletPaymentConfirmed,
} from "@payment3/events";
import { isJsonObject, readJsonText } from "../json-text";
import { silentLogger } from "../logger";
import { uncountedBusinessMetrics } from "../metrics/business-metrics";
import { readTimeText } from "../time-text";
import { buildOrderPaymentFailed } from "./outcome-events";
import { processWalletPayment, type ProcessingResult, type ProcessorDependencies } from "./process-wallet-payment";
import { systemClock } from "../clock";

/**
 * A confirmation so broken that not even its order can be named. Thrown so the event lands in
 * the function's dead-letter queue with this message.
 */
export class UnattributableEventError extends Error {
  override readonly name = "UnattributableEventError";
  readonly code = "INVALID_EVENT";
  constructor(readonly validation: ContractValidationError) {
    super(`${validation.message}; no order id could be read, so the event goes to the dead-letter queue`, {
      cause: validation,
    });
  }
}

// An id the contract refused for its length is left out, so the INVALID_EVENT outcome itself still fits on the bus.
const asPaymentId = (value: unknown) =>
  typeof value === "string" && value.length > 0 && value.length <= PAYMENT_ID_MAX_LENGTH ? value : null;
const asAmount = (value: unknown) => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null);
const asChannel = (value: unknown): Channel | null => (CHANNELS.includes(value as Channel) ? (value as Channel) : null);

/**
 * Entry point for a raw EventBridge event: parses it with the WalletPaymentConfirmed contract
 * (envelope included), then processes it. Invalid input writes nothing: with an order id it
 * is recorded as `OrderPaymentFailed` INVALID_EVENT (retrying cannot fix it); without one it
 * throws UnattributableEventError.
 */
export async function handleWalletPaymentConfirmedEvent(
  rawEvent: unknown,
  deps: ProcessorDependencies,
): Promise<ProcessingResult> {
  (deps.metrics ?? uncountedBusinessMetrics).count("ConfirmationReceived");
  let confirmation: EventBridgeEnvelope<WalletPaymentConfirmed>;
  try {
    confirmation = parseEvent(WalletPaymentConfirmedContract, rawEvent);
  } catch (error) {
    if (!(error instanceof ContractValidationError)) throw error;
    return recordInvalidEvent(rawEvent, error, deps);
  }
  return processWalletPayment({ eventId: confirmation.id, time: confirmation.time, detail: confirmation.detail }, deps);
}

/** The envelope and its detail as plain objects, read leniently from an event that may be invalid. */
function looseParts(rawEvent: unknown): { envelope: Record<string, unknown>; detail: Record<string, unknown> } {
  const envelope = (typeof rawEvent === "object" && rawEvent !== null ? rawEvent : {}) as Record<string, unknown>;
  const detail = readJsonText(envelope.detail);
  return { envelope, detail: detail.ok && isJsonObject(detail.value) ? detail.value : {} };
}

async function recordInvalidEvent(
  rawEvent: unknown,
  validation: ContractValidationError,
  deps: ProcessorDependencies,
): Promise<ProcessingResult> {
  const { envelope, detail: raw } = looseParts(rawEvent);
  const orderId = salvageOrderId(raw);
  if (orderId === undefined) throw new UnattributableEventError(validation);
  const time = readTimeText(envelope.time) ?? (deps.now ?? systemClock)();
  const outcome = buildOrderPaymentFailed(
    {
      orderId,
      paymentId: asPaymentId(raw.paymentId ?? raw.payment_id),
      amount: asAmount(raw.amount),
      channel: asChannel(raw.channel),
      reason: "INVALID_EVENT",
      message: `${validation.message}; fix the publisher, nothing was written`,
      retryable: false,
      paymentSucceeded: typeof raw.success === "boolean" ? raw.success : null,
      occurredAt: time.toISOString(),
    },
    {
      eventBusName: deps.eventBusName,
      sizeLimitBytes: deps.eventSizeLimitBytes,
      ...(typeof envelope.id === "string" ? { confirmationEventId: envelope.id } : {}),
    },
  );
  const [eventId] = await deps.publisher.publish([outcome.entry]);
  (deps.metrics ?? uncountedBusinessMetrics).count("OrderPaymentFailed", { reason: "INVALID_EVENT" });
  (deps.logger ?? silentLogger).warn("invalid confirmation recorded as INVALID_EVENT", {
    orderId,
    problems: validation.problems,
  });
  return { outcome, eventId: eventId!, resolution: "rejected" };
}

/**
 * The keys every log line about a confirmation carries, read leniently from the raw event so
 * even an invalid one is traceable.
 */
export function confirmationLogKeys(rawEvent: unknown): { eventId?: string; orderId?: string; paymentId?: string } {
  const { envelope, detail: raw } = looseParts(rawEvent);
  const orderId = salvageOrderId(raw);
  const paymentId = asPaymentId(raw.paymentId ?? raw.payment_id);
  return {
    ...(typeof envelope.id === "string" ? { eventId: envelope.id } : {}),
    ...(orderId ? { orderId } : {}),
    ...(paymentId ? { paymentId } : {}),
  };
}
