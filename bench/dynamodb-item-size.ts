import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mean, roundTo } from "./statistics";

/** Sizes of a table's items, as DynamoDB counts them for capacity units. */
export interface TableItemSizes {
  readonly table: string;
  readonly items: number;
  readonly meanBytes: number;
  readonly maxBytes: number;
  /** Mean write request units of one write of one of these items (1 per started KB). */
  readonly writeUnitsPerWrite: number;
  /** Mean read request units of one strongly consistent read (1 per started 4 KB). */
  readonly readUnitsPerConsistentRead: number;
}

const utf8Length = (text: string) => Buffer.byteLength(text, "utf8");

/** A number's size: about one byte per two significant digits, plus one. */
function numberSize(value: number): number {
  const digits = Math.abs(value).toExponential().split("e")[0]!.replace(".", "").replace(/0+$/, "").length || 1;
  return Math.ceil(digits / 2) + 1;
}

/**
 * The size DynamoDB gives a value (its item-size rules: strings by UTF-8 length, numbers by
 * significant digits, 1 byte for booleans and null, 3 bytes per list or map plus 1 per element,
 * attribute names by UTF-8 length).
 */
export function dynamoDbValueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === "boolean") return 1;
  if (typeof value === "string") return utf8Length(value);
  if (typeof value === "number") return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + dynamoDbValueSize(element), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, element) => sum + 1 + dynamoDbValueSize(element), 0);
  if (typeof value === "object") {
    return (
      3 +
      Object.entries(value).reduce((sum, [name, element]) => sum + 1 + utf8Length(name) + dynamoDbValueSize(element), 0)
    );
  }
  return utf8Length(String(value));
}

/** An item's size: each attribute's name plus its value. */
export function dynamoDbItemSize(item: Record<string, unknown>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + utf8Length(name) + dynamoDbValueSize(value), 0);
}

/** Scans a table and sizes its items (a few thousand items: fine for a bench). */
export async function measureTableItemSizes(
  documentClient: DynamoDBDocumentClient,
  table: string,
): Promise<TableItemSizes> {
  const sizes: number[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({ TableName: table, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    for (const item of page.Items ?? []) sizes.push(dynamoDbItemSize(item));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return {
    table,
    items: sizes.length,
    meanBytes: Math.round(mean(sizes)),
    maxBytes: Math.max(0, ...sizes),
    writeUnitsPerWrite: sizes.length ? roundTo(mean(sizes.map((size) => Math.max(1, Math.ceil(size / 1024)))), 3) : 1,
    readUnitsPerConsistentRead: sizes.length
      ? roundTo(mean(sizes.map((size) => Math.max(1, Math.ceil(size / 4096)))), 3)
      : 1,
  };
}
