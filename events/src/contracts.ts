import type { EventContract } from "./event-contract";
import { OrderPaidContract } from "./order-paid";
import { OrderPaymentFailedContract } from "./order-payment-failed";
import { WalletPaymentConfirmedContract } from "./wallet-payment-confirmed";

/** Every event this system publishes or consumes, by detail-type. */
export const EVENT_CONTRACTS = {
  WalletPaymentConfirmed: WalletPaymentConfirmedContract,
  OrderPaid: OrderPaidContract,
  OrderPaymentFailed: OrderPaymentFailedContract,
  // biome-ignore lint/suspicious/noExplicitAny: a contract of any detail type; EventContract<unknown> does not accept the concrete ones (its parse is invariant)
} as const satisfies Record<string, EventContract<never> | EventContract<any>>;

export type EventName = keyof typeof EVENT_CONTRACTS;
