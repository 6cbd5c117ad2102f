import { validateDetailForPublish, type EventContract } from "./event-contract";

/** The PutEvents entry fields this project sets (same names as the SDK's PutEventsRequestEntry). */
export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
  readonly Time?: Date;
  readonly Resources?: readonly string[];
}

/** AWS raised the EventBridge payload limit from 256 KB to 1 MB on 2026-01-29. */
export const PUT_EVENTS_SIZE_LIMIT_BYTES = 1024 * 1024;
export const LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES = 256 * 1024;

/**
 * An entry's size as EventBridge counts it: 14 bytes for `Time` when present, plus the UTF-8
 * bytes of Source, DetailType, Detail and each Resources item.
 */
export function putEventsEntrySize(
  entry: Pick<PutEventsEntry, "Source" | "DetailType" | "Detail" | "Time" | "Resources">,
): number {
  let size = entry.Time !== undefined ? 14 : 0;
  size += Buffer.byteLength(entry.Source, "utf8");
  size += Buffer.byteLength(entry.DetailType, "utf8");
  size += Buffer.byteLength(entry.Detail, "utf8");
  for (const resource of entry.Resources ?? []) size += Buffer.byteLength(resource, "utf8");
  return size;
}

/** An event that would not fit in one PutEvents request. */
export class EventTooLargeError extends Error {
  override readonly name = "EventTooLargeError";
  readonly code = "EVENT_TOO_LARGE";
  constructor(
    readonly detailType: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super(
      `${detailType} event is ${sizeBytes} bytes, over the PutEvents limit of ${limitBytes} bytes; shrink the detail or raise EVENT_SIZE_LIMIT_BYTES if the bus allows it`,
    );
  }
}

export interface BuildEntryOptions {
  readonly eventBusName: string;
  /** Defaults to the contract's only source; required when it has several. */
  readonly source?: string;
  readonly time?: Date;
  readonly sizeLimitBytes?: number;
}

/**
 * The one way an event is built for publishing: validates the detail against its contract,
 * stamps the source and detail-type, and checks the entry fits the size limit.
 */
export function buildPutEventsEntry<TDetail>(
  contract: EventContract<TDetail>,
  detail: TDetail,
  options: BuildEntryOptions,
): PutEventsEntry {
  const valid = validateDetailForPublish(contract, detail);
  const source = options.source ?? contract.sources[0];
  if (source === undefined || !contract.sources.includes(source)) {
    throw new Error(
      `${contract.detailType} must be published with a source in ${contract.sources.join(", ")}, got ${String(source)}`,
    );
  }
  const entry: PutEventsEntry = {
    Source: source,
    DetailType: contract.detailType,
    Detail: JSON.stringify(valid),
    EventBusName: options.eventBusName,
    ...(options.time ? { Time: options.time } : {}),
  };
  const size = putEventsEntrySize(entry);
  const limit = options.sizeLimitBytes ?? PUT_EVENTS_SIZE_LIMIT_BYTES;
  if (size > limit) throw new EventTooLargeError(contract.detailType, size, limit);
  return entry;
}
