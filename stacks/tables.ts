import { RemovalPolicy, aws_dynamodb as dynamodb, type Stack } from "aws-cdk-lib";
import {
  EMAIL_LOG_TABLE_KEYS,
  EMAIL_SUPPRESSION_TABLE_KEYS,
  IDEMPOTENCY_TABLE_KEYS,
  processPaidOrderTableKeys,
  type AuditCreatedAtFormat,
  type TableKeySchema,
  type defaultResourceNames,
} from "@payment3/core";

const ATTRIBUTE_TYPE = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER } as const;

/** CDK key props from the key schema the local runtime also creates its tables from. */
export function tableKeys(
  keys: Pick<TableKeySchema, "partitionKey" | "sortKey">,
): Pick<dynamodb.TableProps, "partitionKey" | "sortKey"> {
  return {
    partitionKey: { name: keys.partitionKey.name, type: ATTRIBUTE_TYPE[keys.partitionKey.type] },
    ...(keys.sortKey ? { sortKey: { name: keys.sortKey.name, type: ATTRIBUTE_TYPE[keys.sortKey.type] } } : {}),
  };
}

/** Adds the key schema's global secondary indexes to `table` (the local runtime creates the same ones). */
function withIndexes(table: dynamodb.Table, keys: TableKeySchema): dynamodb.Table {
  for (const index of keys.indexes ?? [])
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      ...tableKeys(index),
      projectionType: index.projection === "ALL" ? dynamodb.ProjectionType.ALL : dynamodb.ProjectionType.KEYS_ONLY,
    });
  return table;
}

export interface StackTables {
  /**
   * Created by the stack, or an existing table referenced by name (`ADOPT_PROCESS_PAID_ORDER_TABLE`):
   * only its name and ARN are used, for the functions' configuration and grants.
   */
  readonly processPaidOrder: Pick<dynamodb.ITable, "tableName" | "tableArn">;
  readonly emailLog: dynamodb.Table;
  readonly idempotency: dynamodb.Table;
  /** The addresses customer emails no longer go to (permanent bounces and complaints SES reported). */
  readonly emailSuppression: dynamodb.Table;
}

/**
 * The tables this project owns. The shared order table is not among them: it belongs to the
 * order service and is only referenced by name (see resource-access.ts).
 */
export function createTables(
  stack: Stack,
  names: ReturnType<typeof defaultResourceNames>,
  options: {
    readonly retainRecords: boolean;
    /** Decides ProcessPaidOrderTable's sort key type: the functions write `created_at` in the same format. */
    readonly auditCreatedAtFormat: AuditCreatedAtFormat;
    /**
     * An existing ProcessPaidOrderTable to use instead of creating one (the legacy deployment's):
     * referenced by name, never changed or deleted by the stack. Its sort key must already match
     * `auditCreatedAtFormat`.
     */
    readonly adoptedProcessPaidOrderTableName?: string | undefined;
  },
): StackTables {
  // Every table holds records a redelivery or a replay depends on (audit rows, the "sent once"
  // email log, the audit rows' pinned times): each has point-in-time recovery and, by default,
  // outlives the stage.
  const recordsRemovalPolicy = options.retainRecords ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
  return {
    processPaidOrder: options.adoptedProcessPaidOrderTableName
      ? dynamodb.Table.fromTableName(stack, "ProcessPaidOrderTable", options.adoptedProcessPaidOrderTableName)
      : new dynamodb.Table(stack, "ProcessPaidOrderTable", {
          tableName: names.auditLogTableName,
          ...tableKeys(processPaidOrderTableKeys(options.auditCreatedAtFormat)),
          billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          removalPolicy: recordsRemovalPolicy,
        }),
    emailLog: withIndexes(
      new dynamodb.Table(stack, "EmailLogTable", {
        tableName: names.emailLogTableName,
        ...tableKeys(EMAIL_LOG_TABLE_KEYS),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        removalPolicy: recordsRemovalPolicy,
      }),
      EMAIL_LOG_TABLE_KEYS,
    ),
    idempotency: new dynamodb.Table(stack, "IdempotencyTable", {
      tableName: names.idempotencyTableName,
      ...tableKeys(IDEMPOTENCY_TABLE_KEYS),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The notes of notification attempts without effect expire; the audit log's pinned row
      // times (`audit-log#<key>`) have no expiration and are kept for good.
      timeToLiveAttribute: "expiration",
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: recordsRemovalPolicy,
    }),
    // Losing it would send payment emails to addresses that bounced or complained: kept like the others.
    emailSuppression: new dynamodb.Table(stack, "EmailSuppressionTable", {
      tableName: names.emailSuppressionTableName,
      ...tableKeys(EMAIL_SUPPRESSION_TABLE_KEYS),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: recordsRemovalPolicy,
    }),
  };
}
