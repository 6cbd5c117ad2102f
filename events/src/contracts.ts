import type { EventContract } from "./event-contract";
import { OrderPaidContract } from "./order-paid";
import { OrderPaymentFailedContract } from "./order-payment-failed";
import { WalletPaymentConfirmedContract } from "./wallet-payment-confirmed";

/** Every event this system publishes or consumes, by detail-type. */
export const EVENT_CONTRACTS = {
  WalletPaymentConfirmed: WalletPaymentConfirmedContract,
  OrderPaid: OrderPaidContract,
  OrderPaymentFailed: OrderPaymentFailedContract,
} as const satisfies Record<string, EventContract<never> | EventContract<any>>;

export type EventName = keyof typeof EVENT_CONTRACTS;
