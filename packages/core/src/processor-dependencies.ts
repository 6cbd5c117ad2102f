import { createAwsClients, type AwsClients } from "./aws/aws-clients";
import { createEventBridgePublisher } from "./bus/event-publisher";
import type { Config } from "./config/config";
import { createLambdaCostCalculator } from "./cost/cost-calculator";
import type { Logger } from "./logger";
import type { BusinessMetrics } from "./metrics/business-metrics";
import { createOrderRepository } from "./order/order-repository";
import type { ProcessorDependencies } from "./payment/process-wallet-payment";

export interface ProcessorWiring {
  readonly logger?: Logger | undefined;
  /** Receives the outcome counts and calculate-cost's latency and failures; without it nothing is counted. */
  readonly metrics?: BusinessMetrics | undefined;
  /** The SDK clients; by default built from the config's region and endpoint. */
  readonly clients?: AwsClients;
}

/** Wires the processor's real adapters from the config: the same code on AWS and locally. */
export function createProcessorDependencies(
  config: Config,
  {
    logger,
    metrics,
    clients = createAwsClients({ region: config.region, endpoint: config.awsEndpointUrl }),
  }: ProcessorWiring = {},
): ProcessorDependencies {
  return {
    orders: createOrderRepository({ documentClient: clients.documentClient, tableName: config.orderTableName }),
    costCalculator: createLambdaCostCalculator({
      lambda: clients.lambda,
      functionName: config.calculateCostFunction,
      ...(metrics ? { metrics } : {}),
    }),
    publisher: createEventBridgePublisher({ client: clients.eventBridge, sizeLimitBytes: config.eventSizeLimitBytes }),
    eventBusName: config.eventBusName,
    eventSizeLimitBytes: config.eventSizeLimitBytes,
    ...(logger ? { logger } : {}),
    ...(metrics ? { metrics } : {}),
  };
}
