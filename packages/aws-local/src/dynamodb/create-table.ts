import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";

/** A key attribute: its name and type, a String or a Number. */
export interface KeyAttribute {
  readonly name: string;
  readonly type: "S" | "N";
}

/** A global secondary index: its keys, and whether it projects only the keys or every attribute. */
export interface SecondaryIndexSchema {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: "KEYS_ONLY" | "ALL";
}

/** A table's keys: a partition key and an optional sort key, and its global secondary indexes. */
export interface TableKeySchema {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly indexes?: readonly SecondaryIndexSchema[];
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

const describeKeys = (keys: Pick<TableKeySchema, "partitionKey" | "sortKey">) =>
  [keys.partitionKey, ...(keys.sortKey ? [keys.sortKey] : [])].map((key) => `${key.name} ${key.type}`).join(", ");

const keySchemaOf = (keys: Pick<TableKeySchema, "partitionKey" | "sortKey">) => [
  { AttributeName: keys.partitionKey.name, KeyType: "HASH" as const },
  ...(keys.sortKey ? [{ AttributeName: keys.sortKey.name, KeyType: "RANGE" as const }] : []),
];

function keysOf(table: TableDescription | undefined, keySchema = table?.KeySchema): string {
  const types = new Map(
    (table?.AttributeDefinitions ?? []).map((attribute) => [attribute.AttributeName, attribute.AttributeType]),
  );
  const ordered = [...(keySchema ?? [])].sort((a, b) => (a.KeyType === "HASH" ? -1 : b.KeyType === "HASH" ? 1 : 0));
  return ordered.map((key) => `${key.AttributeName} ${types.get(key.AttributeName)}`).join(", ");
}

/** The keys of each index, or what is missing, as text to compare with {@link describeKeys}. */
function indexesOf(table: TableDescription | undefined): Map<string, string> {
  return new Map(
    (table?.GlobalSecondaryIndexes ?? []).map((index) => [
      index.IndexName ?? "",
      `${keysOf(table, index.KeySchema)} (${index.Projection?.ProjectionType ?? "?"})`,
    ]),
  );
}

/**
 * Creates a table (on-demand) from its key schema, with its global secondary indexes; an existing
 * table is left as it is, but its keys and indexes must be the ones asked for: otherwise every
 * write would fail later on a type mismatch, or a query on a missing index.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  keys: TableKeySchema,
  options: { readonly whyTheseKeys?: string } = {},
): Promise<void> {
  const indexes = keys.indexes ?? [];
  const attributes = new Map<string, KeyAttribute>();
  for (const schema of [keys, ...indexes])
    for (const key of [schema.partitionKey, ...(schema.sortKey ? [schema.sortKey] : [])]) attributes.set(key.name, key);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [...attributes.values()].map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
        KeySchema: keySchemaOf(keys),
        ...(indexes.length > 0
          ? {
              GlobalSecondaryIndexes: indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: keySchemaOf(index),
                Projection: { ProjectionType: index.projection },
              })),
            }
          : {}),
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
  const existingIndexes = indexesOf(described.Table);
  for (const index of indexes) {
    const expected = `${describeKeys(index)} (${index.projection})`;
    const found = existingIndexes.get(index.name);
    if (found !== expected)
      throw new TableKeyMismatchError(
        tableName,
        `index ${index.name} on ${expected}`,
        found === undefined ? `${actual} and no index ${index.name}` : `${actual} and index ${index.name} on ${found}`,
        options.whyTheseKeys ?? "the table was created before the index was added",
      );
  }
}
