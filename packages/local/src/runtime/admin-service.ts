/** Path prefix of the local runtime's own operator API (not an AWS API). */
export const ADMIN_PATH_PREFIX = "/_local/";
import type { LocalEventBridge, LocalRequest, LocalResponse, LocalService } from "@payment3/aws-local";

/** A dead letter as the operator API shows it. */
export interface DeadLetterSummary {
  readonly id: string;
  readonly eventId: string;
  readonly detailType: string;
  readonly orderId: string | null;
  readonly paymentId: string | null;
  readonly ruleName: string;
  readonly targetId: string;
  readonly queue: string;
  readonly error: string;
  readonly retryAttempts: number;
  readonly time: string;
}

/** An archived event a replay would deliver, and to which rules. */
export interface ReplayPreviewItem {
  readonly eventId: string;
  readonly time: string;
  readonly detailType: string;
  readonly orderId: string | null;
  readonly paymentId: string | null;
  readonly rules: readonly string[];
}

const json = (status: number, body: unknown): LocalResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const field = (detail: unknown, key: string) => {
  const value = (detail as Record<string, unknown> | undefined)?.[key];
  return typeof value === "string" ? value : null;
};

function readBody(request: LocalRequest): Record<string, unknown> {
  if (request.body.length === 0) return {};
  const parsed: unknown = JSON.parse(request.body.toString("utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("the body must be a JSON object");
  return parsed as Record<string, unknown>;
}

/**
 * The local runtime's operator API, for the CLI's `dlq` and `replay --dry-run` (AWS has SQS
 * and no archive reader; locally these live in the runtime's memory):
 *
 * - `GET  /_local/dead-letters[?rule=<name>]`, `GET /_local/dead-letters/<id>` (the whole letter)
 * - `POST /_local/dead-letters/redrive` `{ "ids"?: [...], "rule"?: "<name>" }`
 * - `POST /_local/replay-preview` `{ "archiveName", "start", "end", "ruleArns"? }` (ISO times)
 * - `GET  /_local/statistics`
 */
export function createAdminService(eventBridge: LocalEventBridge): LocalService {
  const summarize = (letter: ReturnType<LocalEventBridge["listDeadLetters"]>[number]): DeadLetterSummary => ({
    id: letter.id,
    eventId: letter.event.id,
    detailType: letter.event["detail-type"],
    orderId: field(letter.event.detail, "orderId"),
    paymentId: field(letter.event.detail, "paymentId"),
    ruleName: letter.ruleName,
    targetId: letter.targetId,
    queue: letter.deadLetterArn.split(":").at(-1) ?? letter.deadLetterArn,
    error: `${letter.errorName}: ${letter.errorMessage}`,
    retryAttempts: letter.retryAttempts,
    time: letter.time.toISOString(),
  });
  const routes: Record<string, (request: LocalRequest, url: URL) => Promise<LocalResponse> | LocalResponse> = {
    "GET dead-letters": (_request, url) => {
      const rule = url.searchParams.get("rule");
      return json(200, eventBridge.listDeadLetters(rule ? { ruleName: rule } : {}).map(summarize));
    },
    "POST dead-letters/redrive": async (request) => {
      const body = readBody(request);
      const ids = Array.isArray(body.ids) ? body.ids.map(String) : undefined;
      const rule = typeof body.rule === "string" ? body.rule : undefined;
      // One attempt each: an operator wants to know now whether the fix worked.
      const report = await eventBridge.redriveDeadLetters(
        { ...(ids ? { ids } : {}), ...(rule ? { ruleName: rule } : {}) },
        { singleAttempt: true },
      );
      return json(200, report);
    },
    "POST replay-preview": (request) => {
      const body = readBody(request);
      const start = new Date(String(body.start));
      const end = new Date(String(body.end));
      if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
        return json(400, { message: "start and end must be ISO-8601 times" });
      const ruleArns = Array.isArray(body.ruleArns) ? body.ruleArns.map(String) : undefined;
      const items: ReplayPreviewItem[] = eventBridge
        .previewReplay(String(body.archiveName), start, end, ruleArns)
        .map(({ event, ruleNames }) => ({
          eventId: event.id,
          time: event.time,
          detailType: event["detail-type"],
          orderId: field(event.detail, "orderId"),
          paymentId: field(event.detail, "paymentId"),
          rules: ruleNames,
        }));
      return json(200, items);
    },
    "GET statistics": () => json(200, eventBridge.getStatistics()),
  };
  return {
    name: "payment3 local operator API",
    canHandle: (request) => request.url.startsWith(ADMIN_PATH_PREFIX),
    async handle(request) {
      const url = new URL(request.url, "http://local");
      const path = url.pathname.slice(ADMIN_PATH_PREFIX.length);
      const one = /^dead-letters\/([^/]+)$/.exec(path);
      if (request.method === "GET" && one && one[1] !== "redrive") {
        try {
          return json(200, eventBridge.getDeadLetter(decodeURIComponent(one[1]!)));
        } catch (error) {
          return json(404, { message: (error as Error).message });
        }
      }
      const route = routes[`${request.method} ${path}`];
      if (!route) return json(404, { message: `no operator API at ${request.method} ${url.pathname}` });
      try {
        return await route(request, url);
      } catch (error) {
        const e = error as { name?: string; message?: string };
        return json(e.name?.includes("NotFound") ? 404 : 400, { message: e.message ?? String(error) });
      }
    },
  };
}
