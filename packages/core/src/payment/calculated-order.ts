/**
 * Unix seconds rounded to the nearest second as Python's `round` does it (halves to the even
 * second), which is how the legacy function dated a recalculated order:
 * `round(datetime.now().timestamp())`. Not a floor: 10.6 s is 11.
 */
export function roundedUnixSeconds(at: Date): number {
  const millis = at.getTime();
  const seconds = Math.floor(millis / 1000);
  const remainder = millis - seconds * 1000;
  if (remainder > 500) return seconds + 1;
  if (remainder < 500) return seconds;
  return seconds % 2 === 0 ? seconds : seconds + 1;
}

/**
 * calculate-cost's result as the legacy function used it: on the returned body (not on the
 * request) `basketName` is the order id as a string and `orderDate` is now in rounded Unix
 * seconds, whether or not calculate-cost returned them. The order id is ours: calculate-cost
 * may leave it out or echo it as a number.
 */
export function calculatedOrderFrom(
  body: Record<string, unknown>,
  orderId: string,
  now: Date,
): Record<string, unknown> & { orderId: string } {
  return { ...body, orderId, basketName: String(orderId), orderDate: roundedUnixSeconds(now) };
}
