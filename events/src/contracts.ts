import type { EventContract } from "./event-contract.ts";
import { OrderPaidContract } from "./order-paid.ts";
import { OrderPaymentFailedContract } from "./order-payment-failed.ts";
import { WalletPaymentConfirmedContract } from "./wallet-payment-confirmed.ts";

/** Every event this system publishes or consumes, by detail-type. */
export const EVENT_CONTRACTS = {
  WalletPaymentConfirmed: WalletPaymentConfirmedContract,
  OrderPaid: OrderPaidContract,
  OrderPaymentFailed: OrderPaymentFailedContract,
} as const satisfies Record<string, EventContract<never> | EventContract<any>>;

export type EventName = keyof typeof EVENT_CONTRACTS;
