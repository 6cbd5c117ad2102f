import { request } from "node:http";
import { connect } from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalStack } from "../local-stack";
import { startLocalRuntime } from "../runtime/local-runtime";
import { type LocalEndpoint, startLocalEndpoint } from "@payment3/aws-local";

const LIMIT = 1024 * 1024;
const BODY = 128 * 1024 * 1024;

let endpoint: LocalEndpoint;

beforeAll(async () => {
  endpoint = await startLocalEndpoint({
    maxBodyBytes: LIMIT,
    services: [
      {
        name: "echo",
        canHandle: () => true,
        handle: (received) => Promise.resolve({ status: 200, body: `got ${received.body.length} bytes` }),
      },
    ],
  });
});

afterAll(async () => {
  await endpoint?.close();
});

/** A non-loopback IPv4 address of this machine, if it has one. */
const externalAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((address) => address && address.family === "IPv4" && !address.internal)?.address;

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * POSTs `total` bytes, one reused 64 KB chunk at a time, with or without a Content-Length, and
 * stops sending as soon as an answer arrives. Samples this process's memory while it runs.
 */
function postLargeBody(
  port: number,
  total: number,
  chunked: boolean,
): Promise<{ status: number; body: string; peakGrowth: number }> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const baseline = memory();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memory());
  }, 5);
  return new Promise((resolve, reject) => {
    let answered = false;
    const outgoing = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/",
        headers: chunked ? {} : { "content-length": String(total) },
      },
      (response) => {
        answered = true;
        let body = "";
        response.on("data", (data: Buffer) => (body += data.toString("utf8")));
        response.on("end", () => {
          clearInterval(sampler);
          resolve({ status: response.statusCode ?? 0, body, peakGrowth: Math.max(peak, memory()) - baseline });
        });
      },
    );
    outgoing.on("error", (error) => {
      if (!answered) {
        clearInterval(sampler);
        reject(error);
      }
    });
    void (async () => {
      for (let sent = 0; sent < total && !answered; sent += chunk.length) {
        if (!outgoing.write(chunk)) await new Promise((drained) => outgoing.once("drain", drained));
      }
      if (!answered) outgoing.end();
    })();
  });
}

describe("the local endpoint binds loopback only", () => {
  it("listens on 127.0.0.1 when no host is given", () => {
    expect(endpoint.server.address()).toMatchObject({ address: "127.0.0.1" });
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
  });

  it("cannot be reached on the machine's other addresses", async () => {
    const external = externalAddress() ?? "127.0.0.2";

    expect(await canConnect(external, endpoint.port)).toBe(false);
    expect(await canConnect("127.0.0.1", endpoint.port)).toBe(true);
  });

  it("the local stack and the local runtime bind loopback by default, their private servers too", async () => {
    const stack = await startLocalStack();
    const runtime = await startLocalRuntime({
      port: 0,
      dataDirectory: null,
      logLevel: "SILENT",
      warn: () => undefined,
    });
    try {
      expect(stack.endpoint.server.address()).toMatchObject({ address: "127.0.0.1" });
      expect(runtime.stack.endpoint.server.address()).toMatchObject({ address: "127.0.0.1" });
      expect(new URL(stack.dynalite.url).hostname).toBe("127.0.0.1");
      expect(new URL(stack.ses.privateUrl).hostname).toBe("127.0.0.1");
    } finally {
      await runtime.close();
      await stack.close();
    }
  });
});

describe("the local endpoint limits request bodies", () => {
  it("answers 413 to a declared oversized body without reading it, memory far below the body size", async () => {
    const answer = await postLargeBody(endpoint.port, BODY, false);

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({
      __type: "RequestEntityTooLargeException",
      message: expect.stringContaining(`over the ${LIMIT}-byte limit`),
    });
    expect(answer.peakGrowth).toBeLessThan(BODY / 8);
  });

  it("answers 413 to a streamed (chunked) oversized body once it passes the limit, memory far below the body size", async () => {
    const answer = await postLargeBody(endpoint.port, BODY, true);

    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ __type: "RequestEntityTooLargeException" });
    expect(answer.peakGrowth).toBeLessThan(BODY / 8);
  });

  it("keeps serving after refusing oversized bodies", async () => {
    await postLargeBody(endpoint.port, 4 * LIMIT, true);

    const response = await fetch(endpoint.url, { method: "POST", body: "hello" });

    expect(response.status).toBe(200);
    expect(await response.text()).toBe("got 5 bytes");
  });

  it("a client that sends its whole oversized body before reading still gets the 413, and the connection serves its next request", async () => {
    const socket = connect({ host: "127.0.0.1", port: endpoint.port });
    const socketErrors: string[] = [];
    socket.on("error", (error) => socketErrors.push(error.message));
    await new Promise((connected) => socket.once("connect", connected));
    socket.pause();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const chunkFrame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    socket.write("POST / HTTP/1.1\r\nhost: local\r\ntransfer-encoding: chunked\r\n\r\n");
    for (let sent = 0; sent < 4 * LIMIT && socketErrors.length === 0; sent += chunk.length) {
      if (!socket.write(chunkFrame)) await new Promise((drained) => socket.once("drain", drained));
    }
    socket.write("0\r\n\r\nPOST / HTTP/1.1\r\nhost: local\r\ncontent-length: 5\r\n\r\nhello");
    let received = "";
    socket.on("data", (data: Buffer) => (received += data.toString("utf8")));
    socket.resume();
    await vi.waitFor(() => expect(socketErrors.length > 0 || received.includes("got 5 bytes")).toBe(true), {
      timeout: 5_000,
    });
    socket.destroy();

    expect(socketErrors).toEqual([]);
    expect(received).toMatch(/^HTTP\/1\.1 413 /);
    expect(received).toContain("RequestEntityTooLargeException");
  });

  it("takes a body right at the limit", async () => {
    const response = await fetch(endpoint.url, { method: "POST", body: Buffer.alloc(LIMIT, 0x62) });

    expect(await response.text()).toBe(`got ${LIMIT} bytes`);
  });
});
