import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { createNotificationsFunction } from "./notifications-function";

const logger = new Logger({ serviceName: "payment3-notifications" });

const config = loadConfig();

/** Lambda entry point: target of the notifications rule (the registry entry's `create`, without the entry itself). */
export const handler = createNotificationsFunction(
  config,
  logger,
  createEmfBusinessMetrics({ stage: config.stage, subscriptionName: "notifications" }),
);
