import type { Logger } from "@aws-lambda-powertools/logger";
import {
  createDocumentClient,
  createEmailSuppressions,
  EMAIL_LOG_TAG_NAME,
  SES_EMAIL_EVENT_DETAIL_TYPES,
  type BusinessMetrics,
  type Config,
} from "@payment3/core";
import type { Subscription } from "../subscription";
import { createEmailEventsHandler } from "./email-events-handler";

/**
 * SES's email events of our customer emails: SES publishes them to the account's default bus (the only bus an SES
 * EventBridge destination takes), so this rule lives there. It matches our tag, not the stage's configuration set,
 * because a registry pattern is the same for every stage; the handler leaves another stage's events alone.
 */
export const emailEventsSubscription = {
  name: "email-events",
  description:
    "Records SES email events (sent, delivered, bounced, complained) on the email log; suppresses bad addresses",
  bus: "default",
  eventPattern: {
    source: ["aws.ses"],
    "detail-type": Object.keys(SES_EMAIL_EVENT_DETAIL_TYPES),
    detail: { mail: { tags: { [EMAIL_LOG_TAG_NAME]: [{ exists: true }] } } },
  },
  handler: "packages/functions/src/email-events/handler.handler",
  timeoutSeconds: 30,
  retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 6 * 3600 },
  deadLetterRetentionDays: 14,
  access: [
    // Sets the event's attributes if absent (returning the row) and turns an uncertain email into a sent one.
    { resource: "emailLogTable", actions: ["dynamodb:UpdateItem"] },
    // Adds a permanently bounced or complaining address once.
    { resource: "emailSuppressionTable", actions: ["dynamodb:PutItem"] },
  ],
  create(config: Config, logger: Logger, metrics?: BusinessMetrics) {
    const documentClient = createDocumentClient({ region: config.region, endpoint: config.awsEndpointUrl });
    return createEmailEventsHandler(
      {
        documentClient,
        emailLogTableName: config.emailLogTableName,
        configurationSetName: config.emailConfigurationSetName,
        suppressions: createEmailSuppressions({ documentClient, tableName: config.emailSuppressionTableName }),
        ...(metrics ? { metrics } : {}),
      },
      logger,
    );
  },
} as const satisfies Subscription;
