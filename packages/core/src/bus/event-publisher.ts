import { PutEventsCommand, type EventBridgeClient, type PutEventsResultEntry } from "@aws-sdk/client-eventbridge";
import { putEventsEntrySize, PUT_EVENTS_SIZE_LIMIT_BYTES, type PutEventsEntry } from "@payment3/events";
import { describeError, isTransientAwsError } from "../aws/aws-error";

/** Puts events on the bus. An interface because tests inject publish faults through it. */
export interface EventPublisher {
  /** Publishes every entry or throws PublishError; returns the EventBridge event ids in entry order. */
  publish(entries: readonly PutEventsEntry[]): Promise<string[]>;
}

export interface FailedEntry {
  readonly index: number;
  readonly detailType: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** Some entries were not accepted by EventBridge even after retries. `transient` says whether a later attempt can succeed. */
export class PublishError extends Error {
  override readonly name = "PublishError";
  readonly code = "PUBLISH_FAILED";
  readonly transient: boolean;
  constructor(
    readonly failed: readonly FailedEntry[],
    options?: { cause?: unknown },
  ) {
    super(
      `PutEvents did not accept ${failed.length} entr${failed.length === 1 ? "y" : "ies"}: ` +
        failed.map((f) => `#${f.index} ${f.detailType} ${f.errorCode} (${f.errorMessage})`).join("; "),
      options,
    );
    this.transient = failed.some((f) => RETRYABLE_ENTRY_ERRORS.has(f.errorCode));
  }
}

/** PutEvents entry error codes that a later attempt can get past [EventBridge API reference, PutEventsResultEntry]. */
const RETRYABLE_ENTRY_ERRORS = new Set(["InternalFailure", "ThrottlingException"]);

export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  readonly sizeLimitBytes?: number;
  /** Attempts per entry, the first included. Default 4. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const MAX_ENTRIES_PER_REQUEST = 10;

/** Splits entries into PutEvents requests of at most 10 entries and at most the size limit. */
export function batchEntries(entries: readonly PutEventsEntry[], sizeLimitBytes: number): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let currentSize = 0;
  entries.forEach((entry, index) => {
    const size = putEventsEntrySize(entry);
    if (current.length === MAX_ENTRIES_PER_REQUEST || (current.length > 0 && currentSize + size > sizeLimitBytes)) {
      batches.push(current);
      current = [];
      currentSize = 0;
    }
    current.push(index);
    currentSize += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * PutEvents with the checks the API leaves to the caller: a 200 with FailedEntryCount > 0 is
 * a failure. Failed entries with a retryable code are retried alone, with exponential
 * backoff and jitter; anything still failing is named in a PublishError.
 */
export function createEventBridgePublisher(options: EventBridgePublisherOptions): EventPublisher {
  const limit = options.sizeLimitBytes ?? PUT_EVENTS_SIZE_LIMIT_BYTES;
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 100;
  const sleep = options.sleep ?? defaultSleep;

  async function putBatch(
    entries: readonly PutEventsEntry[],
    indexes: number[],
  ): Promise<(PutEventsResultEntry | FailedEntry)[]> {
    try {
      const response = await options.client.send(
        new PutEventsCommand({
          Entries: indexes.map((i) => ({
            ...entries[i]!,
            Resources: entries[i]!.Resources ? [...entries[i]!.Resources!] : undefined,
          })),
        }),
      );
      return indexes.map(
        (index, position) =>
          response.Entries?.[position] ?? {
            index,
            detailType: entries[index]!.DetailType,
            errorCode: "InternalFailure",
            errorMessage: "PutEvents returned no result for this entry",
          },
      );
    } catch (error) {
      // The whole request failed; each entry inherits the error.
      const errorCode = isTransientAwsError(error) ? "InternalFailure" : ((error as { name?: string }).name ?? "Error");
      return indexes.map((index) => ({
        index,
        detailType: entries[index]!.DetailType,
        errorCode,
        errorMessage: describeError(error),
      }));
    }
  }

  return {
    async publish(entries) {
      const eventIds: (string | undefined)[] = new Array(entries.length);
      let pending = entries.map((_, index) => index);
      let failures: FailedEntry[] = [];
      for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
        if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2) * (0.5 + Math.random() / 2));
        failures = [];
        for (const batch of batchEntries(
          pending.map((i) => entries[i]!),
          limit,
        )) {
          const indexes = batch.map((position) => pending[position]!);
          const results = await putBatch(entries, indexes);
          results.forEach((result, position) => {
            const index = indexes[position]!;
            if ("EventId" in result && result.EventId && !("ErrorCode" in result && result.ErrorCode)) {
              eventIds[index] = result.EventId;
            } else if ("errorCode" in result) {
              failures.push(result);
            } else {
              failures.push({
                index,
                detailType: entries[index]!.DetailType,
                errorCode: result.ErrorCode ?? "Unknown",
                errorMessage: result.ErrorMessage ?? "no message",
              });
            }
          });
        }
        const permanent = failures.filter((f) => !RETRYABLE_ENTRY_ERRORS.has(f.errorCode));
        if (permanent.length > 0) throw new PublishError(failures);
        pending = failures.map((f) => f.index);
      }
      if (failures.length > 0) throw new PublishError(failures);
      return eventIds as string[];
    },
  };
}
