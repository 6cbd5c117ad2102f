import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { OrderOutcomeEvent } from "@payment3/events";
import { describeError, isTransientAwsError } from "../aws/aws-error";

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
}

export type AuditWriteResult = { readonly status: "written"; readonly createdAt: number } | { readonly status: "duplicate"; readonly createdAt: number };

/** Two outcomes of one order in the same millisecond are rare; a few steps always resolve them. */
const MAX_COLLISION_STEPS = 20;

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === "ConditionalCheckFailedException";

/**
 * Writes the row once. The key (orderId, created_at) comes from the outcome, so the same
 * outcome delivered again, re-published or replayed hits the same key and the conditional put
 * reports a duplicate. If another outcome of the same order took that millisecond, the row
 * moves to the next free millisecond; its idempotency key tells the two apart.
 */
export async function writeAuditRow(row: AuditRow, { documentClient, tableName }: AuditLogDependencies): Promise<AuditWriteResult> {
  for (let step = 0; step < MAX_COLLISION_STEPS; step++) {
    const createdAt = row.created_at + step;
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
      if (!isConditionFailure(error)) {
        const retryable = isTransientAwsError(error);
        throw new AuditLogError(`could not write the audit row of ${row.idempotencyKey} to ${tableName}: ${describeError(error)}`, retryable, { cause: error });
      }
    }
    const existing = await documentClient.send(new GetCommand({ TableName: tableName, Key: { orderId: row.orderId, created_at: createdAt }, ConsistentRead: true }));
    if (existing.Item?.idempotencyKey === row.idempotencyKey) return { status: "duplicate", createdAt };
  }
  throw new AuditLogError(`order ${row.orderId} has ${MAX_COLLISION_STEPS} audit rows from ${row.created_at} ms on; refusing to look further`, false);
}
