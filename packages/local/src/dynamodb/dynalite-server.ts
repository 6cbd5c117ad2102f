import type { AddressInfo } from "node:net";
import { request } from "node:http";
import dynalite from "dynalite";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";

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
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
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

/**
 * DynamoDB behind the shared endpoint: requests with `X-Amz-Target: DynamoDB_20120810.*` are
 * forwarded unchanged to dynalite.
 */
export function createDynamoDbProxyService(dynaliteUrl: string): LocalService {
  const target = new URL(dynaliteUrl);
  return {
    name: "DynamoDB",
    canHandle: (req) => String(req.headers["x-amz-target"] ?? "").startsWith("DynamoDB_20120810."),
    handle: (req: LocalRequest) =>
      new Promise<LocalResponse>((resolve, reject) => {
        const headers = { ...req.headers, host: target.host, "content-length": String(req.body.length) };
        const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            const responseHeaders: Record<string, string> = {};
            for (const [key, value] of Object.entries(res.headers)) {
              if (value !== undefined && key !== "content-length" && key !== "connection" && key !== "transfer-encoding") {
                responseHeaders[key] = Array.isArray(value) ? value.join(", ") : value;
              }
            }
            resolve({ status: res.statusCode ?? 500, headers: responseHeaders, body: Buffer.concat(chunks) });
          });
          res.on("error", reject);
        });
        upstream.on("error", reject);
        upstream.end(req.body);
      }),
  };
}
