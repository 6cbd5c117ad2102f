import type { Logger } from "@aws-lambda-powertools/logger";
import { createDocumentClient, type Config } from "@payment3/core";
import { OrderPaidContract, OrderPaymentFailedContract, PROCESSOR_SOURCE } from "@payment3/events";
import type { Subscription } from "../subscription";
import { createAuditLogHandler } from "./audit-log-handler";

/** Every outcome gets an audit row, failures included (the old `is_error` rows). */
export const auditLogSubscription = {
  name: "audit-log",
  description: "Writes one ProcessPaidOrderTable row per OrderPaid / OrderPaymentFailed",
  eventPattern: {
    source: [PROCESSOR_SOURCE],
    "detail-type": [OrderPaidContract.detailType, OrderPaymentFailedContract.detailType],
  },
  handler: "packages/functions/src/audit-log/handler.handler",
  timeoutSeconds: 30,
  retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 6 * 3600 },
  deadLetterRetentionDays: 14,
  // GetItem tells a duplicate from a same-millisecond neighbour after a failed conditional put.
  access: [
    { resource: "processPaidOrderTable", actions: ["dynamodb:PutItem", "dynamodb:GetItem"] },
    // Pins the row time of an outcome whose occurredAt can change under its key (records that never expire).
    { resource: "idempotencyTable", actions: ["dynamodb:UpdateItem"] },
  ],
  create(config: Config, logger: Logger) {
    const documentClient = createDocumentClient({ region: config.region, endpoint: config.awsEndpointUrl });
    return createAuditLogHandler(
      {
        documentClient,
        tableName: config.auditLogTableName,
        idempotencyTableName: config.idempotencyTableName,
        createdAtFormat: config.auditCreatedAtFormat,
      },
      logger,
    );
  },
} as const satisfies Subscription;
