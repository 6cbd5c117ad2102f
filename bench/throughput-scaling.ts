import { startLocalRuntime, type LocalRuntime } from "@payment3/local";
import { failedChecks, runEndToEnd, type EndToEndResult } from "./end-to-end";
import { median, roundTo } from "./statistics";

/** Where the emulated DynamoDB runs: its own worker thread (as `npm start` runs it) or the functions' thread. */
export type DynamoDbThread = "worker" | "main";

export interface ThroughputScalingOptions {
  /** Confirmations in flight, one series of runs each. */
  readonly inFlight: readonly number[];
  readonly rounds: number;
  /** Confirmations per run: at least this, and at least `runsPerInFlight` × the in-flight count so the tail is short. */
  readonly confirmations: number;
  readonly confirmationsPerInFlight: number;
  readonly warmupConfirmations: number;
  readonly firstOrderId: number;
  readonly log: (message: string) => void;
}

/** A median with the lowest and highest of its rounds. */
export interface MedianWithSpread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface ThroughputScalingRow {
  readonly dynamoDb: DynamoDbThread;
  readonly inFlight: number;
  readonly confirmations: number;
  readonly throughputPerSecond: MedianWithSpread;
  readonly latencyP50Ms: MedianWithSpread;
  readonly latencyP95Ms: MedianWithSpread;
  /** Process CPU time / wall time (every thread): 1.0 is one core busy all the time. */
  readonly cpuCoresBusy: MedianWithSpread;
  readonly cpuMsPerConfirmation: MedianWithSpread;
  /** The main thread's CPU ms per confirmation (Linux only): 1000 / this is the throughput it allows with a core of its own. */
  readonly mainThreadCpuMsPerConfirmation?: MedianWithSpread;
  /** Runs in which every check of the mix held (audit rows, emails, SNS messages, no dead letters, none timed out). */
  readonly runsChecked: number;
  /** What did not hold in the other runs, one entry per run. */
  readonly failedChecks: readonly string[];
  readonly runs: number;
}

export interface ThroughputScalingResult {
  readonly rounds: number;
  /** Warnings of the local runtimes, e.g. a redelivery retried while its original was still in progress. */
  readonly warnings: number;
  readonly rows: readonly ThroughputScalingRow[];
}

function spreadOf(values: readonly number[], digits: number): MedianWithSpread {
  return {
    median: roundTo(median(values), digits),
    min: roundTo(Math.min(...values), digits),
    max: roundTo(Math.max(...values), digits),
  };
}

/**
 * End-to-end throughput and latency at each in-flight count, with dynalite on its worker thread and, side by side,
 * on the functions' thread (as before it moved). Both local runtimes run in this process; every round runs each
 * in-flight count on both, alternating which goes first, so a busy machine weighs on both alike. Reports the median
 * of the rounds and their spread.
 */
export async function measureThroughputScaling(options: ThroughputScalingOptions): Promise<ThroughputScalingResult> {
  const threads: readonly DynamoDbThread[] = ["worker", "main"];
  const runtimes = new Map<DynamoDbThread, LocalRuntime>();
  const runs = new Map<string, EndToEndResult[]>();
  let nextOrderId = options.firstOrderId;
  let warnings = 0;
  const orderIds = (count: number) => {
    const first = nextOrderId;
    nextOrderId += count + 1000;
    return first;
  };
  try {
    for (const thread of threads) {
      const runtime = await startLocalRuntime({
        port: 0,
        dataDirectory: null,
        logLevel: "SILENT",
        retryBaseDelayMs: 20,
        dynamoDbThread: thread,
        warn: () => {
          warnings += 1;
        },
      });
      runtimes.set(thread, runtime);
      await runEndToEnd(runtime, {
        confirmations: options.warmupConfirmations,
        concurrency: 16,
        firstOrderId: orderIds(options.warmupConfirmations),
        completionTimeoutMs: 60_000,
        countRequests: false,
        log: () => undefined,
      });
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const inFlight of options.inFlight) {
        const confirmations = Math.max(options.confirmations, inFlight * options.confirmationsPerInFlight);
        const order = round % 2 === 0 ? threads : [...threads].reverse();
        for (const thread of order) {
          const run = await runEndToEnd(runtimes.get(thread)!, {
            confirmations,
            concurrency: inFlight,
            firstOrderId: orderIds(confirmations),
            completionTimeoutMs: 60_000,
            countRequests: false,
            log: () => undefined,
          });
          const key = `${thread}|${inFlight}`;
          runs.set(key, [...(runs.get(key) ?? []), run]);
          options.log(
            `throughput scaling, round ${round + 1}/${options.rounds}: dynalite on ${thread === "worker" ? "its worker" : "the main thread"}, ${inFlight} in flight: ${run.throughputPerSecond}/s, p50 ${run.latencyMs.p50} ms`,
          );
        }
      }
    }
  } finally {
    for (const runtime of runtimes.values()) await runtime.close();
  }
  const rows = threads.flatMap((thread) =>
    options.inFlight.map((inFlight): ThroughputScalingRow => {
      const measured = runs.get(`${thread}|${inFlight}`) ?? [];
      return {
        dynamoDb: thread,
        inFlight,
        confirmations: measured[0]?.confirmations ?? 0,
        throughputPerSecond: spreadOf(
          measured.map((run) => run.throughputPerSecond),
          1,
        ),
        latencyP50Ms: spreadOf(
          measured.map((run) => run.latencyMs.p50),
          1,
        ),
        latencyP95Ms: spreadOf(
          measured.map((run) => run.latencyMs.p95),
          1,
        ),
        cpuCoresBusy: spreadOf(
          measured.map((run) => run.cpuCoresBusy),
          2,
        ),
        cpuMsPerConfirmation: spreadOf(
          measured.map((run) => run.cpuMsPerConfirmation),
          1,
        ),
        ...(measured.every((run) => run.mainThreadCpuMsPerConfirmation !== undefined)
          ? {
              mainThreadCpuMsPerConfirmation: spreadOf(
                measured.map((run) => run.mainThreadCpuMsPerConfirmation!),
                1,
              ),
            }
          : {}),
        runsChecked: measured.filter((run) => failedChecks(run).length === 0).length,
        failedChecks: measured.map(failedChecks).flatMap((failed) => (failed.length > 0 ? [failed.join(", ")] : [])),
        runs: measured.length,
      };
    }),
  );
  return { rounds: options.rounds, warnings, rows };
}
