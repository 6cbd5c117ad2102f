import {
  ADMIN_PATH_PREFIX,
  type BusinessMetricsReport,
  type DeadLetterSummary,
  type ReplayPreviewItem,
} from "../runtime/admin-service";
import type { RedriveReport } from "@payment3/aws-local";

/** The local runtime's operator API refused a request; the message is its answer, without the internal URL. */
export class LocalOperatorError extends Error {
  override readonly name = "LocalOperatorError";
  readonly code = "LOCAL_OPERATOR_REFUSED";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The local runtime's operator API over HTTP (what `npm start` serves under /_local/). */
export function createLocalOperatorClient(endpoint: string, fetchImpl: typeof fetch = fetch) {
  async function call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const response = await fetchImpl(new URL(`${ADMIN_PATH_PREFIX}${path}`, endpoint), {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    const payload = (await response.json().catch(() => ({}))) as T & { message?: string };
    if (!response.ok) {
      const notOurs = response.status === 404 && payload.message?.startsWith("no operator API");
      throw new LocalOperatorError(
        notOurs
          ? `${endpoint} is not a payment3 local runtime (start one with npm start)`
          : (payload.message ?? `the local endpoint answered ${response.status}`),
        response.status,
      );
    }
    return payload;
  }
  return {
    deadLetters: (rule?: string) =>
      call<DeadLetterSummary[]>("GET", `dead-letters${rule ? `?rule=${encodeURIComponent(rule)}` : ""}`),
    deadLetter: (id: string) => call<Record<string, unknown>>("GET", `dead-letters/${encodeURIComponent(id)}`),
    redrive: (selection: { ids?: readonly string[]; rule?: string }) =>
      call<RedriveReport>("POST", "dead-letters/redrive", selection),
    previewReplay: (request: { archiveName: string; start: string; end: string; ruleArns?: readonly string[] }) =>
      call<ReplayPreviewItem[]>("POST", "replay-preview", request),
    statistics: () =>
      call<{
        acceptedEvents: number;
        acceptedEventsByBus: Record<string, number>;
        droppedEventsByBus: Record<string, number>;
        deadLetters: number;
        pendingWork: number;
      }>("GET", "statistics"),
    businessMetrics: () => call<BusinessMetricsReport>("GET", "business-metrics"),
  };
}

export type LocalOperatorClient = ReturnType<typeof createLocalOperatorClient>;
