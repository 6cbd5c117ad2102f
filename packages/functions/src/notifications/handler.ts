import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createPowertoolsBusinessMetrics } from "../powertools-business-metrics";
import { notificationsSubscription } from "./notifications-subscription";

const logger = new Logger({ serviceName: "payment3-notifications" });

const config = loadConfig();

/** Lambda entry point: target of the notifications rule. */
export const handler = notificationsSubscription.create(
  config,
  logger,
  createPowertoolsBusinessMetrics({ stage: config.stage, subscriptionName: notificationsSubscription.name }),
);
