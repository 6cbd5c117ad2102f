import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { auditLogSubscription } from "./audit-log-subscription";

const logger = new Logger({ serviceName: "payment3-audit-log" });

/** Lambda entry point: target of the audit-log rule. */
export const handler = auditLogSubscription.create(loadConfig(), logger);
