import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { emailSweepFunction } from "./email-sweep-function";

const logger = new Logger({ serviceName: "payment3-email-sweep" });
const config = loadConfig();

/** Lambda entry point: target of the email-sweep schedule on the default bus. */
export const handler = emailSweepFunction.create(
  config,
  logger,
  createEmfBusinessMetrics({ stage: config.stage, subscriptionName: emailSweepFunction.name }),
);
