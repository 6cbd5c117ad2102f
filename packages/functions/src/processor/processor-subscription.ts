import { BANK_APP_CALLBACK_SOURCE, WALLET_CALLBACK_SOURCE, WalletPaymentConfirmedContract } from "@payment3/events";

/**
 * The processor's place on the bus: which events its rule routes to it. Only the callback
 * sources can trigger a payment; a confirmation from any other source matches nothing.
 */
export const processorSubscription = {
  name: "processor",
  description: "Applies wallet payment confirmations to orders and publishes OrderPaid / OrderPaymentFailed",
  eventPattern: {
    source: [WALLET_CALLBACK_SOURCE, BANK_APP_CALLBACK_SOURCE],
    "detail-type": [WalletPaymentConfirmedContract.detailType],
  },
  /** The Lambda entry point, as SST names handlers. */
  handler: "packages/functions/src/processor/handler.handler",
} as const;
