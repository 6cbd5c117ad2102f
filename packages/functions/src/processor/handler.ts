import { Logger } from "@aws-lambda-powertools/logger";
import { createProcessorDependencies, loadConfig } from "@payment3/core";
import { createProcessorHandler } from "./processor-handler";

// Read once per cold start: a bad setting fails here, naming the variable.
const logger = new Logger({ serviceName: "payment3-processor" });
const dependencies = createProcessorDependencies(loadConfig(), logger);

/** Lambda entry point: target of the rule that routes WalletPaymentConfirmed. */
export const handler = createProcessorHandler(() => dependencies, logger);
