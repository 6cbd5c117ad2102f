import * as z from "zod/mini";
import { parseWithSchema } from "./contract-validation-error";
import { detailAsObject, type EventContract } from "./event-contract";
import {
  amountThb,
  booleanField,
  channelField,
  isOrderId,
  isoDateTime,
  orderIdString,
  paymentIdString,
  type Channel,
} from "./field-rules";

export const WALLET_CALLBACK_SOURCE = "payment3.wallet-callback";
export const BANK_APP_CALLBACK_SOURCE = "payment3.bank-app-callback";

/** The bus source of each callback channel; a confirmation's source always follows its channel. */
export const CONFIRMATION_SOURCE_BY_CHANNEL: Readonly<Record<Channel, string>> = {
  wallet: WALLET_CALLBACK_SOURCE,
  "bank-app": BANK_APP_CALLBACK_SOURCE,
};

const CHANNEL_BY_SOURCE: Readonly<Record<string, Channel>> = {
  [WALLET_CALLBACK_SOURCE]: "wallet",
  [BANK_APP_CALLBACK_SOURCE]: "bank-app",
};

/** What a callback confirms: the provider says payment `paymentId` for order `orderId` succeeded or not. */
export const WalletPaymentConfirmedSchema = z
  .object({
    schemaVersion: z.literal(1),
    orderId: orderIdString(),
    paymentId: paymentIdString(),
    success: booleanField(),
    /** THB the provider captured; 0 when the callback reported none (see `amountReported`). */
    amount: amountThb(),
    /**
     * False when the callback sent no amount (the legacy default of 0 applies). Always set by
     * the contract's parser; optional in the schema because version 1 was published without it.
     */
    amountReported: z.optional(booleanField()),
    channel: channelField(),
    /** When the provider confirmed the payment, if it said. */
    confirmedAt: z.optional(isoDateTime()),
  })
  .check(
    z.refine((detail) => detail.amountReported !== false || detail.amount === 0, {
      path: ["amountReported"],
      error: "is false but amount is not 0: leave amountReported out when the provider reported an amount",
    }),
  );

export type WalletPaymentConfirmed = z.infer<typeof WalletPaymentConfirmedSchema>;

/**
 * What a caller may hand to the publisher: the documented legacy shape is accepted, e.g.
 * `{"orderId":"492500005643","success":true,"paymentId":"pay_wallet_abc123","amount":300.0}`,
 * a JSON string of it, `order_id` / `payment_id`, a numeric order id; amount defaults to 0,
 * channel to the event source's channel (or "wallet").
 */
export type WalletPaymentConfirmedInput = Record<string, unknown> | string;

/** A decimal amount written as a string, as some callbacks send it: `"300"`, `"300.00"`. */
const DECIMAL_STRING = /^\s*(?:\d+(?:\.\d+)?|\.\d+)\s*$/;

/** An order number sent as a JSON number is the same order as its digits. */
const asOrderIdText = (value: unknown) =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;

/**
 * Reads the legacy input as the legacy function did (`payload.get("amount", 0)`): aliases,
 * numeric order ids and amounts given as decimal strings become the current fields, and an
 * absent (or null) amount is 0 with `amountReported: false`. Nothing else is touched.
 */
function normalizeLegacyConfirmation(raw: Record<string, unknown>, source?: string): Record<string, unknown> {
  const detail: Record<string, unknown> = { ...raw };
  if (detail.orderId === undefined && detail.order_id !== undefined) detail.orderId = detail.order_id;
  if (detail.paymentId === undefined && detail.payment_id !== undefined) detail.paymentId = detail.payment_id;
  delete detail.order_id;
  delete detail.payment_id;
  detail.orderId = asOrderIdText(detail.orderId);
  if (typeof detail.amount === "string" && DECIMAL_STRING.test(detail.amount)) detail.amount = Number(detail.amount);
  const amountAbsent = detail.amount === undefined || detail.amount === null;
  detail.amountReported ??= !amountAbsent;
  if (amountAbsent) detail.amount = 0;
  detail.schemaVersion ??= 1;
  detail.channel ??= (source !== undefined ? CHANNEL_BY_SOURCE[source] : undefined) ?? "wallet";
  return detail;
}

export const WalletPaymentConfirmedContract: EventContract<WalletPaymentConfirmed> = {
  detailType: "WalletPaymentConfirmed",
  sources: [WALLET_CALLBACK_SOURCE, BANK_APP_CALLBACK_SOURCE],
  schemaVersion: 1,
  detailSchema: WalletPaymentConfirmedSchema,
  parseDetail(raw, envelope) {
    const what = "WalletPaymentConfirmed detail";
    return parseWithSchema(
      what,
      WalletPaymentConfirmedSchema,
      normalizeLegacyConfirmation(detailAsObject(what, raw), envelope?.source),
    );
  },
};

/**
 * The order id of a confirmation that failed validation, if one can still be read, so the
 * failure can be recorded against the order. Returns undefined when there is none.
 */
export function salvageOrderId(raw: unknown): string | undefined {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const candidate = asOrderIdText(record.orderId ?? record.order_id);
  return isOrderId(candidate) ? candidate : undefined;
}
