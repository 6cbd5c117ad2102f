import type { Logger } from "@aws-lambda-powertools/logger";
import { sweepUncertainEmails, type UncertainEmailSweepDependencies } from "@payment3/core";
import { lambdaHandler } from "../lambda-handler";

/**
 * Runs the uncertain-email sweep on each scheduled event: every email uncertain for longer than the window, with no
 * SES event of it, is sent once and recorded (`sweepUncertainEmails`). The scheduled event carries nothing the sweep
 * needs. Throws only when the email log's index cannot be read; a row that fails is left for the next sweep.
 */
export function createEmailSweepHandler(dependencies: UncertainEmailSweepDependencies, logger: Logger) {
  return lambdaHandler(
    { logger, failureMessage: "uncertain-email sweep failed; the next scheduled sweep tries again" },
    async () => sweepUncertainEmails({ ...dependencies, logger }),
  );
}
