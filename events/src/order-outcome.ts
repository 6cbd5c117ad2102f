import * as z from "zod/mini";
import { amountThb, booleanField, channelField, isoDateTime, nonEmptyString, orderIdString } from "./field-rules";

export const PROCESSOR_SOURCE = "payment3.processor";

/** Fields every outcome of a confirmation carries. */
export const outcomeFields = {
  schemaVersion: z.literal(1),
  /**
   * Deterministic: the same confirmation always yields the same key, so subscribers can
   * dedupe re-published and replayed outcomes on it.
   */
  idempotencyKey: nonEmptyString(),
  occurredAt: isoDateTime(),
  orderId: orderIdString(),
  /** The EventBridge id of the WalletPaymentConfirmed this outcome answers. */
  confirmationEventId: z.optional(z.string()),
  /**
   * False when the confirmation reported no amount (`amount` is the legacy default 0). Absent
   * when unknown (an invalid confirmation) and on events published before the flag existed.
   */
  amountReported: z.optional(booleanField()),
};

export const paidFields = {
  paymentId: nonEmptyString(),
  amount: amountThb(),
  channel: channelField(),
};
