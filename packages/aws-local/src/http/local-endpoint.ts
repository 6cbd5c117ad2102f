import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  internalFailureResponse,
  requestedOperationOf,
  unservedOperationResponse,
  wireErrorResponse,
} from "./wire-protocol";

/** A request as every local service sees it: the body is already read (and size-limited). */
export interface LocalRequest {
  readonly method: string;
  /** Path and query, e.g. `/2015-03-31/functions/calculate-cost-3-master/invocations`. */
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Buffer;
}

export interface LocalResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /**
   * A long-lived answer (Server-Sent Events) instead of `body`: called once the headers are sent, it writes chunks
   * for as long as it likes and returns what to call when the client goes away (or the endpoint closes).
   */
  readonly stream?: (write: (chunk: string) => void) => () => void;
  /**
   * Close the connection without answering, as a network fault does after (or before) the service acted: the client
   * gets a reset with no status (fault injection; `status` and `body` are not sent).
   */
  readonly dropConnection?: boolean;
}

/**
 * One AWS service emulated behind the shared local endpoint. Services are routed by what the
 * request looks like (X-Amz-Target prefix, path, form Action), never by port, so one
 * `AWS_ENDPOINT_URL` reaches all of them.
 */
export interface LocalService {
  readonly name: string;
  canHandle(request: LocalRequest): boolean;
  handle(request: LocalRequest): Promise<LocalResponse>;
}

export interface LocalEndpointOptions {
  /** Loopback only by default; anything else must be asked for explicitly. */
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly services: readonly LocalService[];
  /** Requests with a larger body get 413 without being buffered. Default 8 MiB. */
  readonly maxBodyBytes?: number;
  /** What the endpoint serves, for the answer to an operation nobody handles. Default: the services' names. */
  readonly served?: readonly string[];
}

export interface LocalEndpoint {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
}

/**
 * Reads the body up to `limit` bytes. Past the limit (declared or streamed, e.g. chunked) it stops
 * reading and rejects with BodyTooLargeError; the caller answers 413 and reads the rest without
 * keeping it (discardRestOfBody).
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? "0");
    if (declared > limit) {
      reject(new BodyTooLargeError(`request body of ${declared} bytes is over the ${limit}-byte limit`));
      return;
    }
    let chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks = [];
        request.off("data", onData);
        request.pause();
        reject(new BodyTooLargeError(`request body is over the ${limit}-byte limit`));
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

/** How long the rest of an oversized body is read and thrown away before the connection is dropped. */
const LINGER_MS = 2_000;

/**
 * After a 413, reads the rest of the body without keeping it, then leaves the connection open for
 * the next request; a client still sending after LINGER_MS is cut off. Closing at once would close
 * a socket with unread data, which makes the kernel send a reset that can destroy the 413 before
 * the client has read it (the client sees ECONNRESET instead of the answer): a "lingering close",
 * as nginx and Apache do it.
 */
function discardRestOfBody(request: IncomingMessage): void {
  const cutOff = setTimeout(() => request.socket.destroy(), LINGER_MS);
  cutOff.unref();
  request.once("end", () => clearTimeout(cutOff));
  request.once("close", () => clearTimeout(cutOff));
  request.resume();
}

function send(res: ServerResponse, response: LocalResponse): void {
  if (res.headersSent) return;
  if (response.dropConnection) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(response.status, response.headers ?? {});
  if (response.stream) {
    res.flushHeaders();
    const stop = response.stream((chunk) => res.write(chunk));
    res.once("close", stop);
    return;
  }
  res.end(response.body ?? "");
}

/**
 * Starts the single HTTP endpoint that the local runtime serves every AWS API from. Errors of the endpoint itself
 * are answered in the protocol of the request (XML for Query, JSON for awsJson and REST, CBOR for rpc-v2-cbor), so
 * every client can read them: an operation no service handles gets `InvalidAction`/`UnknownOperationException`
 * naming it; a service that throws answers 500 `InternalFailure`, and the server keeps serving.
 */
export async function startLocalEndpoint(options: LocalEndpointOptions): Promise<LocalEndpoint> {
  const host = options.host ?? "127.0.0.1";
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const served = options.served ?? options.services.map((service) => service.name);
  const server = createServer((req, res) => {
    void (async () => {
      let body: Buffer;
      try {
        body = await readBody(req, limit);
      } catch (error) {
        const tooLarge = error instanceof BodyTooLargeError;
        if (tooLarge) res.once("finish", () => discardRestOfBody(req));
        const unread: LocalRequest = {
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body: Buffer.alloc(0),
        };
        send(
          res,
          wireErrorResponse(requestedOperationOf(unread), {
            code: tooLarge ? "RequestEntityTooLargeException" : "SerializationException",
            status: tooLarge ? 413 : 400,
            message: error instanceof Error ? error.message : String(error),
          }),
        );
        return;
      }
      const request: LocalRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body };
      const service = options.services.find((candidate) => candidate.canHandle(request));
      if (!service) {
        send(res, unservedOperationResponse(request, served));
        return;
      }
      try {
        send(res, await service.handle(request));
      } catch (error) {
        send(res, internalFailureResponse(request, service.name, error));
      }
    })();
  });
  // Longer than any pause between a client's requests, as AWS endpoints are. With Node's 5 s, an
  // event-loop stall of a few seconds (the whole runtime is one process) let the server close an
  // idle connection just as a client reused it: the request got ECONNRESET without an answer, which
  // a send that must not be repeated (SES, SNS) has to treat as "may have been sent".
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
