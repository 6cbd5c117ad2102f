import type { Logger } from "@aws-lambda-powertools/logger";
import {
  createDocumentClient,
  createSesClient,
  createSesMailSender,
  createUncertainEmailLog,
  type BusinessMetrics,
  type Config,
} from "@payment3/core";
import type { ScheduledFunction } from "../scheduled-function";
import { createEmailSweepHandler } from "./email-sweep-handler";

/**
 * The uncertain-email sweep, every 5 minutes: an email waits between its window and its window plus 5 minutes. No
 * retries: a failed sweep's rows are the next sweep's anyway.
 */
export const emailSweepFunction = {
  name: "email-sweep",
  description: "Sends, once, each uncertain customer email that no SES event proved sent within the window",
  scheduleExpression: "rate(5 minutes)",
  handler: "packages/functions/src/email-sweep/handler.handler",
  timeoutSeconds: 60,
  retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 300 },
  deadLetterRetentionDays: 1,
  access: [
    // Lists the rows awaiting proof (the sparse index), claims each and records how its send ended.
    { resource: "emailLogUncertainIndex", actions: ["dynamodb:Query"] },
    { resource: "emailLogTable", actions: ["dynamodb:UpdateItem"] },
    { resource: "senderIdentity", actions: ["ses:SendEmail"] },
    // The sweep's email names the stage's configuration set too, so its SES events settle the row like any other.
    { resource: "emailConfigurationSet", actions: ["ses:SendEmail"] },
  ],
  create(config: Config, logger: Logger, metrics?: BusinessMetrics, now?: () => Date) {
    const endpoint = config.awsEndpointUrl;
    return createEmailSweepHandler(
      {
        uncertainEmails: createUncertainEmailLog({
          documentClient: createDocumentClient({ region: config.region, endpoint }),
          tableName: config.emailLogTableName,
        }),
        mailSender: createSesMailSender({
          client: createSesClient({ region: config.region, endpoint }),
          senderEmail: config.senderEmail,
          configurationSetName: config.emailConfigurationSetName,
        }),
        windowMs: config.uncertainEmailWindowMinutes * 60_000,
        ...(now ? { now } : {}),
        ...(metrics ? { metrics } : {}),
      },
      logger,
    );
  },
} as const satisfies ScheduledFunction;
