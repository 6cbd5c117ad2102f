/** The conditional write found the order already paid (by this payment or another). */
export class OrderAlreadyPaidError extends Error {
  override readonly name = "OrderAlreadyPaidError";
  readonly code = "ORDER_ALREADY_PAID";
  constructor(readonly orderId: string, options?: { cause?: unknown }) {
    super(`order ${orderId} is already paid (or was deleted) since it was read; re-read it and decide again`, options);
  }
}

/** The order table could not be read or written. `retryable` says whether a later attempt can succeed. */
export class OrderStoreError extends Error {
  override readonly name = "OrderStoreError";
  readonly code = "ORDER_STORE_UNAVAILABLE";
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
