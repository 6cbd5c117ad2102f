import type { Logger } from "@aws-lambda-powertools/logger";
import { createProcessorDependencies, type BusinessMetrics, type Config } from "@payment3/core";
import {
  BANK_APP_CALLBACK_SOURCE,
  PROCESSOR_SOURCE,
  WALLET_CALLBACK_SOURCE,
  WalletPaymentConfirmedContract,
} from "@payment3/events";
import type { Subscription } from "../subscription";
import { createProcessorHandler } from "./processor-handler";

/**
 * The processor's place on the bus. Only the callback sources can trigger a payment; a
 * confirmation from any other source matches nothing.
 */
export const processorSubscription = {
  name: "processor",
  description: "Applies wallet payment confirmations to orders and publishes OrderPaid / OrderPaymentFailed",
  eventPattern: {
    source: [WALLET_CALLBACK_SOURCE, BANK_APP_CALLBACK_SOURCE],
    "detail-type": [WalletPaymentConfirmedContract.detailType],
  },
  handler: "packages/functions/src/processor/handler.handler",
  // As the old function: calculate-cost can be slow.
  timeoutSeconds: 200,
  retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 6 * 3600 },
  deadLetterRetentionDays: 14,
  access: [
    { resource: "orderTable", actions: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
    { resource: "calculateCostFunction", actions: ["lambda:InvokeFunction"] },
    // The processor may only speak as itself: it can never forge a callback's confirmation.
    {
      resource: "eventBus",
      actions: ["events:PutEvents"],
      conditions: { StringEquals: { "events:source": PROCESSOR_SOURCE } },
    },
  ],
  create(config: Config, logger: Logger, metrics?: BusinessMetrics) {
    const dependencies = createProcessorDependencies(config, { logger, metrics });
    return createProcessorHandler(() => dependencies, logger);
  },
} as const satisfies Subscription;
