import {
  buildPutEventsEntry,
  CONFIRMATION_SOURCE_BY_CHANNEL,
  WalletPaymentConfirmedContract,
  type WalletPaymentConfirmedInput,
} from "@payment3/events";
import type { EventPublisher } from "./event-publisher";

export interface ConfirmationPublisherDependencies {
  readonly publisher: EventPublisher;
  readonly eventBusName: string;
  readonly eventSizeLimitBytes?: number;
}

export interface PublishedConfirmation {
  readonly eventId: string;
  readonly source: string;
  readonly orderId: string;
  readonly paymentId: string;
}

/**
 * The one way a callback reports a wallet payment. Accepts the documented legacy shape (a JSON
 * string or object, `order_id`/`payment_id`, numeric order id), validates it with the
 * contract (ContractValidationError names the field), publishes with the channel's source,
 * and returns the EventBridge event id. It never calls the processor.
 */
export async function publishWalletPaymentConfirmed(
  input: WalletPaymentConfirmedInput,
  deps: ConfirmationPublisherDependencies,
): Promise<PublishedConfirmation> {
  const detail = WalletPaymentConfirmedContract.parseDetail(input);
  const source = CONFIRMATION_SOURCE_BY_CHANNEL[detail.channel];
  const entry = buildPutEventsEntry(WalletPaymentConfirmedContract, detail, {
    eventBusName: deps.eventBusName,
    source,
    ...(deps.eventSizeLimitBytes ? { sizeLimitBytes: deps.eventSizeLimitBytes } : {}),
  });
  const [eventId] = await deps.publisher.publish([entry]);
  return { eventId: eventId!, source, orderId: detail.orderId, paymentId: detail.paymentId };
}
