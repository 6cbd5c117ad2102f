import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { FailureReason, OrderOutcomeEvent } from "@payment3/events";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { isJsonObject, readJsonText } from "../json-text";
import {
  auditCreatedAtStepMillis,
  formatAuditCreatedAt,
  readAuditCreatedAt,
  type AuditCreatedAt,
  type AuditCreatedAtFormat,
} from "./audit-created-at";

/**
 * One row of ProcessPaidOrderTable, the audit trail the legacy function wrote with a PynamoDB
 * model (orderId hash key, created_at range key, `data` a JSONAttribute, `is_error`), which other
 * services read: so `data` is a String holding JSON, not a map.
 */
export interface AuditRow {
  readonly orderId: string;
  /**
   * Epoch milliseconds of the outcome's `occurredAt`. The range key is written from it in the
   * table's AUDIT_CREATED_AT_FORMAT (see {@link writeAuditRow}).
   */
  readonly created_at: number;
  /**
   * JSON text: the recalculated order for OrderPaid and for a declined payment; the failure
   * details otherwise.
   */
  readonly data: string;
  /** True for a failure that is an error; false for OrderPaid and for a declined payment. */
  readonly is_error: boolean;
  readonly outcome: "OrderPaid" | "OrderPaymentFailed";
  readonly paymentId: string | null;
  readonly reason: string | null;
  /** The EventBridge id of the outcome event. */
  readonly eventId: string;
  readonly idempotencyKey: string;
  /** True when `data` lost its `items` to fit (the event was truncated, or the row would pass DynamoDB's 400 KB). */
  readonly dataTruncated: boolean;
}

/** DynamoDB items are limited to 400 KB; leave room for overhead. */
const MAX_ROW_BYTES = 350 * 1024;

/**
 * Whether a failure reason makes an error row. A declined payment is the provider's answer,
 * not a fault: the legacy function wrote it with `is_error` false and the order, and the
 * services reading the table count errors by `is_error`.
 */
export function isAuditErrorReason(reason: FailureReason): boolean {
  return reason !== "PAYMENT_DECLINED";
}

/**
 * The size DynamoDB counts for a row as written: attribute names and String values by UTF-8
 * length, a Number at its 21-byte maximum, a boolean or null 1 byte. `created_at` is counted as
 * the ISO 8601 String, the longest of its formats.
 */
function writtenRowBytes(row: AuditRow): number {
  const item: Record<string, unknown> = { ...row, created_at: new Date(row.created_at).toISOString() };
  return Object.entries(item).reduce((sum, [name, value]) => {
    const valueBytes =
      typeof value === "string" ? Buffer.byteLength(value, "utf8") : typeof value === "number" ? 21 : 1;
    return sum + Buffer.byteLength(name, "utf8") + valueBytes;
  }, 0);
}

/** The audit row for an outcome: deterministic, so a redelivered or replayed outcome builds the same row. */
export function buildAuditRow(event: OrderOutcomeEvent): AuditRow {
  const { detail } = event;
  const base = {
    orderId: detail.orderId,
    created_at: Date.parse(detail.occurredAt),
    paymentId: detail.paymentId,
    eventId: event.id,
    idempotencyKey: detail.idempotencyKey,
  };
  let row: Omit<AuditRow, "data"> & { readonly data: Record<string, unknown> };
  if (event["detail-type"] === "OrderPaid") {
    row = {
      ...base,
      outcome: "OrderPaid",
      data: event.detail.order,
      is_error: false,
      reason: null,
      dataTruncated: event.detail.orderTruncated,
    };
  } else {
    const failure = event.detail;
    const details = {
      reason: failure.reason,
      message: failure.message,
      retryable: failure.retryable,
      paymentSucceeded: failure.paymentSucceeded,
      amount: failure.amount,
      channel: failure.channel,
    };
    // A declined payment's row holds the order, as the legacy function's did; events from before
    // declines carried the order have only the details to give.
    const data = failure.reason === "PAYMENT_DECLINED" && failure.order ? failure.order : details;
    row = {
      ...base,
      outcome: "OrderPaymentFailed",
      is_error: isAuditErrorReason(failure.reason),
      reason: failure.reason,
      dataTruncated: false,
      data,
    };
  }
  const written: AuditRow = { ...row, data: JSON.stringify(row.data) };
  if (writtenRowBytes(written) <= MAX_ROW_BYTES) return written;
  const { items: _items, ...withoutItems } = row.data;
  return { ...row, data: JSON.stringify(withoutItems), dataTruncated: true };
}

/** The audit table could not be written. `transient` says whether a later attempt can succeed. */
export class AuditLogError extends Error {
  override readonly name = "AuditLogError";
  readonly code = "AUDIT_LOG_UNAVAILABLE";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface AuditLogDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * Where the row time of an outcome whose occurredAt can change under its key is pinned (the
   * idempotency table, records `audit-log#<key>` without `expiration`, so they never expire):
   * ORDER_NOT_FOUND and INVALID_EVENT, which a callback sending the confirmation again gets
   * re-published with a later occurredAt (`occurredAtIsFixedByKey`).
   */
  readonly idempotencyTableName: string;
  /** How `created_at` is written: it must match the type of the table's sort key (AUDIT_CREATED_AT_FORMAT). */
  readonly createdAtFormat: AuditCreatedAtFormat;
}

/** `createdAt` is the row's `created_at` as written, in the table's format. */
export type AuditWriteResult =
  | { readonly status: "written"; readonly createdAt: AuditCreatedAt }
  | { readonly status: "duplicate"; readonly createdAt: AuditCreatedAt };

/**
 * The row time of an outcome in epoch milliseconds, whatever the table's format: the first
 * delivery's `created_at`, kept for good under its idempotency key in one atomic write, so every
 * later copy of the outcome (whatever its occurredAt) lands on the same row.
 */
async function pinRowTime(
  row: AuditRow,
  documentClient: DynamoDBDocumentClient,
  idempotencyTableName: string,
): Promise<number> {
  try {
    const result = await documentClient.send(
      new UpdateCommand({
        TableName: idempotencyTableName,
        Key: { id: `audit-log#${row.idempotencyKey}` },
        UpdateExpression: "SET createdAt = if_not_exists(createdAt, :proposed), orderId = :orderId",
        ExpressionAttributeValues: { ":proposed": row.created_at, ":orderId": row.orderId },
        ReturnValues: "ALL_NEW",
      }),
    );
    return Number(result.Attributes?.createdAt ?? row.created_at);
  } catch (error) {
    throw new AuditLogError(
      `could not pin the audit row time of ${row.idempotencyKey} in ${idempotencyTableName}: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );
  }
}

/** Two outcomes of one order in the same unit of the format are rare; a few steps always resolve them. */
const MAX_COLLISION_STEPS = 20;

export interface AuditWriteOptions {
  /**
   * True when every copy of the outcome carries the same occurredAt (`occurredAtIsFixedByKey`):
   * the row time needs no pin, and the row takes one write. Default false: pinned.
   */
  readonly occurredAtFixedByKey?: boolean;
}

/**
 * Writes the row once, with `created_at` in `createdAtFormat`. Every copy of the same outcome
 * (delivered again, re-published or replayed) starts from the same row time: its occurredAt
 * when that is fixed by the key, else the time pinned under its idempotency key by the first
 * copy. So it hits the same key and the conditional put reports a duplicate. If another outcome
 * of the same order took that key, the row moves on by one unit of the format (1 ms, or 1 s for
 * `epoch-seconds`) to the next free key; its idempotency key tells the two apart, and since a
 * row never moves, every copy walks the same keys to the same row.
 */
export async function writeAuditRow(
  row: AuditRow,
  { documentClient, tableName, idempotencyTableName, createdAtFormat }: AuditLogDependencies,
  options: AuditWriteOptions = {},
): Promise<AuditWriteResult> {
  const pinned = options.occurredAtFixedByKey
    ? row.created_at
    : await pinRowTime(row, documentClient, idempotencyTableName);
  const stepMillis = auditCreatedAtStepMillis(createdAtFormat);
  for (let step = 0; step < MAX_COLLISION_STEPS; step++) {
    const createdAt = formatAuditCreatedAt(pinned + step * stepMillis, createdAtFormat);
    try {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...row, created_at: createdAt },
          ConditionExpression: "attribute_not_exists(orderId)",
        }),
      );
      return { status: "written", createdAt };
    } catch (error) {
      if (!isConditionalCheckFailure(error)) {
        const transient = isTransientAwsError(error);
        const hint = /type mismatch/i.test(describeError(error))
          ? `; the table's created_at is not of the type ${createdAtFormat} writes: set AUDIT_CREATED_AT_FORMAT to the format the table was created with`
          : "";
        throw new AuditLogError(
          `could not write the audit row of ${row.idempotencyKey} to ${tableName} (created_at ${JSON.stringify(createdAt)}): ${describeError(error)}${hint}`,
          transient,
          { cause: error },
        );
      }
    }
    const existing = await documentClient.send(
      new GetCommand({
        TableName: tableName,
        Key: { orderId: row.orderId, created_at: createdAt },
        ConsistentRead: true,
      }),
    );
    if (existing.Item?.idempotencyKey === row.idempotencyKey) return { status: "duplicate", createdAt };
  }
  throw new AuditLogError(
    `order ${row.orderId} has ${MAX_COLLISION_STEPS} audit rows from ${new Date(pinned).toISOString()} on (${createdAtFormat}); refusing to look further`,
    false,
  );
}

/**
 * An audit row as read back, from any writer of the table (this project, or the legacy
 * function, whose rows have only orderId, created_at, data and is_error).
 */
export interface ReadAuditRow extends Partial<Omit<AuditRow, "orderId" | "created_at" | "data" | "is_error">> {
  readonly orderId: string;
  /** `created_at` as stored: a Number or a String, in whichever format wrote it. */
  readonly created_at: AuditCreatedAt;
  /** `created_at` in epoch milliseconds. */
  readonly createdAtMillis: number;
  /** `data` parsed from its JSON. */
  readonly data: Record<string, unknown>;
  readonly is_error: boolean;
}

/** A stored audit row that cannot be read back. */
export class AuditRowFormatError extends Error {
  override readonly name = "AuditRowFormatError";
  readonly code = "INVALID_AUDIT_ROW";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Reads a ProcessPaidOrderTable item back: `created_at` in any of the three formats (the
 * setting may have changed since a row was written) and `data` from its JSON string. A `data`
 * map, as rows written before `data` became a string hold, is taken as it is. Every reader of
 * the table goes through here, so the row's stored shape is decoded in one place.
 */
export function readAuditRow(item: Record<string, unknown>): ReadAuditRow {
  const where = `audit row ${JSON.stringify(item.orderId)} / ${JSON.stringify(item.created_at)}`;
  if (typeof item.orderId !== "string") throw new AuditRowFormatError(`${where}: orderId must be a string`);
  let createdAtMillis: number;
  try {
    createdAtMillis = readAuditCreatedAt(item.created_at);
  } catch (error) {
    throw new AuditRowFormatError(`${where}: ${(error as Error).message}`, { cause: error });
  }
  const data = readJsonText(item.data);
  if (!data.ok)
    throw new AuditRowFormatError(`${where}: data is not JSON (${data.error.message})`, { cause: data.error });
  if (!isJsonObject(data.value)) {
    throw new AuditRowFormatError(
      `${where}: data must be a JSON object, got ${JSON.stringify(data.value) ?? String(data.value)}`.slice(0, 500),
    );
  }
  return {
    ...item,
    orderId: item.orderId,
    created_at: item.created_at as AuditCreatedAt,
    createdAtMillis,
    data: data.value,
    is_error: item.is_error === true,
  };
}
