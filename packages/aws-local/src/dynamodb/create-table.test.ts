import {
  DescribeTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, TableKeyMismatchError, type TableKeySchema } from "./create-table";
import { startDynalite, type DynaliteServer } from "./dynalite-server";

const keysWithCreatedAt = (type: "S" | "N"): TableKeySchema => ({
  partitionKey: { name: "orderId", type: "S" },
  sortKey: { name: "created_at", type },
});

let dynalite: DynaliteServer;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient({
    endpoint: dynalite.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  client.destroy();
  await dynalite.close();
});

describe("ensureTable", () => {
  it("creates a table with the key types asked for, and leaves it be when asked again with the same keys", async () => {
    await ensureTable(client, "audit-iso", keysWithCreatedAt("S"));
    await ensureTable(client, "audit-iso", keysWithCreatedAt("S"));

    const table = await client.send(new DescribeTableCommand({ TableName: "audit-iso" }));
    expect(table.Table?.AttributeDefinitions).toContainEqual({ AttributeName: "created_at", AttributeType: "S" });
  });

  it("refuses an existing table whose keys are of other types, saying what to do", async () => {
    await ensureTable(client, "audit-millis", keysWithCreatedAt("N"));

    const ensure = ensureTable(client, "audit-millis", keysWithCreatedAt("S"), {
      whyTheseKeys: "created_at's type follows the setting",
    });

    await expect(ensure).rejects.toThrow(TableKeyMismatchError);
    await expect(ensure).rejects.toThrow(
      "table audit-millis exists with keys orderId S, created_at N, but orderId S, created_at S is needed (created_at's type follows the setting); delete the table",
    );
  });

  it("creates a table's global secondary index, which lists only the items that have its keys (a sparse index)", async () => {
    // Prepare
    const keys: TableKeySchema = {
      ...keysWithCreatedAt("S"),
      indexes: [
        {
          name: "waiting-index",
          partitionKey: { name: "waiting", type: "S" },
          sortKey: { name: "since", type: "S" },
          projection: "KEYS_ONLY",
        },
      ],
    };
    await ensureTable(client, "sparse", keys);
    await ensureTable(client, "sparse", keys);
    await client.send(
      new PutItemCommand({
        TableName: "sparse",
        Item: { orderId: { S: "1" }, created_at: { S: "a" }, waiting: { S: "yes" }, since: { S: "t1" } },
      }),
    );
    await client.send(
      new PutItemCommand({ TableName: "sparse", Item: { orderId: { S: "2" }, created_at: { S: "a" } } }),
    );

    // Act
    const listed = await client.send(
      new QueryCommand({
        TableName: "sparse",
        IndexName: "waiting-index",
        KeyConditionExpression: "waiting = :yes",
        ExpressionAttributeValues: { ":yes": { S: "yes" } },
      }),
    );

    // Assert
    expect(listed.Items?.map((item) => item.orderId?.S)).toEqual(["1"]);
  });

  it("refuses an existing table without an index asked for, saying what to do", async () => {
    // Prepare
    await ensureTable(client, "no-index", keysWithCreatedAt("S"));

    // Act
    const ensure = ensureTable(client, "no-index", {
      ...keysWithCreatedAt("S"),
      indexes: [{ name: "waiting-index", partitionKey: { name: "waiting", type: "S" }, projection: "KEYS_ONLY" }],
    });

    // Assert
    await expect(ensure).rejects.toThrow(
      "table no-index exists with keys orderId S, created_at S and no index waiting-index, but index waiting-index on waiting S (KEYS_ONLY) is needed (the table was created before the index was added); delete the table",
    );
  });

  it("rebuilds an existing table without an index asked for when told to: the index is added, every item kept and backed up first", async () => {
    // Prepare: 60 items (three BatchWriteItem requests' worth), 3 of them with the index's key
    await ensureTable(client, "rebuild-me", keysWithCreatedAt("S"));
    for (let n = 0; n < 60; n++)
      await client.send(
        new PutItemCommand({
          TableName: "rebuild-me",
          Item: {
            orderId: { S: `o${n}` },
            created_at: { S: "2026-12-03" },
            ...(n % 20 === 0 ? { waiting: { S: "yes" } } : {}),
          },
        }),
      );
    const backupFile = join(mkdtempSync(join(tmpdir(), "rebuild-")), "backup.jsonl");
    const schema: TableKeySchema = {
      ...keysWithCreatedAt("S"),
      indexes: [{ name: "waiting-index", partitionKey: { name: "waiting", type: "S" }, projection: "KEYS_ONLY" }],
    };

    // Act
    const result = await ensureTable(client, "rebuild-me", schema, { rebuildToAddIndexes: { backupFile } });
    const again = await ensureTable(client, "rebuild-me", schema, { rebuildToAddIndexes: { backupFile } });

    // Assert
    expect(result).toEqual({ kind: "rebuilt", addedIndexes: ["waiting-index"], itemsKept: 60 });
    expect(again).toEqual({ kind: "existing" });
    const listed = await client.send(
      new QueryCommand({
        TableName: "rebuild-me",
        IndexName: "waiting-index",
        KeyConditionExpression: "waiting = :w",
        ExpressionAttributeValues: { ":w": { S: "yes" } },
      }),
    );
    expect(listed.Items?.map((item) => item.orderId?.S).sort()).toEqual(["o0", "o20", "o40"]);
    const scanned = await client.send(new ScanCommand({ TableName: "rebuild-me", Select: "COUNT" }));
    expect(scanned.Count).toBe(60);
    const backup = readFileSync(backupFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(backup).toHaveLength(60);
    expect(backup).toContainEqual({ orderId: { S: "o59" }, created_at: { S: "2026-12-03" } });
  });
});
