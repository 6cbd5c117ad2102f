import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { OrderChangedError, OrderStoreError } from "./order-errors";
import {
  orderForEvents,
  PAYMENT_HEADER_ATTRIBUTE,
  PAYMENT_OUTCOMES_ATTRIBUTE,
  type Order,
  type OrderRepository,
} from "./order";

export interface OrderRepositoryDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

function storeError(action: string, orderId: string, tableName: string, error: unknown): OrderStoreError {
  const transient = isTransientAwsError(error);
  return new OrderStoreError(
    `could not ${action} order ${orderId} in table ${tableName}: ${describeError(error)}` +
      (transient ? " (transient; the event will be retried)" : " (check the table name and permissions)"),
    transient,
    { cause: error },
  );
}

/** The order table through the DynamoDB document client: the {@link OrderRepository} the processor runs with. */
export function createOrderRepository({ documentClient, tableName }: OrderRepositoryDependencies): OrderRepository {
  return {
    async getOrder(orderId) {
      try {
        const result = await documentClient.send(
          new GetCommand({ TableName: tableName, Key: { orderId }, ConsistentRead: true }),
        );
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
