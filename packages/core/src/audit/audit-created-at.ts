/**
 * How ProcessPaidOrderTable's range key `created_at` is written. The legacy function's table is
 * read by other services and the type and unit of its live key are not known, so it is one
 * setting (`AUDIT_CREATED_AT_FORMAT`) that decides both the value written and the key type the
 * table is created with:
 * - `epoch-millis`: a Number, milliseconds since the epoch (the default);
 * - `epoch-seconds`: a Number, whole seconds since the epoch;
 * - `iso-8601`: a String, e.g. `2026-12-02T10:00:00.123Z`.
 */
export const AUDIT_CREATED_AT_FORMATS = ["epoch-millis", "epoch-seconds", "iso-8601"] as const;
export type AuditCreatedAtFormat = (typeof AUDIT_CREATED_AT_FORMATS)[number];
export const DEFAULT_AUDIT_CREATED_AT_FORMAT: AuditCreatedAtFormat = "epoch-millis";

/** A `created_at` value as stored: a Number for the epoch formats, a String for ISO 8601. */
export type AuditCreatedAt = number | string;

/** The DynamoDB type of `created_at` in a format: the table's sort key must be declared with it. */
export function auditCreatedAtAttributeType(format: AuditCreatedAtFormat): "N" | "S" {
  return format === "iso-8601" ? "S" : "N";
}

/**
 * One unit of a format, in milliseconds: the step from a taken `created_at` to the next one.
 * Stepping by less than a second in `epoch-seconds` would format to the same, taken, key.
 */
export function auditCreatedAtStepMillis(format: AuditCreatedAtFormat): number {
  return format === "epoch-seconds" ? 1000 : 1;
}

/** `created_at` for a time in epoch milliseconds; `epoch-seconds` drops the milliseconds. */
export function formatAuditCreatedAt(epochMillis: number, format: AuditCreatedAtFormat): AuditCreatedAt {
  switch (format) {
    case "epoch-millis":
      return epochMillis;
    case "epoch-seconds":
      return Math.floor(epochMillis / 1000);
    case "iso-8601":
      return new Date(epochMillis).toISOString();
  }
}

/**
 * Epoch seconds below this are read as seconds, above it as milliseconds: 1e11 seconds is the
 * year 5138, and 1e11 milliseconds is March 1973, before any audit row was written.
 */
const LARGEST_EPOCH_SECONDS = 1e11;

/** A `created_at` that is none of the three formats. */
export class AuditCreatedAtError extends Error {
  override readonly name = "AuditCreatedAtError";
  readonly code = "INVALID_AUDIT_CREATED_AT";
  constructor(readonly value: unknown) {
    super(
      `created_at ${JSON.stringify(value) ?? String(value)} is neither epoch milliseconds, epoch seconds nor an ISO 8601 time ` +
        `(a Number such as 1796205600123 or 1796205600, or a String such as 2026-12-02T10:00:00.123Z)`,
    );
  }
}

/**
 * A stored `created_at` as epoch milliseconds, whichever of the three formats wrote it: readers
 * cannot rely on the setting, since rows written before it changed (and the legacy function's
 * rows) stay in the table. A Number is told seconds from milliseconds by its size; a numeric
 * String (a Number read with the low-level client) is read as a Number.
 */
export function readAuditCreatedAt(value: unknown): number {
  const number =
    typeof value === "number"
      ? value
      : typeof value === "string" && /^\d+(\.\d+)?$/.test(value.trim())
        ? Number(value)
        : undefined;
  if (number !== undefined) {
    if (!Number.isFinite(number) || number < 0) throw new AuditCreatedAtError(value);
    return Math.round(number < LARGEST_EPOCH_SECONDS ? number * 1000 : number);
  }
  // Date.parse also takes "2026" or "Dec 2, 2026": only an ISO 8601 date and time is a format of
  // the table. One without a zone (Python's utcnow().isoformat()) is UTC, not the reader's local time.
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) {
    const millis = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`);
    if (Number.isFinite(millis)) return millis;
  }
  throw new AuditCreatedAtError(value);
}
