/**
 * The conditional write found the order changed since it was read: paid by a payment, another
 * outcome already recorded for this payment, or the order deleted. Re-read it and decide again.
 */
export class OrderChangedError extends Error {
  override readonly name = "OrderChangedError";
  readonly code = "ORDER_CHANGED";
  constructor(
    readonly orderId: string,
    readonly paymentId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `order ${orderId} changed since it was read (paid, an outcome already recorded for payment ${paymentId}, or deleted); re-read it and decide again`,
      options,
    );
  }
}

/** The order table could not be read or written. `transient` says whether a later attempt can succeed. */
export class OrderStoreError extends Error {
  override readonly name = "OrderStoreError";
  readonly code = "ORDER_STORE_UNAVAILABLE";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
