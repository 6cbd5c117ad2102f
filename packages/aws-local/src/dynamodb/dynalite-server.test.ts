import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { fakeSigV4Authorization } from "../http/fake-sigv4";
import { startDynalite, DynaliteUnavailableError, type DynaliteAnswer, type DynaliteServer } from "./dynalite-server";

const TABLE = "dynalite-thread-test";

function dynamoDbRequest(operation: string, body: unknown) {
  return {
    method: "POST",
    url: "/",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      "x-amz-date": "20261203T000000Z",
      authorization: fakeSigV4Authorization("dynamodb", "ap-southeast-1"),
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/** Status, headers and body without dynalite's random request id and the body's checksum, for comparing two dynalites. */
function comparable(answer: DynaliteAnswer) {
  const { "x-amzn-requestid": _requestId, "x-amz-crc32": _crc32, date: _date, ...headers } = answer.headers;
  return { status: answer.status, headers, body: JSON.parse(answer.body.toString("utf8")) as unknown };
}

/** Whether the answer's `x-amz-crc32` is its body's (the AWS CLI checks it). */
function checksumMatches(answer: DynaliteAnswer): boolean {
  return answer.headers["x-amz-crc32"] === String(crc32(answer.body));
}

/** A table, an item, a read, a failed condition and a malformed request: what the local runtime sends most. */
async function exercise(dynalite: DynaliteServer) {
  const answers: DynaliteAnswer[] = [];
  const send = async (operation: string, body: unknown) => {
    answers.push(await dynalite.forward(dynamoDbRequest(operation, body)));
  };
  await send("CreateTable", {
    TableName: TABLE,
    BillingMode: "PAY_PER_REQUEST",
    KeySchema: [{ AttributeName: "orderId", KeyType: "HASH" }],
    AttributeDefinitions: [{ AttributeName: "orderId", AttributeType: "S" }],
  });
  await send("PutItem", { TableName: TABLE, Item: { orderId: { S: "1" }, status: { S: "PAID" } } });
  await send("GetItem", { TableName: TABLE, Key: { orderId: { S: "1" } } });
  await send("UpdateItem", {
    TableName: TABLE,
    Key: { orderId: { S: "1" } },
    UpdateExpression: "SET #s = :s",
    ConditionExpression: "attribute_not_exists(orderId)",
    ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":s": { S: "FAILED" } },
  });
  await send("GetItem", { TableName: TABLE, Key: { orderId: { N: "1" } } });
  return answers
    .map((answer) => ({ checksumMatches: checksumMatches(answer), ...comparable(answer) }))
    .map(({ body, ...rest }) => ({
      ...rest,
      // CreateTable's answer carries its creation time.
      body: JSON.parse(
        JSON.stringify(body)
          .replace(/"CreationDateTime":[0-9.]+/, '"CreationDateTime":0')
          .replace(/"TableId":"[^"]+"/, '"TableId":""'),
      ) as unknown,
    }));
}

const started: DynaliteServer[] = [];
const directories: string[] = [];
afterAll(async () => {
  await Promise.all(started.map((dynalite) => dynalite.close().catch(() => undefined)));
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startDynalite>[0]): Promise<DynaliteServer> {
  const dynalite = await startDynalite(options);
  started.push(dynalite);
  return dynalite;
}

describe("startDynalite", () => {
  it("runs on a worker thread by default and answers there as it does on the caller's thread", async () => {
    const inWorker = await start({});
    const onMain = await start({ thread: "main" });

    const fromWorker = await exercise(inWorker);
    const fromMain = await exercise(onMain);

    expect(inWorker.thread).toBe("worker");
    expect(fromWorker.map((answer) => [answer.status, answer.checksumMatches])).toEqual([
      [200, true],
      [200, true],
      [200, true],
      [400, true],
      [400, true],
    ]);
    expect(fromWorker).toEqual(fromMain);
  });

  it("serves its own loopback URL from the worker too", async () => {
    const dynalite = await start({});

    const answer = await fetch(dynalite.url, dynamoDbRequest("ListTables", {}));

    expect(new URL(dynalite.url).hostname).toBe("127.0.0.1");
    expect(await answer.json()).toEqual({ TableNames: [] });
  });

  it("keeps the tables in `path` from one start to the next", async () => {
    const path = mkdtempSync(join(tmpdir(), "dynalite-thread-"));
    directories.push(path);
    const first = await startDynalite({ path });
    const written = await exercise(first);
    await first.close();

    const second = await start({ path });
    const read = await second.forward(dynamoDbRequest("GetItem", { TableName: TABLE, Key: { orderId: { S: "1" } } }));

    // On disk the table turns ACTIVE a LevelDB write after CreateTable; the PutItem right after it still lands.
    expect(written.map((answer) => answer.status)).toEqual([200, 200, 200, 400, 400]);
    expect(comparable(read).body).toEqual({ Item: { orderId: { S: "1" }, status: { S: "PAID" } } });
  });

  it("after close, ends its thread: requests are refused with DynaliteUnavailableError and the URL is gone", async () => {
    const dynalite = await startDynalite({});

    await dynalite.close();

    await expect(dynalite.forward(dynamoDbRequest("ListTables", {}))).rejects.toThrow(DynaliteUnavailableError);
    await expect(fetch(dynalite.url, dynamoDbRequest("ListTables", {}))).rejects.toThrow();
  });
});
