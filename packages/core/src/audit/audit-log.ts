import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OrderOutcomeEvent } from "@payment3/events";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";

/** One row of ProcessPaidOrderTable, the audit trail the old function wrote (`is_error` rows included). */
export interface AuditRow {
  readonly orderId: string;
  /** Epoch milliseconds of the outcome's `occurredAt` (the range key). */
  readonly created_at: number;
  /** The recalculated order for OrderPaid; the failure details otherwise. */
  readonly data: Record<string, unknown>;
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

/** DynamoDB items are limited to 400 KB; leave room for attribute names and overhead. */
const MAX_ROW_JSON_BYTES = 350 * 1024;

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
  const row: AuditRow =
    event["detail-type"] === "OrderPaid"
      ? { ...base, outcome: "OrderPaid", data: event.detail.order, is_error: false, reason: null, dataTruncated: event.detail.orderTruncated }
      : {
          ...base,
          outcome: "OrderPaymentFailed",
          is_error: true,
          reason: event.detail.reason,
          dataTruncated: false,
          data: {
            reason: event.detail.reason,
            message: event.detail.message,
            retryable: event.detail.retryable,
            paymentSucceeded: event.detail.paymentSucceeded,
            amount: event.detail.amount,
            channel: event.detail.channel,
          },
        };
  if (Buffer.byteLength(JSON.stringify(row), "utf8") <= MAX_ROW_JSON_BYTES) return row;
  const { items: _items, ...withoutItems } = row.data;
  return { ...row, data: withoutItems, dataTruncated: true };
}

/** The audit table could not be written. */
export class AuditLogError extends Error {
  override readonly name = "AuditLogError";
  readonly code = "AUDIT_LOG_UNAVAILABLE";
  constructor(message: string, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface AuditLogDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /**
   * Where each outcome's row time is pinned (the idempotency table, records `audit-log#<key>`
   * without `expiration`, so they never expire). Needed because a re-published terminal failure
   * (the callback sent the confirmation again) carries a new occurredAt under the same key.
   */
  readonly guardTableName: string;
}

export type AuditWriteResult = { readonly status: "written"; readonly createdAt: number } | { readonly status: "duplicate"; readonly createdAt: number };

/**
 * The row time of an outcome: the first delivery's `created_at`, kept for good under its
 * idempotency key in one atomic write, so every later copy of the outcome (whatever its
 * occurredAt) lands on the same row.
 */
async function pinRowTime(row: AuditRow, documentClient: DynamoDBDocumentClient, guardTableName: string): Promise<number> {
  try {
    const result = await documentClient.send(
      new UpdateCommand({
        TableName: guardTableName,
        Key: { id: `audit-log#${row.idempotencyKey}` },
        UpdateExpression: "SET createdAt = if_not_exists(createdAt, :proposed), orderId = :orderId",
        ExpressionAttributeValues: { ":proposed": row.created_at, ":orderId": row.orderId },
        ReturnValues: "ALL_NEW",
      }),
    );
    return Number(result.Attributes?.createdAt ?? row.created_at);
  } catch (error) {
    throw new AuditLogError(`could not pin the audit row time of ${row.idempotencyKey} in ${guardTableName}: ${describeError(error)}`, isTransientAwsError(error), { cause: error });
  }
}

/** Two outcomes of one order in the same millisecond are rare; a few steps always resolve them. */
const MAX_COLLISION_STEPS = 20;

/**
 * Writes the row once. Its key (orderId, created_at) is pinned per idempotency key, so the same
 * outcome delivered again, re-published or replayed hits the same key and the conditional put
 * reports a duplicate. If another outcome of the same order took that millisecond, the row
 * moves to the next free millisecond; its idempotency key tells the two apart.
 */
export async function writeAuditRow(row: AuditRow, { documentClient, tableName, guardTableName }: AuditLogDependencies): Promise<AuditWriteResult> {
  const pinned = await pinRowTime(row, documentClient, guardTableName);
  for (let step = 0; step < MAX_COLLISION_STEPS; step++) {
    const createdAt = pinned + step;
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
        const retryable = isTransientAwsError(error);
        throw new AuditLogError(`could not write the audit row of ${row.idempotencyKey} to ${tableName}: ${describeError(error)}`, retryable, { cause: error });
      }
    }
    const existing = await documentClient.send(new GetCommand({ TableName: tableName, Key: { orderId: row.orderId, created_at: createdAt }, ConsistentRead: true }));
    if (existing.Item?.idempotencyKey === row.idempotencyKey) return { status: "duplicate", createdAt };
  }
  throw new AuditLogError(`order ${row.orderId} has ${MAX_COLLISION_STEPS} audit rows from ${row.created_at} ms on; refusing to look further`, false);
}
