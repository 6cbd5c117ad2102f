import { AsyncLocalStorage } from "node:async_hooks";
import { Agent, type ClientRequest, type IncomingMessage, type Server } from "node:http";

/** Requests of one kind that reached the local endpoint. */
export interface RequestCount {
  /** `DynamoDB`, `EventBridge`, `Lambda`, `SES`, `SNS` or `other`. */
  readonly service: string;
  readonly operation: string;
  /** Table, function or topic the requests were about, where the request names one. */
  readonly resource: string;
  /**
   * The function whose invocation sent them (its local function name), or `OUTSIDE_FUNCTIONS`
   * for the callers' requests (the callbacks' PutEvents) and the harness's.
   */
  readonly caller: string;
  readonly requests: number;
  /** PutEvents: entries in those requests (EventBridge bills per entry). */
  readonly entries?: number;
}

/** The caller of requests sent outside any function's invocation. */
export const OUTSIDE_FUNCTIONS = "(outside the functions)";

/**
 * The function each request is sent for: `probeFunctions` runs every invocation inside it, and
 * the async context follows the invocation into the SDK call that sends the request.
 */
export const requestCaller = new AsyncLocalStorage<string>();

/** The header the bench adds to a request sent inside an invocation, naming the function; the endpoint ignores it. */
const CALLER_HEADER = "x-payment3-bench-caller";

const LAMBDA_INVOKE = /^\/2015-03-31\/functions\/([^/?]+)\/invocations/;

/** What one request was, from its headers, path and body, as the endpoint routes it. */
function classify(request: IncomingMessage, body: string): Omit<RequestCount, "requests"> {
  const caller = String(request.headers[CALLER_HEADER] ?? OUTSIDE_FUNCTIONS);
  return { ...classifyOperation(request, body), caller };
}

function classifyOperation(request: IncomingMessage, body: string): Omit<RequestCount, "requests" | "caller"> {
  const target = String(request.headers["x-amz-target"] ?? "");
  const json = () => {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  };
  if (target.startsWith("DynamoDB_20120810.")) {
    return {
      service: "DynamoDB",
      operation: target.slice("DynamoDB_20120810.".length),
      resource: String(json().TableName ?? ""),
    };
  }
  if (target.startsWith("AWSEvents.")) {
    const operation = target.slice("AWSEvents.".length);
    const parsed = json();
    if (operation === "PutEvents") {
      const entries = Array.isArray(parsed.Entries) ? (parsed.Entries as { EventBusName?: string }[]) : [];
      return {
        service: "EventBridge",
        operation,
        resource: String(entries[0]?.EventBusName ?? "default"),
        entries: entries.length,
      };
    }
    return { service: "EventBridge", operation, resource: String(parsed.EventBusName ?? parsed.Name ?? "") };
  }
  const invoke = LAMBDA_INVOKE.exec(request.url ?? "");
  if (invoke) return { service: "Lambda", operation: "Invoke", resource: decodeURIComponent(invoke[1]!) };
  const form = new URLSearchParams(body);
  const action = form.get("Action");
  if (action) {
    // The SigV4 credential scope names the service: Credential=<key>/<date>/<region>/<service>/aws4_request.
    const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(request.headers.authorization ?? ""))?.[1];
    const service = scope === "ses" ? "SES" : scope === "sns" ? "SNS" : (scope ?? "other");
    return { service, operation: action, resource: form.get("TopicArn")?.split(":").at(-1) ?? "" };
  }
  return { service: "other", operation: `${request.method} ${request.url}`, resource: "" };
}

/**
 * Names the calling function on each HTTP request sent inside an invocation (`requestCaller`):
 * every SDK request goes through an `http.Agent` (the SDK's keep-alive agent), whose
 * `addRequest` runs in the sender's async context before the headers are written. Returns the
 * undo.
 */
function tagRequestsWithCaller(): () => void {
  // Not in Node's typings: the agent's entry point for every request (node:_http_agent).
  const agent = Agent.prototype as unknown as { addRequest(request: ClientRequest, ...rest: unknown[]): void };
  const addRequest = agent.addRequest;
  agent.addRequest = function (this: unknown, request: ClientRequest, ...rest: unknown[]) {
    const caller = requestCaller.getStore();
    if (caller !== undefined && !request.headersSent) request.setHeader(CALLER_HEADER, caller);
    return addRequest.call(this, request, ...rest);
  };
  return () => {
    agent.addRequest = addRequest;
  };
}

/**
 * Counts the requests the local endpoint serves from now until `stop()`, by service, operation,
 * resource and calling function, reading each request's headers and body alongside the endpoint
 * (which is not changed). This is what AWS would see and bill.
 */
export function countEndpointRequests(server: Server): { stop(): RequestCount[] } {
  const untag = tagRequestsWithCaller();
  const counts = new Map<string, { key: Omit<RequestCount, "requests">; requests: number; entries: number }>();
  const onRequest = (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const key = classify(request, Buffer.concat(chunks).toString("utf8"));
      const id = `${key.service}|${key.operation}|${key.resource}|${key.caller}`;
      const count = counts.get(id) ?? { key, requests: 0, entries: 0 };
      count.requests += 1;
      count.entries += key.entries ?? 0;
      counts.set(id, count);
    });
  };
  server.on("request", onRequest);
  return {
    stop() {
      server.off("request", onRequest);
      untag();
      return [...counts.values()]
        .map(({ key, requests, entries }) => ({ ...key, requests, ...(key.entries !== undefined ? { entries } : {}) }))
        .sort(
          (a, b) =>
            a.service.localeCompare(b.service) ||
            a.operation.localeCompare(b.operation) ||
            a.resource.localeCompare(b.resource) ||
            a.caller.localeCompare(b.caller),
        );
    },
  };
}
