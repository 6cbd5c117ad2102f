import { cbor } from "@smithy/core/cbor";
import { IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import { startLocalEndpoint, type LocalEndpoint } from "./local-endpoint";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const scope = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=local/20260101/ap-southeast-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;

let stack: AwsLocal;
beforeAll(async () => {
  stack = await startAwsLocal();
});
afterAll(async () => {
  await stack?.close();
});

async function post(path: string, headers: Record<string, string>, body: string | Uint8Array) {
  const response = await fetch(`${stack.url}${path}`, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

describe("an operation the local endpoint does not serve is answered in the client's own protocol", () => {
  it("IAM (Query protocol): the unmodified IAMClient reads an InvalidAction naming the operation", async () => {
    // Prepare
    const iam = new IAMClient({ endpoint: stack.url, region: "us-east-1", credentials, maxAttempts: 1 });

    // Act
    const error = await iam.send(new ListUsersCommand({})).catch((caught: unknown) => caught);
    iam.destroy();

    // Assert
    expect(error).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(
      /does not serve iam ListUsers; it serves DynamoDB .*STS GetCallerIdentity/,
    );
  });

  it("SQS and CloudWatch in the Query protocol get an XML ErrorResponse", async () => {
    for (const [service, action] of [
      ["sqs", "ListQueues"],
      ["monitoring", "PutMetricData"],
    ] as const) {
      // Act
      const answer = await post(
        "/",
        { "content-type": "application/x-www-form-urlencoded", authorization: scope(service) },
        `Action=${action}&Version=1`,
      );

      // Assert
      expect(answer.status).toBe(400);
      expect(answer.headers.get("content-type")).toBe("text/xml");
      expect(answer.body.toString()).toMatch(
        new RegExp(
          `^<\\?xml .*<ErrorResponse [^>]*><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>The local endpoint does not serve ${service} ${action};`,
          "s",
        ),
      );
    }
  });

  it("SQS in the JSON protocol: the unmodified SQSClient reads an UnknownOperationException naming the operation", async () => {
    // Prepare
    const sqs = new SQSClient({ endpoint: stack.url, region: "ap-southeast-1", credentials, maxAttempts: 1 });

    // Act
    const error = await sqs.send(new ListQueuesCommand({})).catch((caught: unknown) => caught);
    sqs.destroy();

    // Assert
    expect(error).toMatchObject({ name: "UnknownOperationException", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain("does not serve sqs ListQueues");
  });

  it("CloudWatch in rpc-v2-cbor gets a CBOR error with __type, as the smithy CBOR deserializer reads it", async () => {
    // Act
    const answer = await post(
      "/service/GraniteServiceVersion20100801/operation/PutMetricData",
      {
        "smithy-protocol": "rpc-v2-cbor",
        "content-type": "application/cbor",
        accept: "application/cbor",
        authorization: scope("monitoring"),
      },
      cbor.serialize({ Namespace: "payment3" }),
    );

    // Assert
    expect(answer.status).toBe(400);
    expect(answer.headers.get("smithy-protocol")).toBe("rpc-v2-cbor");
    expect(answer.headers.get("content-type")).toBe("application/cbor");
    const decoded = cbor.deserialize(new Uint8Array(answer.body)) as Record<string, string>;
    expect(decoded.__type).toBe("UnknownOperationException");
    expect(decoded.message).toContain("does not serve monitoring PutMetricData");
  });

  it("S3 (REST-XML) gets an XML Error with Code and Message, which S3 clients read", async () => {
    // Act
    const response = await fetch(`${stack.url}/`, {
      headers: { authorization: scope("s3"), "x-amz-date": "20260101T000000Z" },
    });

    // Assert
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(
      /<Error><Code>UnknownOperationException<\/Code><Message>The local endpoint does not serve s3 GET \/;/,
    );
  });

  it("a REST path nobody serves gets a JSON 404 naming method and path", async () => {
    // Act
    const response = await fetch(`${stack.url}/2015-03-31/functions`);

    // Assert
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining("does not serve GET /2015-03-31/functions"),
    });
  });
});

describe("a service that fails unexpectedly", () => {
  let endpoint: LocalEndpoint;
  beforeAll(async () => {
    endpoint = await startLocalEndpoint({
      services: [{ name: "Broken", canHandle: () => true, handle: () => Promise.reject(new Error("disk on fire")) }],
    });
  });
  afterAll(async () => {
    await endpoint?.close();
  });

  it("answers 500 InternalFailure in the request's protocol, and the endpoint keeps serving", async () => {
    // Act
    const query = await fetch(`${endpoint.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity",
    });
    const json = await fetch(`${endpoint.url}/`, {
      method: "POST",
      headers: { "x-amz-target": "AmazonSQS.ListQueues", "content-type": "application/x-amz-json-1.0" },
      body: "{}",
    });

    // Assert
    expect(query.status).toBe(500);
    expect(await query.text()).toContain(
      "<Type>Receiver</Type><Code>InternalFailure</Code><Message>The local Broken failed unexpectedly: disk on fire</Message>",
    );
    expect(json.status).toBe(500);
    expect(await json.json()).toEqual({
      __type: "InternalFailure",
      message: "The local Broken failed unexpectedly: disk on fire",
    });
  });
});

describe("a streamed answer (Server-Sent Events)", () => {
  it("sends its headers at once, each chunk as it is written, and is told when the client goes away", async () => {
    // Prepare: a service whose answer streams until the client closes
    let write: ((chunk: string) => void) | undefined;
    let stopped = false;
    const endpoint: LocalEndpoint = await startLocalEndpoint({
      services: [
        {
          name: "stream",
          canHandle: () => true,
          handle: async () => ({
            status: 200,
            headers: { "content-type": "text/event-stream" },
            stream: (writeChunk) => {
              write = writeChunk;
              return () => {
                stopped = true;
              };
            },
          }),
        },
      ],
    });
    const aborter = new AbortController();

    // Act
    const response = await fetch(`${endpoint.url}/events`, { signal: aborter.signal });
    const reader = response.body!.getReader();
    write?.("data: one\n\n");
    const first = new TextDecoder().decode((await reader.read()).value);
    aborter.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await endpoint.close();

    // Assert
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    expect(first).toBe("data: one\n\n");
    expect(stopped).toBe(true);
  });
});
