import type { AddressInfo } from "node:net";
import { request } from "node:http";
import { Worker } from "node:worker_threads";
import dynalite from "dynalite";
import type { LocalRequest } from "../http/local-endpoint";

/** A DynamoDB request as the endpoint hands it to dynalite. */
export type DynaliteRequest = Pick<LocalRequest, "method" | "url" | "headers" | "body">;

/** What dynalite answered, as received. */
export interface DynaliteAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface DynaliteServer {
  /** Dynalite's own URL (a private port); clients normally use the shared local endpoint. */
  readonly url: string;
  /** Where dynalite runs: its own worker thread (the default) or the caller's thread. */
  readonly thread: "worker" | "main";
  /** Sends one DynamoDB request to dynalite unchanged (over the message port when it runs in a worker). */
  forward(req: DynaliteRequest): Promise<DynaliteAnswer>;
  close(): Promise<void>;
}

export interface DynaliteOptions {
  /** Where LevelDB keeps the tables; in memory when absent. */
  readonly path?: string;
  /**
   * `worker` (default) runs dynalite on a worker thread, so its request parsing, condition and update expressions
   * and LevelDB work use a second core instead of the thread running the endpoint and the functions; `main` runs
   * it on the caller's thread, as before (to compare, or where threads are unwelcome).
   */
  readonly thread?: "worker" | "main";
}

/** Dynalite stopped answering: its thread failed, or it was closed. */
export class DynaliteUnavailableError extends Error {
  override readonly name = "DynaliteUnavailableError";
  readonly code = "DynaliteUnavailable";
}

const DYNALITE_SETTINGS = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 } as const;

/**
 * Starts dynalite, a real DynamoDB API (LevelDB underneath), on a free loopback port, on its own worker thread
 * unless `thread: "main"`. In memory unless `path` is given. Tables are ACTIVE (or gone) once CreateTable
 * (DeleteTable) has answered through `forward`.
 */
export async function startDynalite(options: DynaliteOptions = {}): Promise<DynaliteServer> {
  const settings = { ...DYNALITE_SETTINGS, ...(options.path ? { path: options.path } : {}) };
  const server = await (options.thread === "main" ? startDynaliteHere(settings) : startDynaliteWorker(settings));
  return { ...server, forward: (req) => settleTableChange(server.forward, req) };
}

/** What `X-Amz-Target` of a DynamoDB request starts with; the operation follows. */
export const DYNAMODB_TARGET_PREFIX = "DynamoDB_20120810.";
/** How long to wait for a created table to turn ACTIVE, or a deleted one to go, before answering anyway. */
const SETTLE_LIMIT_MS = 2_000;

/**
 * Dynalite answers CreateTable with the table CREATING and makes it ACTIVE one LevelDB write later (DeleteTable
 * likewise); an item written in between gets ResourceNotFoundException. Over its own HTTP port that write used to
 * win the race; over a message port, with tables on disk, it does not. So the answer waits until the table has
 * settled, as code that creates a table and writes at once (the local runtime's provisioning) expects.
 */
async function settleTableChange(forward: DynaliteServer["forward"], req: DynaliteRequest): Promise<DynaliteAnswer> {
  const answer = await forward(req);
  const operation = String(req.headers["x-amz-target"] ?? "");
  const creating = operation === `${DYNAMODB_TARGET_PREFIX}CreateTable`;
  if (answer.status !== 200 || !(creating || operation === `${DYNAMODB_TARGET_PREFIX}DeleteTable`)) return answer;
  const tableName = (JSON.parse(req.body.toString("utf8")) as { TableName?: unknown }).TableName;
  const describe: DynaliteRequest = {
    ...req,
    headers: { ...req.headers, "x-amz-target": `${DYNAMODB_TARGET_PREFIX}DescribeTable` },
    body: Buffer.from(JSON.stringify({ TableName: tableName })),
  };
  const deadline = performance.now() + SETTLE_LIMIT_MS;
  while (performance.now() < deadline) {
    const described = await forward(describe);
    const status = (JSON.parse(described.body.toString("utf8")) as { Table?: { TableStatus?: string } }).Table
      ?.TableStatus;
    if (creating ? status === "ACTIVE" : described.status === 400) break;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return answer;
}

async function startDynaliteHere(settings: typeof DYNALITE_SETTINGS & { path?: string }): Promise<DynaliteServer> {
  const server = dynalite(settings);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    thread: "main",
    forward: (req) => forwardToDynalite(url, req),
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

type WorkerMessage =
  | { readonly type: "listening"; readonly port: number }
  | { readonly type: "start-failed"; readonly message: string }
  | {
      readonly type: "answer";
      readonly id: number;
      readonly status: number;
      readonly headers: Record<string, string>;
      readonly body: Uint8Array;
    }
  | { readonly type: "failed"; readonly id: number; readonly message: string }
  | { readonly type: "closed"; readonly message?: string };

interface Pending {
  readonly resolve: (answer: DynaliteAnswer) => void;
  readonly reject: (error: Error) => void;
}

async function startDynaliteWorker(settings: typeof DYNALITE_SETTINGS & { path?: string }): Promise<DynaliteServer> {
  const worker = new Worker(new URL("./dynalite-worker.mjs", import.meta.url), { workerData: { options: settings } });
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let stopped: Error | undefined;
  let onClosed: ((message?: string) => void) | undefined;
  const stop = (error: Error) => {
    stopped ??= error;
    for (const waiting of pending.values()) waiting.reject(stopped);
    pending.clear();
  };
  const port = await new Promise<number>((resolve, reject) => {
    worker.on("message", (message: WorkerMessage) => {
      switch (message.type) {
        case "listening":
          resolve(message.port);
          break;
        case "start-failed":
          reject(new DynaliteUnavailableError(`dynalite did not start: ${message.message}`));
          break;
        case "answer": {
          const waiting = pending.get(message.id);
          pending.delete(message.id);
          waiting?.resolve({
            status: message.status,
            headers: message.headers,
            body: Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength),
          });
          break;
        }
        case "failed": {
          const waiting = pending.get(message.id);
          pending.delete(message.id);
          waiting?.reject(new DynaliteUnavailableError(`dynalite failed on a request: ${message.message}`));
          break;
        }
        case "closed":
          onClosed?.(message.message);
          break;
      }
    });
    worker.on("error", (error) => {
      const failure = new DynaliteUnavailableError(
        `dynalite's worker thread failed (${error.message}); restart the local runtime.`,
        { cause: error },
      );
      stop(failure);
      reject(failure);
    });
    worker.on("exit", (code) => {
      const exited = new DynaliteUnavailableError(`dynalite's worker thread exited (code ${code}).`);
      stop(exited);
      reject(exited);
      onClosed?.();
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    thread: "worker",
    forward(req) {
      if (stopped) return Promise.reject(stopped);
      const id = nextId++;
      return new Promise<DynaliteAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // An exact-size copy, handed over rather than cloned (a small Buffer is a slice of a shared 8 KiB pool).
        const body = new Uint8Array(req.body);
        const headers = headersDynaliteReads(req.headers);
        worker.postMessage({ type: "request", id, method: req.method, url: req.url, headers, body }, [body.buffer]);
      });
    },
    async close() {
      if (stopped) return;
      const closed = new Promise<string | undefined>((resolve) => {
        onClosed = resolve;
      });
      worker.postMessage({ type: "close" });
      const message = await closed;
      stop(new DynaliteUnavailableError("dynalite is closed."));
      await worker.terminate();
      if (message) throw new DynaliteUnavailableError(`dynalite did not close cleanly: ${message}`);
    },
  };
}

/** The request headers dynalite's handler reads; the others would only be copied to its thread for nothing. */
const HEADERS_DYNALITE_READS = [
  "content-type",
  "x-amz-target",
  "authorization",
  "x-amz-date",
  "date",
  "origin",
  "access-control-request-headers",
  "access-control-request-method",
] as const;

function headersDynaliteReads(headers: DynaliteRequest["headers"]): Record<string, string | string[]> {
  const read: Record<string, string | string[]> = {};
  for (const name of HEADERS_DYNALITE_READS) {
    const value = headers[name];
    if (value !== undefined) read[name] = value;
  }
  return read;
}

/** Headers of dynalite's connection, not of its answer (its `keep-alive: timeout=5` is not the endpoint's). */
const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "content-length",
  "connection",
  "transfer-encoding",
  "keep-alive",
]);

/** Sends one DynamoDB request to dynalite's HTTP port unchanged. */
export function forwardToDynalite(dynaliteUrl: string, req: DynaliteRequest): Promise<DynaliteAnswer> {
  const target = new URL(dynaliteUrl);
  return new Promise<DynaliteAnswer>((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, "content-length": String(req.body.length) };
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const responseHeaders: Record<string, string> = {};
          for (const [key, value] of Object.entries(res.headers)) {
            if (value !== undefined && !HOP_BY_HOP_HEADERS.has(key)) {
              responseHeaders[key] = Array.isArray(value) ? value.join(", ") : value;
            }
          }
          resolve({ status: res.statusCode ?? 500, headers: responseHeaders, body: Buffer.concat(chunks) });
        });
        res.on("error", reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(req.body);
  });
}
