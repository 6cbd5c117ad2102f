import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";

/** A table's keys: a partition key and an optional sort key, each a String or a Number. */
export interface TableKeySchema {
  readonly partitionKey: { readonly name: string; readonly type: "S" | "N" };
  readonly sortKey?: { readonly name: string; readonly type: "S" | "N" };
}

/** An existing table's keys differ from the schema asked for (kept in `.local/` from a run with other settings, say). */
export class TableKeyMismatchError extends Error {
  override readonly name = "TableKeyMismatchError";
  readonly code = "TABLE_KEY_MISMATCH";
  constructor(
    readonly tableName: string,
    readonly expected: string,
    readonly actual: string,
    whyTheseKeys?: string,
  ) {
    super(
      `table ${tableName} exists with keys ${actual}, but ${expected} is needed${whyTheseKeys ? ` (${whyTheseKeys})` : ""}; ` +
        `delete the table (or the data directory) to have it created again, or go back to the setting it was created with`,
    );
  }
}

const describeKeys = (keys: TableKeySchema) =>
  [keys.partitionKey, ...(keys.sortKey ? [keys.sortKey] : [])].map((key) => `${key.name} ${key.type}`).join(", ");

function keysOf(table: TableDescription | undefined): string {
  const types = new Map(
    (table?.AttributeDefinitions ?? []).map((attribute) => [attribute.AttributeName, attribute.AttributeType]),
  );
  const ordered = [...(table?.KeySchema ?? [])].sort((a, b) =>
    a.KeyType === "HASH" ? -1 : b.KeyType === "HASH" ? 1 : 0,
  );
  return ordered.map((key) => `${key.AttributeName} ${types.get(key.AttributeName)}`).join(", ");
}

/**
 * Creates a table (on-demand) from its key schema; an existing table is left as it is, but its
 * keys must be the ones asked for: otherwise every write would fail later on a type mismatch.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  keys: TableKeySchema,
  options: { readonly whyTheseKeys?: string } = {},
): Promise<void> {
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
    if (!(error instanceof ResourceInUseException) && (error as { name?: string }).name !== "ResourceInUseException")
      throw error;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const actual = keysOf(described.Table);
  if (actual !== describeKeys(keys))
    throw new TableKeyMismatchError(tableName, describeKeys(keys), actual, options.whyTheseKeys);
}
