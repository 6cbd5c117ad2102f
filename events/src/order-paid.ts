import * as z from "zod/mini";
import { parseWithSchema } from "./contract-validation-error";
import { detailAsObject, type EventContract } from "./event-contract";
import { outcomeFields, paidFields, PROCESSOR_SOURCE } from "./order-outcome";
import { PaymentHeaderSchema } from "./payment-header";

/**
 * The order as calculate-cost returned it and as it was saved. Shape is owned by the order
 * service, so only the key is checked.
 */
export const RecalculatedOrderSchema = z.looseObject({ orderId: z.string().check(z.minLength(1)) });
export type RecalculatedOrder = z.infer<typeof RecalculatedOrderSchema>;

/** An order was marked paid. */
export const OrderPaidSchema = z.object({
  ...outcomeFields,
  ...paidFields,
  paymentHeader: PaymentHeaderSchema,
  /** The recalculated order as saved (what the audit row stores). */
  order: RecalculatedOrderSchema,
  /**
   * True when the order was too large for one event: `order.items` was left out and
   * consumers that need it read the order from the order table.
   */
  orderTruncated: z.boolean(),
});

export type OrderPaid = z.infer<typeof OrderPaidSchema>;

export const OrderPaidContract: EventContract<OrderPaid> = {
  detailType: "OrderPaid",
  sources: [PROCESSOR_SOURCE],
  schemaVersion: 1,
  detailSchema: OrderPaidSchema,
  parseDetail(raw) {
    const what = "OrderPaid detail";
    return parseWithSchema(what, OrderPaidSchema, detailAsObject(what, raw));
  },
};
