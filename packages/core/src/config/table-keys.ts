import { auditCreatedAtAttributeType, type AuditCreatedAtFormat } from "../audit/audit-created-at";

/**
 * The key schema of every table the system touches: the stacks declare tables from it and the
 * local runtime creates them from it, so the two cannot drift.
 */
export interface TableKeySchema {
  readonly partitionKey: { readonly name: string; readonly type: "S" | "N" };
  readonly sortKey?: { readonly name: string; readonly type: "S" | "N" };
}

export const ORDER_TABLE_KEYS: TableKeySchema = { partitionKey: { name: "orderId", type: "S" } };

/**
 * ProcessPaidOrderTable's key schema: `created_at` is a Number or a String as
 * AUDIT_CREATED_AT_FORMAT decides, so the table must be created from the same setting the rows
 * are written with (DynamoDB refuses a key value of the other type).
 */
export function processPaidOrderTableKeys(createdAtFormat: AuditCreatedAtFormat): TableKeySchema {
  return {
    partitionKey: { name: "orderId", type: "S" },
    sortKey: { name: "created_at", type: auditCreatedAtAttributeType(createdAtFormat) },
  };
}

/** One row per notification (the outcome's idempotency key): the durable "sent once" record. */
export const EMAIL_LOG_TABLE_KEYS: TableKeySchema = {
  partitionKey: { name: "orderId", type: "S" },
  sortKey: { name: "notificationKey", type: "S" },
};

/** One row per address customer emails no longer go to, keyed by the lower-cased address. */
export const EMAIL_SUPPRESSION_TABLE_KEYS: TableKeySchema = { partitionKey: { name: "address", type: "S" } };

/** The idempotency table: partition key `id` (TTL attribute `expiration` on AWS), the layout Powertools idempotency uses too. */
export const IDEMPOTENCY_TABLE_KEYS: TableKeySchema = { partitionKey: { name: "id", type: "S" } };
