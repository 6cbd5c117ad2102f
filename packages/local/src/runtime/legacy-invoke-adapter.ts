import { PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import type { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, legacyInvokeResourceNames, type Config } from "@payment3/core";
import { legacyInvokeFunction } from "@payment3/functions";
import { LOCAL_ACCOUNT, type LocalFunction } from "@payment3/aws-local";
import type { LocalStack } from "../local-stack";

/** The ARN the local runtime gives the adapter's on-failure destination (the stacks' SQS queue, by name). */
export function legacyInvokeOnFailureDestination(config: Config): string {
  return `arn:aws:sqs:${config.region}:${LOCAL_ACCOUNT}:${legacyInvokeResourceNames(config.stage).onFailureQueueName}`;
}

/**
 * Serves the legacy invoke adapter under the legacy function's name, as the stacks deploy it
 * with `LEGACY_INVOKE_ADAPTER=on`: the same handler in-process, no async retries, and an
 * on-failure destination where a failed `Event` invocation is kept with its payload (the
 * operator's `payment3 dlq list` shows it).
 */
export async function registerLegacyInvokeAdapter(stack: LocalStack, config: Config, logger: Logger): Promise<void> {
  const names = legacyInvokeResourceNames(config.stage);
  stack.functions.set(
    names.functionName,
    legacyInvokeFunction.create(config, logger.createChild({ serviceName: names.serviceName })) as LocalFunction,
  );
  stack.functionInfo.set(names.functionName, {
    description: legacyInvokeFunction.description,
    tags: { [names.tag.key]: names.tag.value },
  });
  const { lambda } = createAwsClients({ region: config.region, endpoint: stack.url });
  await lambda.send(
    new PutFunctionEventInvokeConfigCommand({
      FunctionName: names.functionName,
      MaximumRetryAttempts: legacyInvokeFunction.maximumRetryAttempts,
      DestinationConfig: { OnFailure: { Destination: legacyInvokeOnFailureDestination(config) } },
    }),
  );
}
