import { ConstraintViolations, EventBridgeValidationError } from "./errors";
import { formatEventTime } from "./event-envelope";
import type { PutEventsRequest, PutEventsRequestEntry } from "./eventbridge-shapes";

/** AWS raised the PutEvents payload limit to 1 MB on 2026-01-29. [semantics §2, BLOG-1MB] */
export const PUT_EVENTS_SIZE_LIMIT_BYTES = 1_048_576;
/** The 256 KB limit that applied before 2026-01-29, for parity with older behaviour. [DOC putevent-size] */
export const LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES = 262_144;
export const MAX_PUT_EVENTS_ENTRIES = 10;
export const MAX_DETAIL_TYPE_LENGTH = 128;
/** "PutEvents will only process nested JSON up to 1000 levels deep." [PutEvents API reference]; the answer for deeper JSON is local. */
export const MAX_DETAIL_NESTING = 1000;

const TOTAL_SIZE_MESSAGE = "Total size of the entries in the request is over the limit.";

/**
 * Whole-request checks: 1..10 entries and the total entry size. Either failure rejects the request as a whole with
 * `ValidationException` (HTTP 400), not per entry. [semantics §2, LS-AWS test_put_events_exceed_limit_ten_entries]
 */
export function checkPutEventsRequest(request: PutEventsRequest, sizeLimitBytes: number): void {
  const entries = request.Entries;
  const violations = new ConstraintViolations();
  if (entries.length < 1) {
    violations.add("[]", "entries", "Member must have length greater than or equal to 1");
  } else if (entries.length > MAX_PUT_EVENTS_ENTRIES) {
    // AWS echoes the entries as the Java SDK prints them.
    violations.add(
      `[${entries.map(describeEntryLikeJava).join(", ")}]`,
      "entries",
      `Member must have length less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`,
    );
  }
  violations.throwIfAny();
  const totalSize = entries.reduce((sum, entry) => sum + computeEntrySize(entry), 0);
  if (totalSize > sizeLimitBytes) throw new EventBridgeValidationError(TOTAL_SIZE_MESSAGE);
}

/**
 * The size AWS charges for one entry: 14 bytes for `Time` if present, plus the UTF-8 bytes of `Source`,
 * `DetailType`, `Detail` and each `Resources` item. `EventBusName` does not count. [semantics §2, DOC putevent-size]
 */
export function computeEntrySize(entry: PutEventsRequestEntry): number {
  return (entry.Time === undefined ? 0 : 14) + textBytes(entry);
}

function textBytes(entry: PutEventsRequestEntry): number {
  let size = 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text !== undefined) size += Buffer.byteLength(text, "utf8");
  }
  return size;
}

/** The length of an event `time` as the envelope writes it (`2024-05-21T13:06:25Z`). */
const EVENT_TIME_TEXT_BYTES = 20;

/**
 * What one event adds to an archive's SizeBytes: the UTF-8 bytes of `Source`, `DetailType`, `Detail` (as sent) and
 * each `Resources` item, plus 20 bytes for its time whether or not the entry gave one. AWS recorded 1590 bytes for ten
 * entries of 27 + 27 + 85 bytes without `Time` (159 each, where the PutEvents size is 139); we read the 20 bytes as the
 * envelope's `time` text. [semantics §6; LS-AWS test_list_archive_with_events]
 */
export function computeArchivedSize(entry: PutEventsRequestEntry): number {
  return textBytes(entry) + EVENT_TIME_TEXT_BYTES;
}

export type EntryCheck =
  | { readonly accepted: true; readonly detail: Record<string, unknown> }
  | { readonly accepted: false; readonly errorCode: string; readonly errorMessage: string };

/**
 * Per-entry checks. A failed entry gets `{ErrorCode, ErrorMessage}` in the response while the other entries are
 * still processed and the status stays 200. [semantics §2, LS-AWS test_events.snapshot]
 */
export function checkEntry(entry: PutEventsRequestEntry): EntryCheck {
  for (const [member, value] of [
    ["Source", entry.Source],
    ["DetailType", entry.DetailType],
    ["Detail", entry.Detail],
  ] as const) {
    if (value === undefined || value === "") {
      return rejected("InvalidArgument", `Parameter ${member} is not valid. Reason: ${member} is a required argument.`);
    }
  }
  const detail = parseDetail(entry.Detail ?? "");
  if (!detail) return rejected("MalformedDetail", "Detail is malformed.");
  if ((entry.Source ?? "").startsWith("aws.")) {
    // `aws.` sources are reserved for AWS services; observed answer of real PutEvents. [DOC eb-events]
    return rejected("NotAuthorizedForSourceException", "Not authorized for the source.");
  }
  if ((entry.DetailType ?? "").length > MAX_DETAIL_TYPE_LENGTH) {
    // The 128-character limit is documented [BOTO]; the wording of the failure is local.
    return rejected(
      "InvalidArgument",
      `Parameter DetailType is not valid. Reason: DetailType must be at most ${MAX_DETAIL_TYPE_LENGTH} characters long.`,
    );
  }
  // Accepting a deeper detail would break delivery later (the target input cannot be built), silently losing the
  // event. Nesting deeper than the limit takes at least two brackets per level, so short details skip the walk.
  if ((entry.Detail ?? "").length > 2 * MAX_DETAIL_NESTING && nestedDeeperThan(detail, MAX_DETAIL_NESTING)) {
    return rejected(
      "MalformedDetail",
      `Detail is malformed: it is nested more than ${MAX_DETAIL_NESTING} levels deep, and PutEvents only processes nested JSON up to ${MAX_DETAIL_NESTING} levels deep.`,
    );
  }
  return { accepted: true, detail };
}

/** Whether a parsed detail has objects or arrays nested more than `limit` levels deep (the detail itself is level 1); iterative, so any depth is safe. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== "object" || current === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

/** `Time` from the wire (epoch seconds) or a Date; `undefined` when absent or not a valid instant. */
export function entryTime(entry: PutEventsRequestEntry): Date | undefined {
  if (entry.Time === undefined) return undefined;
  const time = entry.Time instanceof Date ? entry.Time : new Date(entry.Time * 1000);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

function rejected(errorCode: string, errorMessage: string): EntryCheck {
  return { accepted: false, errorCode, errorMessage };
}

function parseDetail(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeEntryLikeJava(entry: PutEventsRequestEntry): string {
  const time = entryTime(entry);
  const fields: [string, string | undefined][] = [
    ["time", time ? formatEventTime(time) : undefined],
    ["source", entry.Source],
    ["resources", entry.Resources ? `[${entry.Resources.join(", ")}]` : undefined],
    ["detailType", entry.DetailType],
    ["detail", entry.Detail],
    ["eventBusName", entry.EventBusName],
    ["traceHeader", entry.TraceHeader],
    ["kmsKeyIdentifier", undefined],
    ["internalMetadata", undefined],
  ];
  return `PutEventsRequestEntry(${fields.map(([name, value]) => `${name}=${value ?? "null"}`).join(", ")})`;
}
