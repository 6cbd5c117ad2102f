import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { notificationsSubscription } from "./notifications-subscription";

const logger = new Logger({ serviceName: "payment3-notifications" });

const config = loadConfig();

/** Lambda entry point: target of the notifications rule. */
export const handler = notificationsSubscription.create(
  config,
  logger,
  createEmfBusinessMetrics({ stage: config.stage, subscriptionName: notificationsSubscription.name }),
);
