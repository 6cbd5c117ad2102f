/** Path prefix of the local runtime's own operator API (not an AWS API). */
export const ADMIN_PATH_PREFIX = "/_local/";
import type { BusinessMetricsCounter, MeasurementSummary } from "@payment3/core";
import type {
  AsyncInvocationFailure,
  LocalAsyncInvocations,
  LocalEventBridge,
  LocalRequest,
  LocalResponse,
  LocalService,
  RedriveReport,
  RedriveResult,
} from "@payment3/aws-local";
import { refuseUnsafeRequest } from "../console/post-guard";

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

/** What the operator API shows as the "event" of a failed asynchronous Lambda invocation (it has no bus event). */
export const ASYNC_INVOKE_DETAIL_TYPE = "Lambda async invoke";

/** The subscriptions' business counts since the runtime started, as `GET /_local/business-metrics` answers. */
export interface BusinessMetricsReport {
  readonly since: string;
  /** Keyed `Name` or `Name dimension=VALUE` (`OrderPaymentFailed reason=PAYMENT_DECLINED`). */
  readonly counts: Readonly<Record<string, number>>;
  readonly measurements: Readonly<Record<string, MeasurementSummary>>;
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

/** A field of an invocation payload (a JSON string or an object), under its name or its snake_case alias. */
function payloadField(payload: unknown, key: string, alias: string): string | null {
  let value = payload;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const record = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  const found = record[key] ?? record[alias];
  return typeof found === "string" || typeof found === "number" ? String(found) : null;
}

/** The EventBridge event a Lambda target was invoked with, when the payload is one. */
function busEventOf(payload: unknown): { id: string; "detail-type": string; detail: unknown } | undefined {
  const event = payload as { id?: unknown; "detail-type"?: unknown; detail?: unknown } | null;
  return typeof event === "object" &&
    event !== null &&
    typeof event.id === "string" &&
    typeof event["detail-type"] === "string"
    ? { id: event.id, "detail-type": event["detail-type"], detail: event.detail }
    : undefined;
}

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
 * - `GET  /_local/business-metrics`: the subscriptions' business counts since start (what the
 *   functions write to CloudWatch on AWS)
 *
 * The console's routes (`/_local/flow`, `rules`, `orders/<id>/timeline`, `archives`, `replays`) are
 * in `console/console-service.ts`. Both refuse a non-loopback Host and a POST that is not
 * same-origin JSON (`console/post-guard.ts`).
 *
 * Dead letters are both kinds AWS has: events a rule target could not take (the bus's dead
 * letters) and asynchronous Lambda invocations that failed (kept by the function's on-failure
 * destination: a subscriber's function errors, the legacy invoke adapter's failures); `rule` selects both by
 * rule or function name, or by the name in their queues (`audit-log`, `legacy-invoke`), as `dlq list --rule` does
 * on AWS.
 */
export function createAdminService(
  eventBridge: LocalEventBridge,
  lambdaAsync?: LocalAsyncInvocations,
  businessMetrics?: BusinessMetricsCounter,
): LocalService {
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
  const queueOf = (arn: string) => arn.split(":").at(-1) ?? arn;
  const summarizeFailure = (failure: AsyncInvocationFailure): DeadLetterSummary => {
    const event = busEventOf(failure.record.requestPayload);
    return {
      id: failure.id,
      // A rule target's record holds the bus event (a subscriber's function error); a direct invoke's holds its payload.
      eventId: event?.id ?? failure.record.requestContext.requestId,
      detailType: event?.["detail-type"] ?? ASYNC_INVOKE_DETAIL_TYPE,
      orderId: event
        ? field(event.detail, "orderId")
        : payloadField(failure.record.requestPayload, "orderId", "order_id"),
      paymentId: event
        ? field(event.detail, "paymentId")
        : payloadField(failure.record.requestPayload, "paymentId", "payment_id"),
      ruleName: "-",
      targetId: failure.functionName,
      queue: queueOf(failure.destination),
      error: `${failure.record.responsePayload.errorType}: ${failure.record.responsePayload.errorMessage}`,
      retryAttempts: failure.record.requestContext.approximateInvokeCount - 1,
      time: failure.record.timestamp,
    };
  };
  // `rule` is a rule or function name, or a subscription's short name as in its queues' names (`audit-log`), as on AWS.
  const selects = (rule: string | undefined, name: string, queueArn: string) =>
    !rule || name === rule || queueOf(queueArn).includes(`-${rule}-`);
  const deadLettersFor = (rule: string | undefined) =>
    eventBridge.listDeadLetters().filter((letter) => selects(rule, letter.ruleName, letter.deadLetterArn));
  const failuresFor = (rule: string | undefined) =>
    (lambdaAsync?.listFailures() ?? []).filter((failure) => selects(rule, failure.functionName, failure.destination));

  /** Runs each selected failed invocation once more; merged into the bus's redrive report. */
  async function redriveFailures(failures: readonly AsyncInvocationFailure[]): Promise<RedriveResult[]> {
    if (!lambdaAsync || failures.length === 0) return [];
    const { results } = await lambdaAsync.redriveFailures({ ids: failures.map((failure) => failure.id) });
    return results.map((result) => ({
      deadLetterId: result.failureId,
      status: result.status === "failed" ? "dead-lettered" : result.status,
      ...(result.requestId ? { eventId: result.requestId } : {}),
      ...(result.functionName ? { targetId: result.functionName } : {}),
      attempts: 1,
      ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
    }));
  }

  const routes: Record<string, (request: LocalRequest, url: URL) => Promise<LocalResponse> | LocalResponse> = {
    "GET dead-letters": (_request, url) => {
      const rule = url.searchParams.get("rule") ?? undefined;
      return json(200, [...deadLettersFor(rule).map(summarize), ...failuresFor(rule).map(summarizeFailure)]);
    },
    "POST dead-letters/redrive": async (request) => {
      const body = readBody(request);
      const ids = Array.isArray(body.ids) ? body.ids.map(String) : undefined;
      const rule = typeof body.rule === "string" ? body.rule : undefined;
      const failures = ids ? ids.flatMap((id) => lambdaAsync?.getFailure(id) ?? []) : failuresFor(rule);
      const busIds = ids
        ? ids.filter((id) => !lambdaAsync?.getFailure(id))
        : deadLettersFor(rule).map((letter) => letter.id);
      // One attempt each: an operator wants to know now whether the fix worked.
      const busReport: RedriveReport =
        busIds.length === 0
          ? { results: [], delivered: 0, failed: 0 }
          : await eventBridge.redriveDeadLetters({ ids: busIds }, { singleAttempt: true });
      const failureResults = await redriveFailures(failures);
      const delivered = failureResults.filter((result) => result.status === "delivered").length;
      return json(200, {
        results: [...busReport.results, ...failureResults],
        delivered: busReport.delivered + delivered,
        failed: busReport.failed + failureResults.length - delivered,
      } satisfies RedriveReport);
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
    "GET business-metrics": () =>
      businessMetrics
        ? json(200, {
            since: businessMetrics.since.toISOString(),
            counts: businessMetrics.counts(),
            measurements: businessMetrics.measurements(),
          } satisfies BusinessMetricsReport)
        : json(404, { message: "this local endpoint counts no business metrics; start the runtime with npm start" }),
  };
  return {
    name: "payment3 local operator API",
    canHandle: (request) => request.url.startsWith(ADMIN_PATH_PREFIX),
    async handle(request) {
      const refused = refuseUnsafeRequest(request);
      if (refused) return refused;
      const url = new URL(request.url, "http://local");
      const path = url.pathname.slice(ADMIN_PATH_PREFIX.length);
      const one = /^dead-letters\/([^/]+)$/.exec(path);
      if (request.method === "GET" && one && one[1] !== "redrive") {
        const id = decodeURIComponent(one[1]!);
        const failure = lambdaAsync?.getFailure(id);
        if (failure) return json(200, failure);
        try {
          return json(200, eventBridge.getDeadLetter(id));
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
