import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { createEmfBusinessMetrics } from "../emf-business-metrics";
import { processorSubscription } from "./processor-subscription";

// Built once per cold start: a bad setting fails here, naming the variable.
const logger = new Logger({ serviceName: "payment3-processor" });
const config = loadConfig();

/** Lambda entry point: target of the rule that routes WalletPaymentConfirmed. */
export const handler = processorSubscription.create(
  config,
  logger,
  createEmfBusinessMetrics({ stage: config.stage, subscriptionName: processorSubscription.name }),
);
