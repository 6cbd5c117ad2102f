import * as z from "zod/mini";
import { amountThb, booleanField, channelField, isoDateTime, nonEmptyString } from "./field-rules";

/**
 * The payment header the processor writes on the order. `paymentMethod` is always "wallet"
 * for this flow; `totalPaid` is what the provider confirmed.
 */
export const PaymentHeaderSchema = z.object({
  paymentId: nonEmptyString(),
  isPaid: booleanField(),
  paymentMethod: z.literal("wallet"),
  totalPaid: amountThb(),
  /** When the order became paid; null for a declined payment. */
  paidAt: z.nullable(isoDateTime()),
  /** When this header was written; the outcome event's `occurredAt`, so a re-publish repeats it. */
  processedAt: isoDateTime(),
  channel: channelField(),
  /** THB paid above the recalculated grand total (0 when exact). */
  overpaidAmount: amountThb(),
});

export type PaymentHeader = z.infer<typeof PaymentHeaderSchema>;
