import { createAwsClients, type AwsClients } from "./aws/aws-clients.ts";
import { createEventBridgePublisher } from "./bus/event-publisher.ts";
import type { Config } from "./config/config.ts";
import { createLambdaCostCalculator } from "./cost/cost-calculator.ts";
import type { Logger } from "./logger.ts";
import { createOrderRepository } from "./order/order-repository.ts";
import type { ProcessorDependencies } from "./payment/process-wallet-payment.ts";

/** Wires the processor's real adapters from the config: the same code on AWS and locally. */
export function createProcessorDependencies(config: Config, logger?: Logger, clients: AwsClients = createAwsClients({ region: config.region, endpoint: config.awsEndpointUrl })): ProcessorDependencies {
  return {
    orders: createOrderRepository({ documentClient: clients.documentClient, tableName: config.orderTableName }),
    costCalculator: createLambdaCostCalculator({ lambda: clients.lambda, functionName: config.calculateCostFunction }),
    publisher: createEventBridgePublisher({ client: clients.eventBridge, sizeLimitBytes: config.eventSizeLimitBytes }),
    eventBusName: config.eventBusName,
    eventSizeLimitBytes: config.eventSizeLimitBytes,
    ...(logger ? { logger } : {}),
  };
}
