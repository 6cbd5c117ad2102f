/** A time the operator typed that cannot be read. */
export class TimeArgumentError extends Error {
  override readonly name = "TimeArgumentError";
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads an operator's time: ISO-8601 (`2026-11-29T10:00:00Z`, `2026-11-29T17:00+07:00`),
 * `now`, or a duration back from now (`-30m`, `-2h`, `-1d`, `2h ago`).
 */
export function parseTimeArgument(text: string, now: Date = new Date(), name = "time"): Date {
  const value = text.trim();
  if (value === "now") return now;
  const relative = /^-(\d+)([smhd])$/.exec(value) ?? /^(\d+)\s*([smhd])\s+ago$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2]!]!);
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  throw new TimeArgumentError(
    `${name} must be an ISO-8601 time (2026-11-29T10:00:00Z), "now", or a duration back like -2h or "30m ago"; got ${JSON.stringify(text)}`,
  );
}
