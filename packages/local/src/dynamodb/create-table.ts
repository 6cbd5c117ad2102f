import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { TableKeySchema } from "@payment3/core";

/** Creates a table (on-demand) from its key schema; an existing table is left as it is. */
export async function ensureTable(client: DynamoDBClient, tableName: string, keys: TableKeySchema): Promise<void> {
  const attributes = [keys.partitionKey, ...(keys.sortKey ? [keys.sortKey] : [])];
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
        KeySchema: [
          { AttributeName: keys.partitionKey.name, KeyType: "HASH" },
          ...(keys.sortKey ? [{ AttributeName: keys.sortKey.name, KeyType: "RANGE" as const }] : []),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && (error as { name?: string }).name !== "ResourceInUseException") throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: tableName }));
}
