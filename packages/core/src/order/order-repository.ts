import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PaymentHeader } from "@payment3/events";
import { describeError, isTransientAwsError } from "../aws/aws-error";
import { OrderAlreadyPaidError, OrderStoreError } from "./order-errors";

/** An order as the shared order table holds it. Other services own most fields; we own `paymentHeader`. */
export type Order = Record<string, unknown> & { orderId: string; paymentHeader?: PaymentHeader };

/** The attribute this system writes on the order. */
export const PAYMENT_HEADER_ATTRIBUTE = "paymentHeader";

export interface OrderRepository {
  /** The order, read consistently, or undefined when there is none. */
  getOrder(orderId: string): Promise<Order | undefined>;
  /**
   * Writes the payment header, and for a paid order the recalculated order's fields, in one
   * conditional UpdateItem that succeeds only while the order exists and is not paid.
   * Throws OrderAlreadyPaidError when the condition fails.
   */
  savePaymentHeader(orderId: string, header: PaymentHeader, recalculatedOrder?: Record<string, unknown>): Promise<void>;
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

    async savePaymentHeader(orderId, header, recalculatedOrder = {}) {
      const names: Record<string, string> = { "#orderId": "orderId", "#header": PAYMENT_HEADER_ATTRIBUTE, "#isPaid": "isPaid" };
      const values: Record<string, unknown> = { ":header": header, ":false": false };
      const assignments = ["#header = :header"];
      Object.entries(recalculatedOrder)
        .filter(([field]) => field !== "orderId" && field !== PAYMENT_HEADER_ATTRIBUTE)
        .forEach(([field, value], index) => {
          names[`#f${index}`] = field;
          values[`:f${index}`] = value;
          assignments.push(`#f${index} = :f${index}`);
        });
      try {
        await documentClient.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { orderId },
            UpdateExpression: `SET ${assignments.join(", ")}`,
            // Paid is final: a second payment must never overwrite the first one's header.
            ConditionExpression: "attribute_exists(#orderId) AND (attribute_not_exists(#header.#isPaid) OR #header.#isPaid = :false)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === "ConditionalCheckFailedException") {
          throw new OrderAlreadyPaidError(orderId, { cause: error });
        }
        throw storeError("save the payment header of", orderId, tableName, error);
      }
    },
  };
}
