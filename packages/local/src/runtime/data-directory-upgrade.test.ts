import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateTableCommand, DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients } from "@payment3/core";
import { afterEach, describe, expect, it } from "vitest";
import { startLocalRuntime, type LocalRuntime } from "./local-runtime";

let runtime: LocalRuntime | undefined;
let dataDirectory: string | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  if (dataDirectory) rmSync(dataDirectory, { recursive: true, force: true });
});

const start = (warnings: string[]) =>
  startLocalRuntime({
    port: 0,
    dataDirectory: dataDirectory!,
    env: { BRANCH: "upgrade" },
    logLevel: "SILENT",
    warn: (message) => warnings.push(message),
  });

describe("a data directory made by an earlier version", () => {
  it("gets the email log's sweep index on start, its rows kept, with one line saying so", async () => {
    // Prepare: the email log as versions before the uncertain-email sweep made it (no index), with one row
    dataDirectory = mkdtempSync(join(tmpdir(), "payment3-upgrade-"));
    runtime = await start([]);
    const { config } = runtime;
    const { dynamoDb } = runtime.stack;
    const { documentClient } = createAwsClients({ region: config.region, endpoint: runtime.url });
    await dynamoDb.send(new DeleteTableCommand({ TableName: config.emailLogTableName }));
    await dynamoDb.send(
      new CreateTableCommand({
        TableName: config.emailLogTableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: "orderId", AttributeType: "S" },
          { AttributeName: "notificationKey", AttributeType: "S" },
        ],
        KeySchema: [
          { AttributeName: "orderId", KeyType: "HASH" },
          { AttributeName: "notificationKey", KeyType: "RANGE" },
        ],
      }),
    );
    const row = { orderId: "492500005643", notificationKey: "492500005643:pay_1:OrderPaid", status: "sent" };
    await documentClient.send(new PutCommand({ TableName: config.emailLogTableName, Item: row }));
    await runtime.close();
    runtime = undefined;

    // Act
    const warnings: string[] = [];
    runtime = await start(warnings);

    // Assert
    const backup = join(dataDirectory, `${config.emailLogTableName}.before-rebuild.jsonl`);
    expect(warnings).toContain(
      `table ${config.emailLogTableName} was made by an earlier version without index uncertain-email-index: rebuilt with it, 1 row kept (a copy of them from before is in ${backup})`,
    );
    const after = createAwsClients({ region: config.region, endpoint: runtime.url }).documentClient;
    const kept = await after.send(
      new GetCommand({
        TableName: config.emailLogTableName,
        Key: { orderId: row.orderId, notificationKey: row.notificationKey },
      }),
    );
    expect(kept.Item).toEqual(row);
  });
});
