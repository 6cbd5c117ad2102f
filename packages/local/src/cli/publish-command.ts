import { readFileSync } from "node:fs";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed, type PublishedConfirmation } from "@payment3/core";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";

export interface PublishOptions {
  readonly file?: string | undefined;
  readonly orderId?: string | undefined;
  readonly paymentId?: string | undefined;
  readonly success?: string | undefined;
  readonly amount?: string | undefined;
  readonly channel?: string | undefined;
  readonly confirmedAt?: string | undefined;
}

/** Flags become the confirmation's fields; `--file` reads the JSON a callback would send (aliases accepted). */
export function confirmationInput(options: PublishOptions): Record<string, unknown> | string {
  if (options.file) {
    try {
      return readFileSync(options.file, "utf8");
    } catch (error) {
      throw new CliError(`cannot read --file ${options.file}: ${(error as Error).message}`);
    }
  }
  if (options.orderId === undefined && options.paymentId === undefined) {
    throw new CliError("give the confirmation with --order-id, --payment-id, --success, --amount [--channel], or --file <confirmation.json>", 2);
  }
  const success = options.success === undefined ? undefined : options.success === "true" ? true : options.success === "false" ? false : options.success;
  const amount = options.amount === undefined ? undefined : Number.isNaN(Number(options.amount)) ? options.amount : Number(options.amount);
  return {
    ...(options.orderId !== undefined ? { orderId: options.orderId } : {}),
    ...(options.paymentId !== undefined ? { paymentId: options.paymentId } : {}),
    ...(success !== undefined ? { success } : {}),
    ...(amount !== undefined ? { amount } : {}),
    ...(options.channel !== undefined ? { channel: options.channel } : {}),
    ...(options.confirmedAt !== undefined ? { confirmedAt: options.confirmedAt } : {}),
  };
}

/**
 * `payment3 publish`: a WalletPaymentConfirmed through the same typed publisher the callbacks
 * use, so this is also the reference for a callback that publishes.
 */
export async function publishCommand(context: CliContext, options: PublishOptions): Promise<PublishedConfirmation> {
  const { config } = context;
  const { eventBridge } = createAwsClients({ region: config.region, endpoint: context.endpoint });
  const publisher = createEventBridgePublisher({ client: eventBridge, sizeLimitBytes: config.eventSizeLimitBytes });
  const published = await publishWalletPaymentConfirmed(confirmationInput(options), { publisher, eventBusName: config.eventBusName, eventSizeLimitBytes: config.eventSizeLimitBytes });
  if (context.json) context.out(JSON.stringify({ ...published, eventBusName: config.eventBusName }));
  else context.out(`published WalletPaymentConfirmed ${published.eventId} (order ${published.orderId}, payment ${published.paymentId}, source ${published.source}) to ${config.eventBusName}`);
  return published;
}
