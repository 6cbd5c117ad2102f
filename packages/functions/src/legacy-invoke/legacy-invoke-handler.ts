import type { Logger } from "@aws-lambda-powertools/logger";
import { acceptLegacyInvocation, type LegacyInvokeAnswer, type LegacyInvokeDependencies } from "@payment3/core";
import { lambdaHandler } from "../lambda-handler";

/**
 * The legacy invoke adapter's Lambda handler, built from its dependencies so the local runtime
 * runs the same handler in-process. A thrown error fails the invocation: with no async retries
 * configured, the payload goes straight to the function's on-failure queue.
 */
export function createLegacyInvokeHandler(dependencies: () => LegacyInvokeDependencies, logger: Logger) {
  return lambdaHandler(
    { logger, failureMessage: "legacy invocation not published; the payload goes to the on-failure queue" },
    async (event): Promise<LegacyInvokeAnswer> =>
      (await acceptLegacyInvocation(event, { ...dependencies(), logger })).answer,
  );
}
