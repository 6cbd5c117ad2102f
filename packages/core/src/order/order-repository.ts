import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { PaymentHeaderSchema, type Channel, type FailureReason, type PaymentHeader } from "@payment3/events";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { OrderChangedError, OrderStoreError } from "./order-errors";

/**
 * A payment's final outcome as kept on its order, so a redelivery of the same payment publishes
 * the same outcome again even after the order has moved on (e.g. a decline, then another payment
 * paid the order: the decline stays PAYMENT_DECLINED, it does not become ALREADY_PAID).
 */
export interface PaymentOutcomeRecord {
  readonly outcome: "OrderPaid" | FailureReason;
  readonly idempotencyKey: string;
  readonly occurredAt: string;
  readonly amount: number;
  readonly channel: Channel;
  readonly paymentSucceeded: boolean;
  /** The failure's message; absent for OrderPaid. */
  readonly message?: string;
  /** False when the confirmation reported no amount (`amount` is the legacy default 0). */
  readonly amountReported?: boolean;
}

/**
 * An order as the shared order table holds it. Other services own most fields. The payment
 * header at `payment` is shared: every payment flow (QR, card, Amex, this one) writes its own
 * shape there, and `payment.isPaid === true` means paid, whoever wrote it. `paymentOutcomes`
 * is ours alone.
 */
export type Order = Record<string, unknown> & {
  orderId: string;
  /** Whichever flow's payment header; only `isPaid` and `paymentId` are common to all of them. */
  payment?: unknown;
  /** Each payment's final outcome, by paymentId. */
  paymentOutcomes?: Record<string, PaymentOutcomeRecord>;
};

/** Where every payment flow and every reader of the order table keeps the payment header. */
export const PAYMENT_HEADER_ATTRIBUTE = "payment";
/** The attribute this system alone writes on the shared order. */
const PAYMENT_OUTCOMES_ATTRIBUTE = "paymentOutcomes";

/** The stored header's common fields, whichever flow wrote it. */
export function storedPaymentOf(order: Order): { readonly isPaid: boolean; readonly paymentId: string | undefined; readonly paymentMethod: string | undefined } | undefined {
  const payment = order.payment;
  if (typeof payment !== "object" || payment === null) return undefined;
  const { isPaid, paymentId, paymentMethod } = payment as Record<string, unknown>;
  return {
    // The legacy check is `order.payment.isPaid is True`: only the boolean true means paid.
    isPaid: isPaid === true,
    paymentId: typeof paymentId === "string" ? paymentId : undefined,
    paymentMethod: typeof paymentMethod === "string" ? paymentMethod : undefined,
  };
}

/** The stored header when this flow wrote it (a complete wallet header), else undefined. */
export function walletHeaderOf(order: Order): PaymentHeader | undefined {
  const parsed = PaymentHeaderSchema.safeParse(order.payment);
  return parsed.success ? parsed.data : undefined;
}

/** The order as stored without `paymentOutcomes`: what calculate-cost is sent, as the legacy function sent it. */
export function withoutOwnAttributes(order: Record<string, unknown>): Record<string, unknown> {
  const { [PAYMENT_OUTCOMES_ATTRIBUTE]: _outcomes, ...rest } = order;
  return rest;
}

/** The order as events and audit rows carry it: without the payment header (events carry it on its own) and our records. */
export function orderForEvents(order: Record<string, unknown>): Record<string, unknown> {
  const { [PAYMENT_HEADER_ATTRIBUTE]: _header, ...rest } = withoutOwnAttributes(order);
  return rest;
}

export interface FinalOutcomeWrite {
  readonly paymentId: string;
  readonly record: PaymentOutcomeRecord;
  /** The header, when the payment is applied to the order (paid or declined); written only while the order is unpaid. */
  readonly header?: PaymentHeader;
  /** The recalculated fields (paid or declined), written with the header. */
  readonly recalculatedOrder?: Record<string, unknown>;
}

export interface OrderRepository {
  /** The order, read consistently, or undefined when there is none. */
  getOrder(orderId: string): Promise<Order | undefined>;
  /**
   * Records a payment's final outcome on the order as read, with its header and recalculated
   * fields when given, in one conditional UpdateItem. It succeeds only while the order exists,
   * holds no outcome for this payment, and (with a header) `payment.isPaid` is not true,
   * whichever flow wrote it; otherwise it throws
   * OrderChangedError and writes nothing.
   */
  saveFinalOutcome(orderAsRead: Order, write: FinalOutcomeWrite): Promise<void>;
}

export interface OrderRepositoryDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

function storeError(action: string, orderId: string, tableName: string, error: unknown): OrderStoreError {
  const retryable = isTransientAwsError(error);
  return new OrderStoreError(
    `could not ${action} order ${orderId} in table ${tableName}: ${describeError(error)}` +
      (retryable ? " (transient; the event will be retried)" : " (check the table name and permissions)"),
    retryable,
    { cause: error },
  );
}

/** The order table through the DynamoDB document client. */
export function createOrderRepository({ documentClient, tableName }: OrderRepositoryDependencies): OrderRepository {
  return {
    async getOrder(orderId) {
      try {
        const result = await documentClient.send(new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }));
        return result.Item as Order | undefined;
      } catch (error) {
        throw storeError("read", orderId, tableName, error);
      }
    },

    async saveFinalOutcome(orderAsRead, { paymentId, record, header, recalculatedOrder = {} }) {
      const { orderId } = orderAsRead;
      const names: Record<string, string> = { "#orderId": "orderId", "#outcomes": PAYMENT_OUTCOMES_ATTRIBUTE };
      const values: Record<string, unknown> = {};
      const assignments: string[] = [];
      const conditions = ["attribute_exists(#orderId)"];
      // A nested path can only be set inside an existing map: the first outcome creates the map.
      // Either way the condition fails if another run recorded this payment's outcome first.
      if (orderAsRead.paymentOutcomes === undefined) {
        values[":outcomes"] = { [paymentId]: record };
        assignments.push("#outcomes = :outcomes");
        conditions.push("attribute_not_exists(#outcomes)");
      } else {
        names["#paymentId"] = paymentId;
        values[":outcome"] = record;
        assignments.push("#outcomes.#paymentId = :outcome");
        conditions.push("attribute_not_exists(#outcomes.#paymentId)");
      }
      if (header) {
        Object.assign(names, { "#header": PAYMENT_HEADER_ATTRIBUTE, "#isPaid": "isPaid" });
        Object.assign(values, { ":header": header, ":true": true });
        assignments.push("#header = :header");
        // Paid is final, whoever paid: no payment may overwrite a header with isPaid true.
        conditions.push("(attribute_not_exists(#header.#isPaid) OR #header.#isPaid <> :true)");
        const { orderId: _key, ...recalculatedFields } = orderForEvents(recalculatedOrder);
        Object.entries(recalculatedFields).forEach(([field, value], index) => {
            names[`#f${index}`] = field;
            values[`:f${index}`] = value;
            assignments.push(`#f${index} = :f${index}`);
          });
      }
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { orderId },
            UpdateExpression: `SET ${assignments.join(", ")}`,
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailure(error)) {
          throw new OrderChangedError(orderId, paymentId, { cause: error });
        }
        throw storeError(`record the outcome of payment ${paymentId} on`, orderId, tableName, error);
      }
    },
  };
}
