import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as awsSesV2LocalModule from "aws-ses-v2-local";
import * as awsSesV2LocalStore from "aws-ses-v2-local/dist/store.js";

type StartAwsSesV2Local = (config?: Partial<{ host: string; port: number }>) => Promise<Server>;

/**
 * aws-ses-v2-local's start function. It is CommonJS with `exports.default = server`: under native
 * ESM (tsx, vitest) the whole `module.exports` is the default export, so the function sits at
 * `default.default`; a bundler honouring `__esModule` puts it at `default`. Take whichever is there.
 */
function resolveStartFunction(module: unknown): StartAwsSesV2Local {
  let candidate: unknown = module;
  for (let depth = 0; depth < 3 && typeof candidate !== "function"; depth += 1) {
    candidate =
      typeof candidate === "object" && candidate !== null ? (candidate as { default?: unknown }).default : undefined;
  }
  if (typeof candidate !== "function")
    throw new TypeError("aws-ses-v2-local exports no start function (checked default and default.default)");
  return candidate as StartAwsSesV2Local;
}

export interface AwsSesV2LocalServer {
  /** Its own URL on a private loopback port, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts aws-ses-v2-local (an Express app) on a free loopback port. Note that its mail store is
 * module-global: every instance in one process shares the same list of emails.
 */
export async function startAwsSesV2Local(options: { host?: string } = {}): Promise<AwsSesV2LocalServer> {
  const host = options.host ?? "127.0.0.1";
  const server = await resolveStartFunction(awsSesV2LocalModule)({ host, port: 0 });
  // Express hands a listen error to the callback, and aws-ses-v2-local resolves anyway.
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once("listening", resolve);
      server.once("error", reject);
    });
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface UpstreamRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

/** aws-ses-v2-local did not answer (closed, crashed, or silent for 10 s). */
export class AwsSesV2LocalUnavailableError extends Error {
  override readonly name = "AwsSesV2LocalUnavailableError";
}

/**
 * Sends one request to aws-ses-v2-local and reads the whole answer. Throws
 * {@link AwsSesV2LocalUnavailableError} when it does not answer within 10 s: some of its routes
 * never answer at all.
 */
export async function requestAwsSesV2Local(baseUrl: string, request: UpstreamRequest): Promise<UpstreamResponse> {
  try {
    const response = await fetch(new URL(request.url, baseUrl), {
      method: request.method,
      headers: request.headers ?? {},
      ...(request.body === undefined || request.method === "GET" || request.method === "HEAD"
        ? {}
        : { body: request.body }),
      signal: AbortSignal.timeout(10_000),
    });
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "application/octet-stream",
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch (error) {
    throw new AwsSesV2LocalUnavailableError(
      `aws-ses-v2-local at ${baseUrl} did not answer ${request.method} ${request.url}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** One email in aws-ses-v2-local's store, as it keeps it (and as `GET /store` lists it). */
export type AwsSesV2LocalEmail = AwsSesV2LocalStoreModule extends { getStoreReadonly(): { emails: (infer E)[] } }
  ? E
  : never;
type AwsSesV2LocalStoreModule = typeof awsSesV2LocalStore;

/** The store module's functions, wherever the CommonJS interop put them (see {@link resolveStartFunction}). */
function storeModule(): Pick<AwsSesV2LocalStoreModule, "getStoreReadonly"> {
  const candidates: unknown[] = [awsSesV2LocalStore, (awsSesV2LocalStore as { default?: unknown }).default];
  const found = candidates.find(
    (candidate) => typeof (candidate as { getStoreReadonly?: unknown } | undefined)?.getStoreReadonly === "function",
  );
  if (!found) throw new TypeError("aws-ses-v2-local/dist/store.js exports no getStoreReadonly");
  return found as Pick<AwsSesV2LocalStoreModule, "getStoreReadonly">;
}

/** The email aws-ses-v2-local stored under `messageId`, if it holds one. */
export function findAwsSesV2LocalEmail(messageId: string): AwsSesV2LocalEmail | undefined {
  return storeModule()
    .getStoreReadonly()
    .emails.find((email) => email.messageId === messageId);
}

/**
 * Puts emails sent in an earlier run back into aws-ses-v2-local's store, so its mail page and
 * `GET /store` list them again; one already there (same message id) is left alone. Written to the
 * store directly, not through its `saveEmail`, which would send each again to an SMTP server
 * configured by `SMTP_TRANSPORT`.
 */
export function restoreAwsSesV2LocalEmails(emails: readonly AwsSesV2LocalEmail[]): void {
  const stored = storeModule().getStoreReadonly().emails;
  const present = new Set(stored.map((email) => email.messageId));
  for (const email of emails) {
    if (present.has(email.messageId)) continue;
    // The store hands out its own array as "readonly"; restoring is the one write besides sending.
    (stored as AwsSesV2LocalEmail[]).push(email);
    present.add(email.messageId);
  }
}
