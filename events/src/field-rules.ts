import * as z from "zod/mini";

/** Renders a received value for an error message: strings quoted, objects as JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const requiredOr = (expectation: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `${expectation}, got ${describeValue(issue.input)}`;

// Each rule is built once and shared by every field that uses it (zod schemas are immutable):
// building schemas is most of what importing the contracts costs a function's cold start.

const NON_EMPTY_STRING = z.string({ error: requiredOr("must be a non-empty string") }).check(z.minLength(1, { error: "must be a non-empty string, got \"\"" }));

/** Provider payment ids are short; the limit keeps every outcome (which repeats the id) far below the PutEvents limit. */
export const PAYMENT_ID_MAX_LENGTH = 128;

const PAYMENT_ID = z
  .string({ error: requiredOr("must be a non-empty string") })
  .check(
    z.minLength(1, { error: "must be a non-empty string, got \"\"" }),
    z.maxLength(PAYMENT_ID_MAX_LENGTH, { error: (issue) => `must be at most ${PAYMENT_ID_MAX_LENGTH} characters, got ${String((issue.input as string).length)}` }),
  );

const ORDER_ID = z
  .string({ error: requiredOr("must be a string of digits") })
  .check(
    z.regex(/^\d+$/, { error: (issue) => `must be a string of digits, got ${describeValue(issue.input)}` }),
    z.maxLength(64, { error: "must be at most 64 digits" }),
  );

const AMOUNT_THB = z.number({ error: requiredOr("must be a number >= 0") }).check(z.gte(0, { error: (issue) => `must be a number >= 0, got ${describeValue(issue.input)}` }));

const BOOLEAN = z.boolean({ error: requiredOr("must be true or false") });

const ISO_DATE_TIME = z.iso.datetime({ offset: true, error: requiredOr("must be an ISO-8601 date-time such as 2026-11-29T10:00:00Z") });

export const CHANNELS = ["wallet", "bank-app"] as const;
export type Channel = (typeof CHANNELS)[number];

const CHANNEL = z.enum(CHANNELS, { error: requiredOr(`must be one of ${CHANNELS.join(", ")}`) });

/** A non-empty string field with messages that name what was expected. */
export const nonEmptyString = () => NON_EMPTY_STRING;

/** A provider's payment id: 1–128 characters. */
export const paymentIdString = () => PAYMENT_ID;

/** An order id: a string of digits. */
export const orderIdString = () => ORDER_ID;

/** An amount in THB: a finite number >= 0. */
export const amountThb = () => AMOUNT_THB;

export const booleanField = () => BOOLEAN;

/** An ISO-8601 date-time with `Z` or an offset, e.g. `2026-11-29T10:00:00Z`. */
export const isoDateTime = () => ISO_DATE_TIME;

export const channelField = () => CHANNEL;
