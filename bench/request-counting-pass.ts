import { startLocalRuntime } from "@payment3/local";
import { failedChecks, runEndToEnd, type EndToEndResult } from "./end-to-end";
import type { RequestCount } from "./request-counter";

export interface RequestCountingOptions {
  /** The loaded run's confirmations: the mix (how many are declined, how many redelivered) depends on the count. */
  readonly confirmations: number;
  /** The loaded run's in-flight count: redeliveries overlap their originals as they do under that load. */
  readonly concurrency: number;
  /** The loaded run's first order id: the same orders and confirmations. */
  readonly firstOrderId: number;
  /** Confirmations through the runtime before the count starts, as the loaded run had before it. */
  readonly warmupConfirmations: number;
  readonly warn: (message: string) => void;
  readonly log: (message: string) => void;
}

/** The requests of the loaded run's mix by the function that sent them, and the run they were counted in. */
export interface RequestCountingPass {
  /** The counting run: its invocation counts go with the requests; its times are not reported (the counting slows it). */
  readonly run: EndToEndResult;
  readonly requests: readonly RequestCount[];
  /** What did not hold of the mix's checks in the counting run (none timed out, no dead letters, every row written). */
  readonly failedChecks: readonly string[];
}

/**
 * Counts the requests of the loaded end-to-end run's mix at the endpoint, by the function that sent them, in a pass of
 * its own: the same confirmations, the same in-flight count, after a warm-up, in a local runtime started for it. Naming
 * each request's function runs every invocation in an async context, which makes every promise in the process slower,
 * so the passes whose times or CPU are reported run without it; call this after them, because V8 keeps some of its
 * promise fast paths off for the rest of the process once such a context has been used.
 */
export async function countRequestsByFunction(options: RequestCountingOptions): Promise<RequestCountingPass> {
  const runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    logLevel: "SILENT",
    retryBaseDelayMs: 20,
    warn: options.warn,
  });
  try {
    const endToEnd = { concurrency: options.concurrency, completionTimeoutMs: 60_000, log: options.log };
    await runEndToEnd(runtime, {
      ...endToEnd,
      confirmations: options.warmupConfirmations,
      firstOrderId: options.firstOrderId - options.warmupConfirmations - 1000,
      countRequests: false,
    });
    options.log("requests by function: a separate pass of the loaded run's mix, counted and not timed");
    const run = await runEndToEnd(runtime, {
      ...endToEnd,
      confirmations: options.confirmations,
      firstOrderId: options.firstOrderId,
      countRequests: true,
    });
    if (!run.requests)
      throw new Error("the counting pass returned no request counts; runEndToEnd ignored countRequests");
    return { run, requests: run.requests, failedChecks: failedChecks(run) };
  } finally {
    await runtime.close();
  }
}
