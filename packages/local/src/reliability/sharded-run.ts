import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { FAULT_KINDS, type FaultKind } from "../faults/index";
import { formatFaultMatrix, type FaultMatrixRow } from "./fault-matrix";
import { classifyViolations, formatViolationClasses, type Violation } from "./invariants";
import { runReliability, type ReliabilityRunOptions } from "./run-reliability";

/** What one shard reports back: plain data, so it crosses a process boundary. */
export interface ShardResult {
  readonly shard: number;
  readonly seed: number;
  readonly orders: number;
  readonly matrix: readonly FaultMatrixRow[];
  readonly violations: readonly Violation[];
  readonly injected: Readonly<Record<FaultKind, number>>;
  readonly replayState: string;
  readonly deliveries: number;
  readonly confirmations: number;
  readonly totalMs: number;
  readonly summary: string;
}

export interface ShardedRunOptions {
  readonly seed: number;
  /** K over all shards. */
  readonly orders: number;
  /** Processes run side by side, each with its own local runtime and a share of the orders. */
  readonly shards: number;
  readonly log?: (line: string) => void;
  readonly traceOrders?: readonly string[];
}

export interface ShardedReport {
  readonly seed: number;
  readonly shards: readonly ShardResult[];
  /** The shards' matrices added up (their orders are disjoint). */
  readonly matrix: readonly FaultMatrixRow[];
  readonly violations: readonly Violation[];
  readonly injected: Readonly<Record<FaultKind, number>>;
  readonly wallMs: number;
  readonly summary: string;
}

/** Shard i of a run: its seed and order-id prefix, so every shard is reproducible on its own. */
function shardOptions(
  seed: number,
  orders: number,
  shards: number,
  shard: number,
): Pick<ReliabilityRunOptions, "seed" | "orders" | "orderIdPrefix"> {
  const share = Math.floor(orders / shards) + (shard < orders % shards ? 1 : 0);
  return { seed: (seed + shard) >>> 0, orders: share, orderIdPrefix: `7${shard}` };
}

/** Runs one shard in this process. */
export async function runShard(
  seed: number,
  orders: number,
  shards: number,
  shard: number,
  options: Pick<ShardedRunOptions, "log" | "traceOrders"> = {},
): Promise<ShardResult> {
  const report = await runReliability({
    ...shardOptions(seed, orders, shards, shard),
    ...(options.log ? { log: options.log } : {}),
    ...(options.traceOrders ? { traceOrders: options.traceOrders } : {}),
  });
  return {
    shard,
    seed: report.seed,
    orders: report.scenario.orders,
    matrix: report.matrix,
    violations: report.invariants.violations,
    injected: Object.fromEntries(report.faults.map((count) => [count.kind, count.injected])) as Record<
      FaultKind,
      number
    >,
    replayState: report.replay.state,
    deliveries: report.scenario.deliveries,
    confirmations: report.scenario.confirmations,
    totalMs: report.durationsMs.total,
    summary: report.summary,
  };
}

/**
 * A reliability run split over processes (one per core by default in the full run): K orders
 * become `shards` disjoint runs, each on its own local runtime with seed + shard, run side by
 * side; their fault matrices add up to the run's. One shard runs in this process.
 */
export async function runShardedReliability(options: ShardedRunOptions): Promise<ShardedReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const results = await Promise.all(
    Array.from({ length: options.shards }, (_, shard) =>
      shard === 0
        ? runShard(options.seed, options.orders, options.shards, 0, {
            log: (line) => log(`[shard 0] ${line}`),
            ...(options.traceOrders ? { traceOrders: options.traceOrders } : {}),
          })
        : runShardInChildProcess(options, shard, log),
    ),
  );
  const matrix = mergeMatrices(results.map((result) => result.matrix));
  const violations = results.flatMap((result) => result.violations);
  const injected = Object.fromEntries(
    FAULT_KINDS.map((kind) => [kind, results.reduce((sum, result) => sum + (result.injected[kind] ?? 0), 0)]),
  ) as Record<FaultKind, number>;
  const wallMs = Date.now() - started;
  const orders = results.reduce((sum, result) => sum + result.orders, 0);
  const confirmations = results.reduce((sum, result) => sum + result.confirmations, 0);
  const deliveries = results.reduce((sum, result) => sum + result.deliveries, 0);
  const replayHint = `Replay with RELIABILITY_SEED=${options.seed} RELIABILITY_ORDERS=${options.orders} RELIABILITY_SHARDS=${options.shards}; RELIABILITY_TRACE=<orderId>,... shows what happened to an order.`;
  const summary =
    results.length === 1
      ? `${results[0]!.summary}${violations.length > 0 ? `\n${replayHint}` : ""}`
      : [
          ...results.map(
            (result) =>
              `--- shard ${result.shard} (seed ${result.seed}, ${result.orders} orders, ${(result.totalMs / 1000).toFixed(1)} s)\n${result.summary}`,
          ),
          "",
          `=== Reliability run, seed ${options.seed}: K=${orders} orders, ${confirmations} confirmations, ${deliveries} deliveries, ${options.shards} shard(s), ${(wallMs / 1000).toFixed(1)} s wall`,
          formatFaultMatrix(matrix),
          violations.length === 0
            ? `All invariants hold. Seed ${options.seed}.`
            : [
                `${violations.length} invariant violations, by class (each one is listed per shard above):`,
                formatViolationClasses(classifyViolations(violations)),
                replayHint,
              ].join("\n"),
        ].join("\n");
  return { seed: options.seed, shards: results, matrix, violations, injected, wallMs, summary };
}

function runShardInChildProcess(
  options: ShardedRunOptions,
  shard: number,
  log: (line: string) => void,
): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL("./shard-process.ts", import.meta.url)), [], {
      execArgv: ["--import", "tsx"],
      env: {
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_REGION: "ap-southeast-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...process.env,
        RELIABILITY_SHARD: JSON.stringify({
          seed: options.seed,
          orders: options.orders,
          shards: options.shards,
          shard,
          traceOrders: options.traceOrders ?? [],
        }),
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    let result: ShardResult | undefined;
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim()) log(`[shard ${shard}] ${line}`);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.on("message", (message) => {
      result = message as ShardResult;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (result) resolve(result);
      else reject(new Error(`reliability shard ${shard} exited with code ${String(code)} without a result: ${stderr}`));
    });
  });
}

function mergeMatrices(matrices: readonly (readonly FaultMatrixRow[])[]): FaultMatrixRow[] {
  const merged = new Map<string, FaultMatrixRow>();
  for (const matrix of matrices) {
    for (const row of matrix) {
      const sum = merged.get(row.label);
      merged.set(
        row.label,
        sum
          ? {
              label: row.label,
              ...(row.injected === undefined ? {} : { injected: (sum.injected ?? 0) + row.injected }),
              orders: sum.orders + row.orders,
              survived: sum.survived + row.survived,
              lost: sum.lost + row.lost,
              duplicated: sum.duplicated + row.duplicated,
              wrong: sum.wrong + row.wrong,
            }
          : row,
      );
    }
  }
  return [...merged.values()];
}
