import * as z from "zod/mini";
import { amountThb, booleanField, channelField, isoDateTime, nonEmptyString } from "./field-rules";

/**
 * The payment header the processor writes at `order.payment`, where every payment flow of the
 * shared order table keeps it. The legacy fields (`paymentId`, `isPaid`, `paymentMethod`
 * "wallet", `totalPaid` = the confirmed amount) come first; the rest are this system's.
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
  /**
   * False when the callback reported no amount, so `totalPaid` is the legacy default 0 and not
   * what the provider captured. Absent on headers written before the flag existed (reported).
   */
  amountReported: z.optional(booleanField()),
});

export type PaymentHeader = z.infer<typeof PaymentHeaderSchema>;
