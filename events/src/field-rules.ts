import * as z from "zod";

/** Renders a received value for an error message: strings quoted, objects as JSON, cut to 80 characters. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const requiredOr = (expectation: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? "is required" : `${expectation}, got ${describeValue(issue.input)}`;

/** A non-empty string field with messages that name what was expected. */
export const nonEmptyString = () =>
  z.string({ error: requiredOr("must be a non-empty string") }).min(1, { error: "must be a non-empty string, got \"\"" });

/** An order id: a string of digits. */
export const orderIdString = () =>
  z
    .string({ error: requiredOr("must be a string of digits") })
    .regex(/^\d+$/, { error: (issue) => `must be a string of digits, got ${describeValue(issue.input)}` })
    .max(64, { error: "must be at most 64 digits" });

/** An amount in THB: a finite number >= 0. */
export const amountThb = () =>
  z
    .number({ error: requiredOr("must be a number >= 0") })
    .min(0, { error: (issue) => `must be a number >= 0, got ${describeValue(issue.input)}` });

export const booleanField = () => z.boolean({ error: requiredOr("must be true or false") });

/** An ISO-8601 date-time with `Z` or an offset, e.g. `2026-11-29T10:00:00Z`. */
export const isoDateTime = () =>
  z.iso.datetime({ offset: true, error: requiredOr("must be an ISO-8601 date-time such as 2026-11-29T10:00:00Z") });

export const CHANNELS = ["wallet", "bank-app"] as const;
export type Channel = (typeof CHANNELS)[number];

export const channelField = () => z.enum(CHANNELS, { error: requiredOr(`must be one of ${CHANNELS.join(", ")}`) });
