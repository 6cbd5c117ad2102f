import type { Logger } from "@aws-lambda-powertools/logger";
import {
  createDocumentClient,
  createNotificationClients,
  createNotificationLog,
  createSesMailSender,
  createSnsTopicPublisher,
  type BusinessMetrics,
  type Config,
} from "@payment3/core";
import { createNotificationsHandler } from "./notifications-handler";

/** A claim older than this is taken over: twice the function timeout, so Lambda's first async retry (about a minute later) can finish an abandoned notification. */
const NOTIFICATION_LOG_LEASE_MS = 60 * 1000;

/**
 * The notifications handler with its real adapters (SES, SNS, the email log): the registry entry's
 * `create`, and what the Lambda entry builds. Apart from the entry so that the function's bundle
 * does not carry the registry's pattern, grants and descriptions, which only the stacks and the
 * local runtime read.
 */
export function createNotificationsFunction(config: Config, logger: Logger, metrics?: BusinessMetrics) {
  const endpoint = config.awsEndpointUrl;
  const { ses, sns } = createNotificationClients({ region: config.region, endpoint });
  const notificationLog = createNotificationLog({
    documentClient: createDocumentClient({ region: config.region, endpoint }),
    tableName: config.emailLogTableName,
    leaseMs: NOTIFICATION_LOG_LEASE_MS,
    idempotencyTableName: config.idempotencyTableName,
  });
  const mailSender = createSesMailSender({
    client: ses,
    senderEmail: config.senderEmail,
    configurationSetName: config.emailConfigurationSetName,
  });
  const topicPublisher = createSnsTopicPublisher({ client: sns, topicArn: config.paymentNotificationsTopicArn });
  return createNotificationsHandler(
    { notificationLog, mailSender, topicPublisher, ...(metrics ? { metrics } : {}) },
    logger,
  );
}
