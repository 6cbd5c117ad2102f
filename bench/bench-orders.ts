import { calculateCostStandIn } from "@payment3/core";
import { faults } from "@payment3/local";

/** A confirmation the callbacks would publish, and why it is in the mix. */
export interface PlannedConfirmation {
  readonly kind: "paid" | "declined" | "duplicate";
  readonly input: {
    orderId: string;
    paymentId: string;
    success: boolean;
    amount: number;
    channel: "wallet" | "bank-app";
  };
}

export interface BenchWorkload {
  readonly orders: readonly Record<string, unknown>[];
  readonly confirmations: readonly PlannedConfirmation[];
}

const PRODUCTS = [
  { sku: "TEA-001", name: "Thai tea", unitPrice: 120 },
  { sku: "MUG-002", name: "Mug", unitPrice: 90 },
  { sku: "BAG-010", name: "Canvas bag", unitPrice: 450 },
  { sku: "RICE-5KG", name: "Jasmine rice 5 kg", unitPrice: 210 },
  { sku: "FAN-16", name: "Desk fan", unitPrice: 890 },
  { sku: "SOAP-3", name: "Herbal soap, pack of 3", unitPrice: 75.5 },
] as const;
const NAMES = ["Somchai Jaidee", "Jane Doe", "Malee Suksan", "Arthit Boonmee", "Nok Chaiyaporn", "Lee Wei"] as const;

/**
 * Orders shaped like the demo orders (customer, 1–4 items, shipping, sometimes a discount; one in
 * ten without an email address), with ids from `firstOrderId` on.
 */
export function buildOrders(count: number, firstOrderId: number, seed = 42): Record<string, unknown>[] {
  // Seeded, so every run prices the same orders.
  const random = faults.createSeededRandom(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: count }, (_, index) => {
    const name = pick(NAMES);
    const items = Array.from({ length: 1 + Math.floor(random() * 4) }, () => ({
      ...pick(PRODUCTS),
      quantity: 1 + Math.floor(random() * 3),
    }));
    return {
      orderId: String(firstOrderId + index),
      customer: {
        name,
        ...(index % 10 === 7 ? {} : { email: `${name.split(" ")[0]!.toLowerCase()}.${index}@example.com` }),
        locale: random() < 0.6 ? "th" : "en",
      },
      items,
      shipping: pick([0, 20, 40, 60]),
      ...(random() < 0.3 ? { discounts: [{ code: "WELCOME50", amount: 50 }] } : {}),
    };
  });
}

/** The grand total the calculate-cost stand-in will answer for an order. */
export function grandTotalOf(order: Record<string, unknown>): number {
  const answer = calculateCostStandIn(order);
  return (JSON.parse(answer.body) as { grandTotal: number }).grandTotal;
}

/**
 * `count` confirmations over as many orders as needed: one in twenty declined by the bank, one
 * in twenty a redelivery of a paid confirmation published 37 places earlier (EventBridge
 * delivers at least once), the rest paid in full, every third through the bank app.
 */
export function buildWorkload(count: number, firstOrderId: number): BenchWorkload {
  const isDuplicate = (index: number) => index % 20 === 19 && index >= 40;
  const orders = buildOrders(
    Array.from({ length: count }, (_, index) => index).filter((index) => !isDuplicate(index)).length,
    firstOrderId,
  );
  const confirmations: PlannedConfirmation[] = [];
  let nextOrder = 0;
  for (let index = 0; index < count; index++) {
    if (isDuplicate(index)) {
      // index - 37 ≡ 2 (mod 20): a paid confirmation, never a duplicate or a decline.
      confirmations.push({ kind: "duplicate", input: { ...confirmations[index - 37]!.input } });
      continue;
    }
    const order = orders[nextOrder++]!;
    const declined = index % 20 === 9;
    confirmations.push({
      kind: declined ? "declined" : "paid",
      input: {
        orderId: String(order.orderId),
        paymentId: `pay_bench_${index}`,
        success: !declined,
        amount: grandTotalOf(order),
        channel: index % 3 === 0 ? "bank-app" : "wallet",
      },
    });
  }
  return { orders, confirmations };
}
