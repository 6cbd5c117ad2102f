import type { Channel } from "@payment3/events";
import { createSeededRandom, randomInteger, type Random } from "../faults/index";

/** What happens to one order in a run. */
export type OrderScenario =
  | "paid"
  | "overpaid"
  | "declined"
  | "underpaid"
  | "unknown-order"
  | "double-payment"
  | "declined-then-paid"
  | "underpaid-then-paid"
  | "paid-by-another-flow"
  | "amount-not-reported";

/**
 * Share of orders per scenario (sums to 1). Double payments are 1% of orders. Orders another
 * payment flow (QR) already paid, and confirmations without an amount (the legacy default 0),
 * come from the order table and the callbacks as other systems write them.
 */
const SCENARIO_WEIGHTS: Readonly<Record<OrderScenario, number>> = {
  paid: 0.66,
  overpaid: 0.05,
  declined: 0.1,
  underpaid: 0.06,
  "unknown-order": 0.02,
  "double-payment": 0.01,
  "declined-then-paid": 0.03,
  "underpaid-then-paid": 0.03,
  "paid-by-another-flow": 0.02,
  "amount-not-reported": 0.02,
};

/** When the QR flow paid the orders it paid (Unix seconds), as that flow writes it. */
const OTHER_FLOW_PAID_DATE = 1_795_940_000;

/** Share of deliveries that get a later duplicate, and a concurrent one (same wave). */
const DUPLICATE_SHARE = 0.1;
const CONCURRENT_DUPLICATE_SHARE = 0.05;
const NO_EMAIL_SHARE = 0.05;

/** One distinct confirmation (a payment the provider reports). */
export interface PlannedPayment {
  readonly paymentId: string;
  readonly success: boolean;
  readonly amount: number;
  /** False for a callback that sends no amount: the confirmation goes out without one. */
  readonly amountReported: boolean;
  readonly channel: Channel;
}

export interface PlannedOrder {
  readonly orderId: string;
  readonly scenario: OrderScenario;
  /** The order-table item to seed; absent for an unknown order. */
  readonly item?: Record<string, unknown>;
  readonly grandTotal: number;
  /** The customer's address; absent when the order has none (an SNS message but no email). */
  readonly email?: string;
  readonly phone: string;
  /** In the order they are first delivered. */
  readonly payments: readonly PlannedPayment[];
}

type DeliveryKind = "first" | "duplicate" | "concurrent-duplicate";

/** One PutEvents of a confirmation by a callback. */
export interface Delivery {
  readonly orderId: string;
  readonly payment: PlannedPayment;
  readonly kind: DeliveryKind;
}

export interface ScenarioPlan {
  readonly seed: number;
  readonly orders: readonly PlannedOrder[];
  /** Deliveries per wave, shuffled; waves are published one after the other. */
  readonly waves: readonly (readonly Delivery[])[];
  readonly counts: ScenarioCounts;
}

export interface ScenarioCounts {
  readonly orders: number;
  /** Distinct confirmations (K plus the second payments). */
  readonly confirmations: number;
  readonly deliveries: number;
  readonly duplicates: number;
  readonly concurrentDuplicates: number;
  readonly byScenario: Readonly<Record<OrderScenario, number>>;
}

export interface ScenarioOptions {
  readonly seed: number;
  /** K: orders, each with one first confirmation. */
  readonly orders: number;
  /** Orders whose first confirmation goes out in one wave. */
  readonly ordersPerWave: number;
  /** Prefix that makes order ids unique to a run, digits only. Default "7". */
  readonly orderIdPrefix?: string;
}

const UNIT_PRICES = [35, 49.5, 89, 120, 150.25, 299, 450, 1290] as const;
const ITEM_NAMES = [
  "Thai tea",
  "Mango sticky rice",
  "Mug",
  "Canvas bag",
  "Jasmine rice 5 kg",
  "Desk fan",
  "Notebook",
  "Umbrella",
] as const;

/**
 * The confirmations of a run, from a seed: K orders with a scenario each (paid, overpaid,
 * declined, underpaid, unknown order, double payment, declined or underpaid then paid, paid by
 * another flow, no amount reported), their
 * payments, and waves of deliveries with later duplicates (10%) and concurrent duplicates (5%,
 * same wave). A second payment goes out 0–3 waves after the first (0: concurrently).
 */
export function planScenario(options: ScenarioOptions): ScenarioPlan {
  const random = createSeededRandom(options.seed);
  const prefix = options.orderIdPrefix ?? "7";
  const orders: PlannedOrder[] = [];
  const waves: Delivery[][] = [];
  const byScenario = Object.fromEntries(Object.keys(SCENARIO_WEIGHTS).map((name) => [name, 0])) as Record<
    OrderScenario,
    number
  >;
  let duplicates = 0;
  let concurrentDuplicates = 0;
  let deliveries = 0;
  const deliver = (wave: number, delivery: Delivery) => {
    while (waves.length <= wave) waves.push([]);
    waves[wave]!.push(delivery);
    deliveries += 1;
  };
  const deliverWithDuplicates = (wave: number, orderId: string, payment: PlannedPayment) => {
    deliver(wave, { orderId, payment, kind: "first" });
    if (random() < DUPLICATE_SHARE) {
      deliver(wave + randomInteger(random, 1, 5), { orderId, payment, kind: "duplicate" });
      duplicates += 1;
    }
    if (random() < CONCURRENT_DUPLICATE_SHARE) {
      deliver(wave, { orderId, payment, kind: "concurrent-duplicate" });
      concurrentDuplicates += 1;
    }
  };

  for (let index = 0; index < options.orders; index++) {
    const orderId = `${prefix}${String(index).padStart(9, "0")}`;
    const scenario = pickScenario(random);
    byScenario[scenario] += 1;
    const order = buildOrder(orderId, scenario, random);
    orders.push(order);
    const wave = Math.floor(index / options.ordersPerWave);
    const [first, second] = order.payments;
    deliverWithDuplicates(wave, orderId, first!);
    if (second) deliverWithDuplicates(wave + randomInteger(random, 0, 3), orderId, second);
  }
  for (const wave of waves) shuffle(wave, random);
  const confirmations = orders.reduce((sum, order) => sum + order.payments.length, 0);
  return {
    seed: options.seed,
    orders,
    waves,
    counts: { orders: orders.length, confirmations, deliveries, duplicates, concurrentDuplicates, byScenario },
  };
}

function buildOrder(orderId: string, scenario: OrderScenario, random: Random): PlannedOrder {
  const items = Array.from({ length: randomInteger(random, 1, 3) }, (_, index) => {
    const pick = randomInteger(random, 0, UNIT_PRICES.length - 1);
    return {
      sku: `SKU-${pick}-${index}`,
      name: ITEM_NAMES[pick]!,
      quantity: randomInteger(random, 1, 3),
      unitPrice: UNIT_PRICES[pick]!,
    };
  });
  const shipping = random() < 0.5 ? 0 : 40;
  // The calculate-cost stand-in's arithmetic: items + shipping, to the satang.
  const grandTotal =
    Math.round((items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0) + shipping) * 100) / 100;
  const email = random() < NO_EMAIL_SHARE ? undefined : `buyer.${orderId}@example.com`;
  const phone = `+6681${orderId.slice(-7)}`;
  const locale = random() < 0.3 ? "en" : "th";
  const channel = (): Channel => (random() < 0.7 ? "wallet" : "bank-app");
  const short = () =>
    Math.round((grandTotal - Math.max(1, Math.min(grandTotal / 2, randomInteger(random, 1, 50)))) * 100) / 100;
  const pay = (suffix: string, success: boolean, amount: number): PlannedPayment => ({
    paymentId: `pay_${orderId}_${suffix}`,
    success,
    amount,
    amountReported: true,
    channel: channel(),
  });
  const payments: Record<OrderScenario, () => PlannedPayment[]> = {
    paid: () => [pay("a", true, grandTotal)],
    overpaid: () => [pay("a", true, grandTotal + randomInteger(random, 1, 100))],
    declined: () => [pay("a", false, grandTotal)],
    underpaid: () => [pay("a", true, short())],
    "unknown-order": () => [pay("a", true, grandTotal)],
    "double-payment": () => [pay("a", true, grandTotal), pay("b", true, grandTotal)],
    "declined-then-paid": () => [pay("a", false, grandTotal), pay("b", true, grandTotal)],
    "underpaid-then-paid": () => [pay("a", true, short()), pay("b", true, grandTotal)],
    "paid-by-another-flow": () => [pay("a", true, grandTotal)],
    "amount-not-reported": () => [{ ...pay("a", true, 0), amountReported: false }],
  };
  // The header the QR flow left at `payment`, in its own shape: it must come out of the run untouched.
  const otherFlowPayment = {
    paymentId: `qr_${orderId}`,
    isPaid: true,
    paymentMethod: "qr",
    totalPaid: grandTotal,
    paidDate: OTHER_FLOW_PAID_DATE,
  };
  const item =
    scenario === "unknown-order"
      ? undefined
      : {
          orderId,
          customer: { name: `Customer ${orderId}`, phone, locale, ...(email ? { email } : {}) },
          items,
          shipping,
          ...(scenario === "paid-by-another-flow" ? { payment: otherFlowPayment } : {}),
        };
  return {
    orderId,
    scenario,
    ...(item ? { item } : {}),
    grandTotal,
    ...(email ? { email } : {}),
    phone,
    payments: payments[scenario](),
  };
}

function pickScenario(random: Random): OrderScenario {
  let draw = random();
  for (const [scenario, weight] of Object.entries(SCENARIO_WEIGHTS) as [OrderScenario, number][]) {
    if (draw < weight) return scenario;
    draw -= weight;
  }
  return "paid";
}

function shuffle<T>(items: T[], random: Random): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
}
