import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Channel, FailureReason, PaymentHeader } from "@payment3/events";
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
}

/** An order as the shared order table holds it. Other services own most fields; we own `paymentHeader` and `paymentOutcomes`. */
export type Order = Record<string, unknown> & {
  orderId: string;
  paymentHeader?: PaymentHeader;
  /** Each payment's final outcome, by paymentId. */
  paymentOutcomes?: Record<string, PaymentOutcomeRecord>;
};

/** The attributes this system writes on the order; never part of an order sent elsewhere. */
export const PAYMENT_HEADER_ATTRIBUTE = "paymentHeader";
const PAYMENT_OUTCOMES_ATTRIBUTE = "paymentOutcomes";
const OWN_ORDER_ATTRIBUTES: readonly string[] = [PAYMENT_HEADER_ATTRIBUTE, PAYMENT_OUTCOMES_ATTRIBUTE];

/** The order without the attributes this system owns: what is priced and what events carry. */
export function withoutOwnAttributes(order: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(order).filter(([field]) => !OWN_ORDER_ATTRIBUTES.includes(field)));
}

export interface FinalOutcomeWrite {
  readonly paymentId: string;
  readonly record: PaymentOutcomeRecord;
  /** The header, when the payment is applied to the order (paid or declined); written only while the order is unpaid. */
  readonly header?: PaymentHeader;
  /** A paid order's recalculated fields, written with the header. */
  readonly recalculatedOrder?: Record<string, unknown>;
}

export interface OrderRepository {
  /** The order, read consistently, or undefined when there is none. */
  getOrder(orderId: string): Promise<Order | undefined>;
  /**
   * Records a payment's final outcome on the order as read, with its header and recalculated
   * fields when given, in one conditional UpdateItem. It succeeds only while the order exists,
   * holds no outcome for this payment, and (with a header) is not paid; otherwise it throws
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
        Object.assign(values, { ":header": header, ":false": false });
        assignments.push("#header = :header");
        // Paid is final: a second payment must never overwrite the first one's header.
        conditions.push("(attribute_not_exists(#header.#isPaid) OR #header.#isPaid = :false)");
        const { orderId: _key, ...recalculatedFields } = withoutOwnAttributes(recalculatedOrder);
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
