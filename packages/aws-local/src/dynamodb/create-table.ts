import { writeFileSync } from "node:fs";
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TableDescription,
  type WriteRequest,
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

export interface EnsureTableOptions {
  /** Why the keys are these, for the mismatch error (which setting decides them, say). */
  readonly whyTheseKeys?: string;
  /**
   * An existing table with the right keys that lacks some of the indexes is rebuilt with them, its items kept
   * (DynamoDB adds an index online with UpdateTable; dynalite cannot): the items are read, written to `backupFile`
   * (JSON lines of DynamoDB items) when given, the table deleted, created with its indexes and the items put back.
   * Without it, such a table is refused as any mismatch is.
   */
  readonly rebuildToAddIndexes?: { readonly backupFile?: string };
}

/** What ensureTable found: a new table, one as asked for, or one rebuilt to add its missing indexes. */
export type EnsureTableResult =
  | { readonly kind: "created" | "existing" }
  | { readonly kind: "rebuilt"; readonly addedIndexes: readonly string[]; readonly itemsKept: number };

/**
 * Creates a table (on-demand) from its key schema, with its global secondary indexes; an existing
 * table is left as it is, but its keys and indexes must be the ones asked for: otherwise every
 * write would fail later on a type mismatch, or a query on a missing index. An index that is only
 * missing can be added by a rebuild instead (`rebuildToAddIndexes`).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  keys: TableKeySchema,
  options: EnsureTableOptions = {},
): Promise<EnsureTableResult> {
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
    await untilActive(client, tableName);
    return { kind: "created" };
  } catch (error) {
    if (!(error instanceof ResourceInUseException) && (error as { name?: string }).name !== "ResourceInUseException")
      throw error;
  }
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const actual = keysOf(described.Table);
  if (actual !== describeKeys(keys))
    throw new TableKeyMismatchError(tableName, describeKeys(keys), actual, options.whyTheseKeys);
  const existingIndexes = indexesOf(described.Table);
  const missing = indexes.filter((index) => !existingIndexes.has(index.name)).map((index) => index.name);
  for (const index of indexes) {
    const expected = `${describeKeys(index)} (${index.projection})`;
    const found = existingIndexes.get(index.name);
    if (found === undefined && options.rebuildToAddIndexes) continue;
    if (found !== expected)
      throw new TableKeyMismatchError(
        tableName,
        `index ${index.name} on ${expected}`,
        found === undefined ? `${actual} and no index ${index.name}` : `${actual} and index ${index.name} on ${found}`,
        options.whyTheseKeys ?? "the table was created before the index was added",
      );
  }
  if (missing.length === 0 || !options.rebuildToAddIndexes) return { kind: "existing" };
  const items = await scanAll(client, tableName);
  const { backupFile } = options.rebuildToAddIndexes;
  if (backupFile) writeFileSync(backupFile, items.map((item) => `${JSON.stringify(item)}\n`).join(""));
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  await untilDeleted(client, tableName);
  await ensureTable(client, tableName, keys, {
    ...(options.whyTheseKeys ? { whyTheseKeys: options.whyTheseKeys } : {}),
  });
  await putAll(client, tableName, items);
  return { kind: "rebuilt", addedIndexes: missing, itemsKept: items.length };
}

/**
 * Waits until CreateTable or DeleteTable has finished: both answer while the table is still CREATING or DELETING
 * (in dynalite too, for a moment), and a write to it meanwhile fails. `undefined` waits for the table to be gone.
 */
async function untilStatus(client: DynamoDBClient, tableName: string, status: "ACTIVE" | undefined): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    let current: string | undefined;
    try {
      current = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus;
    } catch (error) {
      if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
    }
    if (current === status) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`table ${tableName} did not become ${status ?? "deleted"} within 5 s; start again`);
}

const untilActive = (client: DynamoDBClient, tableName: string) => untilStatus(client, tableName, "ACTIVE");
const untilDeleted = (client: DynamoDBClient, tableName: string) => untilStatus(client, tableName, undefined);

/** Every item of the table, read consistently page by page. */
async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Puts the items back, 25 to a BatchWriteItem, resending what DynamoDB leaves unprocessed. */
async function putAll(
  client: DynamoDBClient,
  tableName: string,
  items: readonly Record<string, AttributeValue>[],
): Promise<void> {
  for (let start = 0; start < items.length; start += 25) {
    let requests: WriteRequest[] = items.slice(start, start + 25).map((item) => ({ PutRequest: { Item: item } }));
    while (requests.length > 0) {
      const answer = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: requests } }));
      requests = answer.UnprocessedItems?.[tableName] ?? [];
    }
  }
}
