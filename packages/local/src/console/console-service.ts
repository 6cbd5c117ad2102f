import { readdirSync, readFileSync } from "node:fs";
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import type {
  LocalAsyncInvocations,
  LocalEventBridge,
  LocalRequest,
  LocalResponse,
  LocalService,
  PublishedSnsMessage,
  ReplayProgress,
} from "@payment3/aws-local";
import { DEFAULT_FLOW_CAPACITY, FlowRecorder, type FlowFilter } from "./flow-recorder";
import { OrderHistory } from "./order-history";
import { buildOrderTimeline, snsMessagesOfOrder } from "./order-timeline";
import { refuseUnsafeRequest } from "./post-guard";
import { explainRuleMatches, listRuleViews } from "./rule-explanation";

/** Where the console page lives: `http://127.0.0.1:4566/_local/console/`. */
export const CONSOLE_PATH = "/_local/console/";

/** What the console reads about orders; the runtime gives it once the tables exist. */
export interface ConsoleOrderSource {
  readonly readOrder: (orderId: string) => Promise<Record<string, unknown> | undefined>;
  readonly readAuditRows: (orderId: string) => Promise<Record<string, unknown>[]>;
  readonly readEmailLogRows: (orderId: string) => Promise<Record<string, unknown>[]>;
  readonly listSnsMessages: () => readonly PublishedSnsMessage[];
  /**
   * Whether a delivery to this rule may change an order: the order's history is read after it. Absent, no history
   * is kept (it costs two order reads per confirmation) and the timeline shows the header as it is now.
   */
  readonly changesOrders?: (ruleName: string) => boolean;
  readonly mailPageUrl: string;
}

export interface LocalConsoleOptions {
  /** Flow records kept (a ring buffer). Default {@link DEFAULT_FLOW_CAPACITY}. */
  readonly flowCapacity?: number;
  /** A host other than loopback the endpoint was started on, whose Host header is accepted. */
  readonly host?: string;
  readonly warn?: (message: string) => void;
}

/** The local console: its flow recorder, the routes it adds to the operator API, and its page. */
export interface LocalConsole {
  readonly flow: FlowRecorder;
  readonly service: LocalService;
  /** Lets the console show order timelines (the runtime calls it once provisioned). */
  useOrders(source: ConsoleOrderSource): void;
  /** The order history's reads in flight, for tests. */
  ordersSettled(): Promise<void>;
}

const PAGE_DIRECTORY = fileURLToPath(new URL("./page/", import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
};
/** The page loads only its own files, runs no inline script and sends nothing anywhere else. */
const PAGE_SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

const json = (status: number, body: unknown): LocalResponse => ({
  status,
  headers: { "content-type": "application/json", "cache-control": "no-store" },
  body: JSON.stringify(body),
});

/** The console's page files, read once: name → content. */
function readPageFiles(): Map<string, { readonly type: string; readonly body: Buffer }> {
  const files = new Map<string, { readonly type: string; readonly body: Buffer }>();
  for (const name of readdirSync(PAGE_DIRECTORY)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) files.set(name, { type, body: readFileSync(new URL(`./page/${name}`, import.meta.url)) });
  }
  return files;
}

function readJsonBody(request: LocalRequest): Record<string, unknown> {
  const parsed: unknown = request.body.length ? JSON.parse(request.body.toString("utf8")) : {};
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new ConsoleRequestError("the body must be a JSON object");
  return parsed as Record<string, unknown>;
}

/** A request the console API cannot act on; answered 400 with the message. */
export class ConsoleRequestError extends Error {
  override readonly name = "ConsoleRequestError";
  readonly code = "CONSOLE_BAD_REQUEST";
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The local console (`/_local/console/`): a page of static files and the operator API routes it reads, all on the
 * runtime's one endpoint. See packages/local/README.md for the routes. Never part of what is deployed.
 */
export function createLocalConsole(
  eventBridge: LocalEventBridge,
  functionRuns: Pick<LocalAsyncInvocations, "onRunEnded">,
  options: LocalConsoleOptions = {},
): LocalConsole {
  const flow = new FlowRecorder(eventBridge, options.flowCapacity ?? DEFAULT_FLOW_CAPACITY, functionRuns);
  const pageFiles = readPageFiles();
  let orders: { source: ConsoleOrderSource; history: OrderHistory | undefined } | undefined;
  const extraHosts = options.host ? [options.host] : [];

  function archives() {
    return (eventBridge.listArchives().Archives ?? []).map((archive) => {
      const events = eventBridge.previewReplay(archive.ArchiveName, new Date(0), new Date(8.64e15));
      return {
        name: archive.ArchiveName,
        eventBusName: eventBridge.resolveEventBusName(archive.EventSourceArn),
        state: archive.State,
        eventCount: archive.EventCount,
        sizeBytes: archive.SizeBytes,
        retentionDays: archive.RetentionDays,
        firstEventTime: events[0]?.event.time ?? null,
        lastEventTime: events.at(-1)?.event.time ?? null,
      };
    });
  }

  function replays() {
    return (eventBridge.listReplays().Replays ?? []).map((replay) => {
      const progress = eventBridge.getReplayProgress(replay.ReplayName);
      return {
        name: replay.ReplayName,
        archiveName: replay.EventSourceArn.split("/").at(-1) ?? replay.EventSourceArn,
        state: replay.State,
        stateReason: replay.StateReason ?? null,
        eventStartTime: replay.EventStartTime.toISOString(),
        eventEndTime: replay.EventEndTime.toISOString(),
        eventsReplayed: progress.eventsReplayed,
        eventsTotal: progress.eventsTotal,
      };
    });
  }

  function startReplay(body: Record<string, unknown>) {
    const archiveName = String(body.archiveName ?? "");
    const start = new Date(String(body.start));
    const end = new Date(String(body.end));
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
      throw new ConsoleRequestError("start and end must be ISO-8601 times");
    const archive = eventBridge.describeArchive({ ArchiveName: archiveName });
    const ruleArns = Array.isArray(body.ruleArns) ? body.ruleArns.map(String) : [];
    const replayName =
      typeof body.replayName === "string" && body.replayName ? body.replayName : `console-${Date.now()}`;
    const started = eventBridge.startReplay({
      ReplayName: replayName,
      Description: `from the local console${ruleArns.length ? ` to ${ruleArns.length} rule(s)` : ""}`,
      EventSourceArn: archive.ArchiveArn,
      EventStartTime: start,
      EventEndTime: end,
      Destination: { Arn: archive.EventSourceArn, ...(ruleArns.length ? { FilterArns: ruleArns } : {}) },
    });
    return { replayName, replayArn: started.ReplayArn, state: started.State };
  }

  function stream(): LocalResponse {
    return {
      status: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" },
      stream: (write) => {
        write(`retry: 2000\n${sse("hello", { size: flow.size })}`);
        const stops = [
          flow.subscribe((record) => write(sse("flow", record))),
          eventBridge.onReplayProgress((progress: ReplayProgress) => write(sse("replay", progress))),
        ];
        const heartbeat = setInterval(() => write(": keep-alive\n\n"), 15_000);
        heartbeat.unref();
        return () => {
          clearInterval(heartbeat);
          for (const stop of stops) stop();
        };
      },
    };
  }

  async function timeline(orderId: string): Promise<LocalResponse> {
    if (!orders)
      return json(404, { message: "this endpoint reads no orders; order timelines need the runtime (npm start)" });
    const { source, history } = orders;
    await history?.settled();
    const [order, auditRows, emailLogRows] = await Promise.all([
      source.readOrder(orderId),
      source.readAuditRows(orderId),
      source.readEmailLogRows(orderId),
    ]);
    return json(
      200,
      buildOrderTimeline({
        orderId,
        flow: flow.ofOrder(orderId),
        snapshots: history?.of(orderId) ?? null,
        records: { order, auditRows, emailLogRows, snsMessages: snsMessagesOfOrder(source.listSnsMessages(), orderId) },
        mailPageUrl: source.mailPageUrl,
      }),
    );
  }

  function page(path: string): LocalResponse {
    const file = pageFiles.get(path === "" ? "index.html" : path);
    if (!file) return json(404, { message: `the console has no file ${path}` });
    return { status: 200, headers: { "content-type": file.type, ...PAGE_SECURITY_HEADERS }, body: file.body };
  }

  async function route(request: LocalRequest, url: URL, path: string): Promise<LocalResponse | undefined> {
    const method = request.method;
    if (method === "GET" && path === "console") return { status: 308, headers: { location: CONSOLE_PATH } };
    if (method === "GET" && path.startsWith("console/")) return page(path.slice("console/".length));
    if (method === "GET" && path === "flow") {
      const parameter = (name: string) => url.searchParams.get(name) || undefined;
      const filter: FlowFilter = Object.fromEntries(
        (["source", "detailType", "orderId", "outcome"] as const).flatMap((name) => {
          const value = parameter(name);
          return value === undefined ? [] : [[name, value]];
        }),
      );
      const limit = Math.min(500, Math.max(1, Number(parameter("limit") ?? 100) || 100));
      const before = parameter("beforeSeq");
      return json(200, flow.page(filter, { limit, ...(before ? { beforeSeq: Number(before) } : {}) }));
    }
    if (method === "GET" && path === "flow/stream") return stream();
    const one = /^flow\/records\/(.+)$/.exec(path);
    if (method === "GET" && one) {
      const record = flow.get(decodeURIComponent(one[1]!));
      return record
        ? json(200, record)
        : json(404, { message: "no such flow record (the console keeps the latest ones)" });
    }
    const ofOrder = /^orders\/([^/]+)\/timeline$/.exec(path);
    if (method === "GET" && ofOrder) return timeline(decodeURIComponent(ofOrder[1]!));
    if (method === "GET" && path === "rules") return json(200, listRuleViews(eventBridge));
    if (method === "POST" && path === "rules/explain") {
      const body = readJsonBody(request);
      const event = typeof body.key === "string" ? flow.get(body.key)?.event : body.event;
      if (typeof event !== "object" || event === null)
        throw new ConsoleRequestError("give { key } of a flow record or { event } with the event as a JSON object");
      return json(200, { event, rules: explainRuleMatches(listRuleViews(eventBridge), event) });
    }
    if (method === "GET" && path === "archives") return json(200, { archives: archives(), replays: replays() });
    if (method === "POST" && path === "replays") return json(200, startReplay(readJsonBody(request)));
    return undefined;
  }

  const service: LocalService = {
    name: "payment3 local console",
    canHandle: (request) =>
      /^\/_local\/(console(\/|$|\?)|flow(\/|$|\?)|orders\/|rules(\/|$|\?)|archives(\/|$|\?)|replays(\/|$|\?))/.test(
        request.url,
      ),
    async handle(request) {
      const refused = refuseUnsafeRequest(request, extraHosts);
      if (refused) return refused;
      const url = new URL(request.url, "http://local");
      try {
        const answer = await route(request, url, url.pathname.slice("/_local/".length));
        return answer ?? json(404, { message: `no operator API at ${request.method} ${url.pathname}` });
      } catch (error) {
        const e = error as { name?: string; message?: string };
        const status = e.name?.includes("NotFound") ? 404 : e.name === "InternalFailure" ? 500 : 400;
        return json(status, { message: e.message ?? String(error) });
      }
    },
  };

  return {
    flow,
    service,
    useOrders(source) {
      orders?.history?.close();
      orders = {
        source,
        history: source.changesOrders
          ? new OrderHistory(eventBridge, {
              readOrder: source.readOrder,
              changesOrders: source.changesOrders,
              functionRuns,
              ...(options.warn ? { warn: options.warn } : {}),
            })
          : undefined,
      };
    },
    ordersSettled: () => orders?.history?.settled() ?? Promise.resolve(),
  };
}
