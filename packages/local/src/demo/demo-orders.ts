/**
 * Orders the local runtime seeds, shaped as the shared order table holds them. 492500005643 is
 * the order of the example the old function documents (300 THB); 492500005647 was paid by the
 * QR flow, which keeps its header at `payment` as every payment flow does; ORD-77 has an id
 * that is not digits, as other flows may write. Totals follow the calculate-cost stand-in:
 * items + shipping − discounts.
 */
export const DEMO_ORDERS: readonly Record<string, unknown>[] = [
  {
    orderId: "492500005643",
    customer: { name: "Somchai Jaidee", email: "somchai@example.com", phone: "+66812345678", locale: "th" },
    items: [
      { sku: "TEA-001", name: "Thai tea", quantity: 2, unitPrice: 120 },
      { sku: "MUG-002", name: "Mug", quantity: 1, unitPrice: 90 },
    ],
    shipping: 20,
    discounts: [{ code: "WELCOME50", amount: 50 }],
  },
  {
    orderId: "492500005644",
    customer: { name: "Jane Doe", email: "jane@example.com", locale: "en" },
    items: [{ sku: "BAG-010", name: "Canvas bag", quantity: 1, unitPrice: 450 }],
    shipping: 40,
  },
  {
    orderId: "492500005645",
    customer: { name: "Malee Suksan", email: "malee@example.com", locale: "th" },
    items: [{ sku: "RICE-5KG", name: "Jasmine rice 5 kg", quantity: 2, unitPrice: 210 }],
    shipping: 0,
  },
  {
    orderId: "492500005646",
    customer: { name: "Arthit Boonmee", locale: "th" },
    items: [{ sku: "FAN-16", name: "Desk fan", quantity: 1, unitPrice: 890 }],
    shipping: 60,
    discounts: [{ code: "FAN100", amount: 100 }],
  },
  {
    orderId: "492500005647",
    customer: { name: "Niran Chaiyo", email: "niran@example.com", locale: "th" },
    items: [{ sku: "KETTLE-1", name: "Electric kettle", quantity: 1, unitPrice: 650 }],
    shipping: 40,
    basketName: "492500005647",
    orderDate: 1795940000,
    payment: { paymentId: "qr_20261129_0042", isPaid: true, paymentMethod: "qr", totalPaid: 690 },
  },
  {
    orderId: "ORD-77",
    customer: { name: "Pim Rattana", email: "pim@example.com", locale: "en" },
    items: [{ sku: "NOTE-A5", name: "A5 notebook", quantity: 3, unitPrice: 60 }],
    shipping: 30,
  },
];

/** The confirmations the demo publishes, each showing one path through the processor. */
export const DEMO_CONFIRMATIONS: readonly { readonly story: string; readonly input: Record<string, unknown> }[] = [
  {
    story: "paid (the documented example)",
    input: { orderId: "492500005643", success: true, paymentId: "pay_wallet_abc123", amount: 300.0 },
  },
  {
    story: "declined by the bank app",
    input: {
      order_id: "492500005644",
      payment_id: "pay_bank_decl01",
      success: false,
      amount: 490,
      channel: "bank-app",
    },
  },
  {
    story: "duplicate delivery of the first",
    input: { orderId: "492500005643", success: true, paymentId: "pay_wallet_abc123", amount: 300.0 },
  },
  {
    story: "double payment (paid twice)",
    input: { orderId: "492500005643", success: true, paymentId: "pay_wallet_second", amount: 300.0 },
  },
  {
    story: "underpayment",
    input: { orderId: "492500005645", success: true, paymentId: "pay_wallet_short", amount: 400 },
  },
  {
    story: "paid by the bank app, with an overpayment",
    input: { orderId: "492500005646", success: true, paymentId: "pay_bank_ok01", amount: 900, channel: "bank-app" },
  },
  {
    story: "paid earlier by the QR flow",
    input: { orderId: "492500005647", success: true, paymentId: "pay_wallet_late", amount: 690 },
  },
  {
    story: "no amount reported (legacy default 0)",
    input: { order_id: "ORD-77", success: true, payment_id: "pay_wallet_noamt" },
  },
  {
    story: "unknown order",
    input: { orderId: "999000000001", success: true, paymentId: "pay_wallet_lost", amount: 10 },
  },
];
