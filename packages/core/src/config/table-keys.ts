import { auditCreatedAtAttributeType, type AuditCreatedAtFormat } from "../audit/audit-created-at";

/**
 * The key schema of every table the system touches: the stacks declare tables from it and the
 * local runtime creates them from it, so the two cannot drift.
 */
export interface TableKeySchema {
  readonly partitionKey: { readonly name: string; readonly type: "S" | "N" };
  readonly sortKey?: { readonly name: string; readonly type: "S" | "N" };
  /** Global secondary indexes: their keys and whether they project only the keys or every attribute. */
  readonly indexes?: readonly {
    readonly name: string;
    readonly partitionKey: { readonly name: string; readonly type: "S" | "N" };
    readonly sortKey?: { readonly name: string; readonly type: "S" | "N" };
    readonly projection: "KEYS_ONLY" | "ALL";
  }[];
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

/**
 * The email log's sparse index of the emails awaiting proof: only a row whose email is `uncertain` and not yet
 * resolved has its keys, so the uncertain-email sweep queries exactly those, oldest first (uncertain-emails.ts).
 */
export const UNCERTAIN_EMAIL_INDEX = {
  name: "uncertain-email-index",
  /** One constant value on every listed row: the index has one partition, and a row leaves it when the attribute goes. */
  partitionKey: { name: "emailAwaitingProof", type: "S" },
  /** ISO time the email became uncertain (or the sweep's last unanswered send): the window counts from it. */
  sortKey: { name: "emailUncertainSince", type: "S" },
  projection: "KEYS_ONLY",
} as const;

/** One row per notification (the outcome's idempotency key): the durable "sent once" record. */
export const EMAIL_LOG_TABLE_KEYS: TableKeySchema = {
  partitionKey: { name: "orderId", type: "S" },
  sortKey: { name: "notificationKey", type: "S" },
  indexes: [UNCERTAIN_EMAIL_INDEX],
};

/** One row per address customer emails no longer go to, keyed by the lower-cased address. */
export const EMAIL_SUPPRESSION_TABLE_KEYS: TableKeySchema = { partitionKey: { name: "address", type: "S" } };

/** The idempotency table: partition key `id` (TTL attribute `expiration` on AWS), the layout Powertools idempotency uses too. */
export const IDEMPOTENCY_TABLE_KEYS: TableKeySchema = { partitionKey: { name: "id", type: "S" } };
