import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Order } from "@payment3/core";

/** The order item as stored, or undefined when the order table has none. */
export async function readOrderItem(
  documentClient: DynamoDBDocumentClient,
  orderTableName: string,
  orderId: string,
): Promise<Order | undefined> {
  const result = await documentClient.send(
    new GetCommand({ TableName: orderTableName, Key: { orderId }, ConsistentRead: true }),
  );
  return result.Item as Order | undefined;
}

/** Every item a table keeps under the order's hash key (its audit rows, its email-log rows). */
export async function readItemsOfOrder(
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
): Promise<Record<string, unknown>[]> {
  const result = await documentClient.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
      ConsistentRead: true,
    }),
  );
  return result.Items ?? [];
}
