import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { emailEventsSubscription } from "./email-events-subscription";

const logger = new Logger({ serviceName: "payment3-email-events" });
const config = loadConfig();

/** Lambda entry point: target of the email-events rule on the default bus. */
export const handler = emailEventsSubscription.create(
  config,
  logger,
  createEmfBusinessMetrics({ stage: config.stage, subscriptionName: emailEventsSubscription.name }),
);
