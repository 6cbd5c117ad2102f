import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failedCallOf } from "./failed-call";

/** A TCP server that takes each request and hangs up without answering: the call may have been carried out. */
let hangingUp: Server;
/** A port nothing listens on: the request never leaves. */
let closedPort: number;

beforeAll(async () => {
  hangingUp = createServer((socket) => socket.once("data", () => socket.destroy()));
  await new Promise<void>((resolve) => hangingUp.listen(0, "127.0.0.1", resolve));
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
});
afterAll(async () => {
  await new Promise((resolve) => hangingUp.close(resolve));
});

/** The error a real SNS client throws publishing to `endpoint`. */
const publishError = (endpoint: string) =>
  new SNSClient({ endpoint, region: "ap-southeast-1", maxAttempts: 1 })
    .send(new PublishCommand({ TopicArn: "arn:aws:sns:ap-southeast-1:000000000000:t", Message: "paid" }))
    .then(
      () => {
        throw new Error(`expected the publish to ${endpoint} to fail`);
      },
      (error: unknown) => error,
    );

describe("failedCallOf", () => {
  it("a request that left and got no answer: effect unknown, never to be repeated", async () => {
    const error = await publishError(`http://127.0.0.1:${(hangingUp.address() as AddressInfo).port}`);

    expect(failedCallOf(error)).toEqual({ kind: "failed", effect: "unknown", error });
  });

  it("a request that never left (connection refused): no effect", async () => {
    const error = await publishError(`http://127.0.0.1:${closedPort}`);

    expect(failedCallOf(error)).toEqual({ kind: "failed", effect: "none", error });
  });

  it("an error answer: no effect", () => {
    const answered = Object.assign(new Error("Rate exceeded"), {
      name: "Throttling",
      $metadata: { httpStatusCode: 400 },
    });

    expect(failedCallOf(answered)).toEqual({ kind: "failed", effect: "none", error: answered });
  });
});
