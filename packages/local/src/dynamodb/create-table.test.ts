import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { processPaidOrderTableKeys } from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTable, TableKeyMismatchError } from "./create-table";
import { startDynalite, type DynaliteServer } from "./dynalite-server";

let dynalite: DynaliteServer;
let client: DynamoDBClient;

beforeAll(async () => {
  dynalite = await startDynalite();
  client = new DynamoDBClient({ endpoint: dynalite.url, region: "ap-southeast-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
});
afterAll(async () => {
  client.destroy();
  await dynalite.close();
});

describe("ensureTable", () => {
  it("creates the audit table with created_at of the format's type, and leaves it be when asked again with the same keys", async () => {
    await ensureTable(client, "audit-iso", processPaidOrderTableKeys("iso-8601"));
    await ensureTable(client, "audit-iso", processPaidOrderTableKeys("iso-8601"));

    const table = await client.send(new DescribeTableCommand({ TableName: "audit-iso" }));
    expect(table.Table?.AttributeDefinitions).toContainEqual({ AttributeName: "created_at", AttributeType: "S" });
  });

  it("refuses an existing table whose keys are of other types, saying what to do", async () => {
    await ensureTable(client, "audit-millis", processPaidOrderTableKeys("epoch-millis"));

    const ensure = ensureTable(client, "audit-millis", processPaidOrderTableKeys("iso-8601"));

    await expect(ensure).rejects.toThrow(TableKeyMismatchError);
    await expect(ensure).rejects.toThrow("table audit-millis exists with keys orderId S, created_at N, but orderId S, created_at S is needed");
  });
});
