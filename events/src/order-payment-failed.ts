import * as z from "zod/mini";
import { parseWithSchema } from "./contract-validation-error";
import { detailAsObject, type EventContract } from "./event-contract";
import { amountThb, booleanField, channelField, nonEmptyString } from "./field-rules";
import { outcomeFields, PROCESSOR_SOURCE } from "./order-outcome";
import { RecalculatedOrderSchema } from "./order-paid";

export const FAILURE_REASONS = [
  "PAYMENT_DECLINED",
  "ORDER_NOT_FOUND",
  "COST_CALCULATION_FAILED",
  "ORDER_STORE_UNAVAILABLE",
  "ALREADY_PAID",
  "AMOUNT_MISMATCH",
  "INVALID_EVENT",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A confirmation did not make its order paid. `retryable: true` means the platform will try again. */
export const OrderPaymentFailedSchema = z.object({
  ...outcomeFields,
  /** Null only for INVALID_EVENT when the confirmation had no usable value. */
  paymentId: z.nullable(nonEmptyString()),
  amount: z.nullable(amountThb()),
  channel: z.nullable(channelField()),
  reason: z.enum(FAILURE_REASONS),
  /** What happened, for people: names the field, the order, what to do. */
  message: nonEmptyString(),
  retryable: booleanField(),
  /**
   * Whether the provider captured money for this payment. With ALREADY_PAID and true, the
   * customer paid twice and the payment must be refunded.
   */
  paymentSucceeded: z.nullable(z.boolean()),
  /**
   * The order as stored (without items when too large), for failures the customer is told
   * about (PAYMENT_DECLINED): the notification needs the address, the items and the total.
   */
  order: z.optional(RecalculatedOrderSchema),
});

export type OrderPaymentFailed = z.infer<typeof OrderPaymentFailedSchema>;

export const OrderPaymentFailedContract: EventContract<OrderPaymentFailed> = {
  detailType: "OrderPaymentFailed",
  sources: [PROCESSOR_SOURCE],
  schemaVersion: 1,
  detailSchema: OrderPaymentFailedSchema,
  parseDetail(raw) {
    const what = "OrderPaymentFailed detail";
    return parseWithSchema(what, OrderPaymentFailedSchema, detailAsObject(what, raw));
  },
};
