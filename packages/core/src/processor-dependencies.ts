import { createAwsClients, type AwsClients } from "./aws/aws-clients";
import { createEventBridgePublisher } from "./bus/event-publisher";
import type { Config } from "./config/config";
import { createLambdaCostCalculator } from "./cost/cost-calculator";
import type { Logger } from "./logger";
import { createOrderRepository } from "./order/order-repository";
import type { ProcessorDependencies } from "./payment/process-wallet-payment";

/** Wires the processor's real adapters from the config: the same code on AWS and locally. */
export function createProcessorDependencies(
  config: Config,
  logger?: Logger,
  clients: AwsClients = createAwsClients({ region: config.region, endpoint: config.awsEndpointUrl }),
): ProcessorDependencies {
  return {
    orders: createOrderRepository({ documentClient: clients.documentClient, tableName: config.orderTableName }),
    costCalculator: createLambdaCostCalculator({ lambda: clients.lambda, functionName: config.calculateCostFunction }),
    publisher: createEventBridgePublisher({ client: clients.eventBridge, sizeLimitBytes: config.eventSizeLimitBytes }),
    eventBusName: config.eventBusName,
    eventSizeLimitBytes: config.eventSizeLimitBytes,
    ...(logger ? { logger } : {}),
  };
}
