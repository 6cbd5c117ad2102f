import type { AddressInfo } from "node:net";
import { request } from "node:http";
import dynalite from "dynalite";
import type { LocalRequest } from "../http/local-endpoint";

export interface DynaliteServer {
  /** Dynalite's own URL (a private port); clients normally use the shared local endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts dynalite, a real DynamoDB API (LevelDB underneath), on a free loopback port.
 * In memory unless `path` is given. Tables are ACTIVE at once.
 */
export async function startDynalite(options: { path?: string } = {}): Promise<DynaliteServer> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path ? { path: options.path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Headers of dynalite's connection, not of its answer (its `keep-alive: timeout=5` is not the endpoint's). */
const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "content-length",
  "connection",
  "transfer-encoding",
  "keep-alive",
]);

/** What dynalite answered, as received. */
export interface DynaliteAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Sends one DynamoDB request to dynalite unchanged. */
export function forwardToDynalite(
  dynaliteUrl: string,
  req: Pick<LocalRequest, "method" | "url" | "headers" | "body">,
): Promise<DynaliteAnswer> {
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
