import { createAwsClients, type AwsClients } from "../aws/aws-clients";
import { createEventBridgePublisher } from "../bus/event-publisher";
import type { Config } from "../config/config";
import type { Logger } from "../logger";
import type { LegacyInvokeDependencies } from "./legacy-invoke";

/**
 * PutEvents attempts inside one invocation of the legacy adapter. The function has no async
 * retries (an invalid payload must go straight to the on-failure queue), so a throttled or
 * failing PutEvents is retried here, with backoff: about 6 s in all, well within its timeout.
 */
export const LEGACY_INVOKE_PUBLISH_ATTEMPTS = 6;
const LEGACY_INVOKE_PUBLISH_BASE_DELAY_MS = 200;

/** Wires the legacy adapter's real publisher from the config: the same code on AWS and locally. */
export function createLegacyInvokeDependencies(
  config: Config,
  logger?: Logger,
  clients: Pick<AwsClients, "eventBridge"> = createAwsClients({
    region: config.region,
    endpoint: config.awsEndpointUrl,
  }),
): LegacyInvokeDependencies {
  return {
    publisher: createEventBridgePublisher({
      client: clients.eventBridge,
      sizeLimitBytes: config.eventSizeLimitBytes,
      maxAttempts: LEGACY_INVOKE_PUBLISH_ATTEMPTS,
      baseDelayMs: LEGACY_INVOKE_PUBLISH_BASE_DELAY_MS,
    }),
    eventBusName: config.eventBusName,
    eventSizeLimitBytes: config.eventSizeLimitBytes,
    ...(logger ? { logger } : {}),
  };
}
