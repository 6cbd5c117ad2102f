import { Logger } from "@aws-lambda-powertools/logger";
import { legacyInvokeResourceNames, loadConfig } from "@payment3/core";
import { legacyInvokeFunction } from "./legacy-invoke-function";

// Built once per cold start: a bad setting fails here, naming the variable.
const config = loadConfig();
const logger = new Logger({ serviceName: legacyInvokeResourceNames(config.stage).serviceName });

/** Lambda entry point of `payment3-process-paid-wallet-order-internal-<stage>`, invoked by the callbacks. */
export const handler = legacyInvokeFunction.create(config, logger);
