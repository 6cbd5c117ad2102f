import type { Logger } from "@aws-lambda-powertools/logger";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { SESClient } from "@aws-sdk/client-ses";
import type { SNSClient } from "@aws-sdk/client-sns";
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
export function createNotificationsFunction(
  config: Config,
  logger: Logger,
  metrics?: BusinessMetrics,
  // The bench passes clients that record the requests instead of sending them.
  clients?: { ses: SESClient; sns: SNSClient; documentClient: DynamoDBDocumentClient },
) {
  const options = { region: config.region, endpoint: config.awsEndpointUrl };
  const { ses, sns, documentClient } = clients ?? {
    ...createNotificationClients(options),
    documentClient: createDocumentClient(options),
  };
  const notificationLog = createNotificationLog({
    documentClient,
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
