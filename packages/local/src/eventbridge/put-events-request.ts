import { ConstraintViolations, EventBridgeValidationError } from "./errors";
import { formatEventTime } from "./event-envelope";
import type { PutEventsRequest, PutEventsRequestEntry } from "./eventbridge-shapes";

/** AWS raised the PutEvents payload limit to 1 MB on 2026-01-29. [semantics §2, BLOG-1MB] */
export const PUT_EVENTS_SIZE_LIMIT_BYTES = 1_048_576;
/** The 256 KB limit that applied before 2026-01-29, for parity with older behaviour. [DOC putevent-size] */
export const LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES = 262_144;
export const MAX_PUT_EVENTS_ENTRIES = 10;
export const MAX_DETAIL_TYPE_LENGTH = 128;

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
    violations.add(`[${entries.map(describeEntryLikeJava).join(", ")}]`, "entries",
      `Member must have length less than or equal to ${MAX_PUT_EVENTS_ENTRIES}`);
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
  let size = entry.Time === undefined ? 0 : 14;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text !== undefined) size += Buffer.byteLength(text, "utf8");
  }
  return size;
}

export type EntryCheck =
  | { readonly accepted: true; readonly detail: Record<string, unknown> }
  | { readonly accepted: false; readonly errorCode: string; readonly errorMessage: string };

/**
 * Per-entry checks. A failed entry gets `{ErrorCode, ErrorMessage}` in the response while the other entries are
 * still processed and the status stays 200. [semantics §2, LS-AWS test_events.snapshot]
 */
export function checkEntry(entry: PutEventsRequestEntry): EntryCheck {
  for (const [member, value] of [["Source", entry.Source], ["DetailType", entry.DetailType], ["Detail", entry.Detail]] as const) {
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
    return rejected("InvalidArgument",
      `Parameter DetailType is not valid. Reason: DetailType must be at most ${MAX_DETAIL_TYPE_LENGTH} characters long.`);
  }
  return { accepted: true, detail };
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
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
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
