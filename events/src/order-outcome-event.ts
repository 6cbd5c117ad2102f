import { ContractValidationError } from "./contract-validation-error";
import { parseEnvelopeFields, type EventBridgeEnvelope } from "./envelope";
import { parseEvent } from "./event-contract";
import { OrderPaidContract, type OrderPaid } from "./order-paid";
import { OrderPaymentFailedContract, type OrderPaymentFailed } from "./order-payment-failed";

/** An outcome of the processor, as subscribers receive it. */
export type OrderOutcomeEvent =
  | (EventBridgeEnvelope<OrderPaid> & { readonly "detail-type": "OrderPaid" })
  | (EventBridgeEnvelope<OrderPaymentFailed> & { readonly "detail-type": "OrderPaymentFailed" });

/**
 * Parses an OrderPaid or OrderPaymentFailed event with its contract, envelope included.
 * Anything else is a ContractValidationError naming the field.
 */
export function parseOrderOutcomeEvent(raw: unknown): OrderOutcomeEvent {
  const envelope = parseEnvelopeFields(raw);
  switch (envelope["detail-type"]) {
    case OrderPaidContract.detailType:
      return parseEvent(OrderPaidContract, raw) as OrderOutcomeEvent;
    case OrderPaymentFailedContract.detailType:
      return parseEvent(OrderPaymentFailedContract, raw) as OrderOutcomeEvent;
    default:
      throw new ContractValidationError(`event ${envelope.id}`, [
        {
          field: "detail-type",
          message: `must be OrderPaid or OrderPaymentFailed, got ${JSON.stringify(envelope["detail-type"])}`,
        },
      ]);
  }
}
