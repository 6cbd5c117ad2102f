import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
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
});
