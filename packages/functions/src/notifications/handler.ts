import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { notificationsSubscription } from "./notifications-subscription";

const logger = new Logger({ serviceName: "payment3-notifications" });

/** Lambda entry point: target of the notifications rule. */
export const handler = notificationsSubscription.create(loadConfig(), logger);
