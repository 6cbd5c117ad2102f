import * as z from "zod/mini";

/** Renders a received value for an error message: strings quoted, objects as JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const requiredOr = (expectation: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `${expectation}, got ${describeValue(issue.input)}`;

// Each rule is built once and shared by every field that uses it (zod schemas are immutable):
// building schemas is most of what importing the contracts costs a function's cold start.

const NON_EMPTY_STRING = z
  .string({ error: requiredOr("must be a non-empty string") })
  .check(z.minLength(1, { error: 'must be a non-empty string, got ""' }));

/** Provider payment ids are short; the limit keeps every outcome (which repeats the id) far below the PutEvents limit. */
export const PAYMENT_ID_MAX_LENGTH = 128;

// Only the confirmation's contract reads it: marked pure, so a bundle without that contract (the
// subscribers') drops it, which esbuild cannot do for a plain call at module scope.
const PAYMENT_ID = /* @__PURE__ */ (() =>
  z.string({ error: requiredOr("must be a non-empty string") }).check(
    z.minLength(1, { error: 'must be a non-empty string, got ""' }),
    z.maxLength(PAYMENT_ID_MAX_LENGTH, {
      error: (issue) =>
        `must be at most ${PAYMENT_ID_MAX_LENGTH} characters, got ${String((issue.input as string).length)}`,
    }),
  ))();

/** Order ids are the order table's keys, written by other services; only what no key can be is refused. */
export const ORDER_ID_MAX_LENGTH = 128;

// C0 and C1 control characters: never part of an id, and they would corrupt logs and keys.
// biome-ignore lint/suspicious/noControlCharactersInRegex: this rule exists to find control characters
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: as above
const WITHOUT_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f-\u009f]*$/;

const ORDER_ID = z.string({ error: requiredOr("must be a non-empty string") }).check(
  z.minLength(1, { error: 'must be a non-empty string, got ""' }),
  z.maxLength(ORDER_ID_MAX_LENGTH, {
    error: (issue) =>
      `must be at most ${ORDER_ID_MAX_LENGTH} characters, got ${String((issue.input as string).length)}`,
  }),
  z.regex(WITHOUT_CONTROL_CHARACTERS, {
    error: (issue) => `must not contain control characters, got ${describeValue(issue.input)}`,
  }),
);

/** True when `value` is a usable order id (what ORDER_ID accepts), for readers that must not throw. */
export function isOrderId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= ORDER_ID_MAX_LENGTH &&
    !CONTROL_CHARACTERS.test(value)
  );
}

const AMOUNT_THB = z
  .number({ error: requiredOr("must be a number >= 0") })
  .check(z.gte(0, { error: (issue) => `must be a number >= 0, got ${describeValue(issue.input)}` }));

const BOOLEAN = z.boolean({ error: requiredOr("must be true or false") });

const ISO_DATE_TIME = z.iso.datetime({
  offset: true,
  error: requiredOr("must be an ISO-8601 date-time such as 2026-11-29T10:00:00Z"),
});

export const CHANNELS = ["wallet", "bank-app"] as const;
export type Channel = (typeof CHANNELS)[number];

const CHANNEL = z.enum(CHANNELS, { error: requiredOr(`must be one of ${CHANNELS.join(", ")}`) });

/** A non-empty string field with messages that name what was expected. */
export const nonEmptyString = () => NON_EMPTY_STRING;

/** A provider's payment id: 1–128 characters. */
export const paymentIdString = () => PAYMENT_ID;

/**
 * An order id as the order table holds it: any non-empty string of at most 128 characters
 * without control characters (`492500005643`, `ORD-77`). The legacy function accepted any id,
 * and a payment must never be refused for the shape of an id that exists.
 */
export const orderIdString = () => ORDER_ID;

/** An amount in THB: a finite number >= 0. */
export const amountThb = () => AMOUNT_THB;

export const booleanField = () => BOOLEAN;

/** An ISO-8601 date-time with `Z` or an offset, e.g. `2026-11-29T10:00:00Z`. */
export const isoDateTime = () => ISO_DATE_TIME;

export const channelField = () => CHANNEL;
