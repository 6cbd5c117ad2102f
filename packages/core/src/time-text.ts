/**
 * A time given as text (an envelope's ISO 8601 `time`), or undefined when the value is not text
 * or not a time: callers fall back to their clock, so an unreadable time never dates an outcome
 * "Invalid Date".
 */
export function readTimeText(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
