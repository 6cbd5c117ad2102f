/**
 * A documented stand-in for the calculate-cost function (calculate-cost-3-master), which
 * belongs to another team. It takes the order as stored and answers `{statusCode, body}`
 * where `body` is the priced order as a JSON string. Like the real one, the body holds what
 * it computes and nothing it does not: no `orderId`, `basketName`, `orderDate`, customer or
 * any other field of the request, so a caller that relies on an echo fails here first.
 *
 * - `items`      = each item with its `lineTotal` (quantity × unitPrice)
 * - `subtotal`   = sum of items[].quantity × items[].unitPrice
 * - `shipping`   = the order's shipping fee (0 when absent)
 * - `discount`   = sum of discounts[].amount (or the order's `discount` number)
 * - `grandTotal` = max(0, subtotal + shipping − discount), rounded to the satang
 *
 * An order whose items are missing or malformed gets `statusCode` 400 with a message, as the
 * real function rejects a basket it cannot price.
 */
export function calculateCostStandIn(payload: unknown): { statusCode: number; body: string } {
  const order = (typeof payload === "object" && payload !== null ? payload : {}) as Record<string, unknown>;
  const reject = (message: string) => ({ statusCode: 400, body: JSON.stringify({ message }) });
  if (!Array.isArray(order.items)) return reject(`order ${String(order.orderId)} has no items array to price`);
  let subtotal = 0;
  const pricedItems: Record<string, unknown>[] = [];
  for (const [index, item] of order.items.entries()) {
    const { quantity, unitPrice } = (item ?? {}) as { quantity?: unknown; unitPrice?: unknown };
    if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity <= 0) {
      return reject(`items[${index}].quantity must be a whole number > 0, got ${JSON.stringify(quantity)}`);
    }
    if (typeof unitPrice !== "number" || !Number.isFinite(unitPrice) || unitPrice < 0) {
      return reject(`items[${index}].unitPrice must be a number >= 0, got ${JSON.stringify(unitPrice)}`);
    }
    subtotal += quantity * unitPrice;
    pricedItems.push({ ...(item as Record<string, unknown>), lineTotal: Math.round(quantity * unitPrice * 100) / 100 });
  }
  const shipping = typeof order.shipping === "number" ? order.shipping : 0;
  const discount = Array.isArray(order.discounts)
    ? order.discounts.reduce(
        (sum: number, d) =>
          sum + (typeof (d as { amount?: unknown })?.amount === "number" ? (d as { amount: number }).amount : 0),
        0,
      )
    : typeof order.discount === "number"
      ? order.discount
      : 0;
  const satang = (value: number) => Math.round(value * 100) / 100;
  const priced = {
    items: pricedItems,
    subtotal: satang(subtotal),
    shipping: satang(shipping),
    discount: satang(discount),
    grandTotal: satang(Math.max(0, subtotal + shipping - discount)),
  };
  return { statusCode: 200, body: JSON.stringify(priced) };
}
