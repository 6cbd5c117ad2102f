import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem, type as osType } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { DescribeArchiveCommand } from "@aws-sdk/client-eventbridge";
import { createAwsClients } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { startLocalRuntime, subscriptionResourceNames, type LocalRuntime } from "@payment3/local";
import { CALCULATE_COST_FUNCTION_NAME } from "@payment3/core";
import { estimateCost, type FunctionMemory } from "./aws-cost";
import {
  checkResultsShape,
  RESULTS_FORMAT_VERSION,
  type BenchResults,
  type GoalVerdict,
  type MachineDescription,
} from "./bench-results";
import { renderBenchmarksMarkdown } from "./benchmarks-markdown";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";
import { measureBundleSizes } from "./bundles";
import { measureColdStarts } from "./cold-start";
import { profileCpu } from "./cpu-profile";
import { measureTableItemSizes } from "./dynamodb-item-size";
import { runEndToEnd, type EndToEndResult } from "./end-to-end";
import { measureIoFloor } from "./io-floor";
import { renderLatencyChart } from "./latency-chart";
import { measurePatternMatching } from "./pattern-matching";
import { prepareBusArchive, measureReplay, type ReplayResult } from "./replay-throughput";
import { countRequestsByFunction, type RequestCountingPass } from "./request-counting-pass";
import { OUTSIDE_FUNCTIONS } from "./request-counter";
import { roundTo } from "./statistics";
import { measureThroughputScaling, type ThroughputScalingOptions } from "./throughput-scaling";

/** The loaded end-to-end run's orders, and the counting pass's: the same confirmations. */
const LOADED_RUN_FIRST_ORDER_ID = 700_000_000_000;

/** How much of everything to do: the full run, or the quick one CI smoke-tests. */
export interface BenchSizes {
  readonly warmupConfirmations: number;
  readonly confirmations: number;
  readonly concurrency: number;
  readonly unloadedConfirmations: number;
  readonly profiledConfirmations: number;
  readonly floorConfirmations: number;
  readonly floorWarmup: number;
  readonly patternMeasureMs: number;
  readonly coldStartRuns: number;
  /** Cold starts of the SDK-external bundles too (not judged; off: the rounds go to the deployed bundles). */
  readonly coldStartExternal: boolean;
  /** Cold starts of the diagnostic bundles too (parts of the functions alone). */
  readonly coldStartDiagnostics: boolean;
  readonly replayRuns: number;
  /** End-to-end throughput by in-flight count, dynalite on its worker and on the main thread side by side. */
  readonly throughputScaling: Omit<ThroughputScalingOptions, "firstOrderId" | "log">;
}

export const FULL_SIZES: BenchSizes = {
  warmupConfirmations: 100,
  confirmations: 2000,
  concurrency: 16,
  unloadedConfirmations: 100,
  profiledConfirmations: 300,
  floorConfirmations: 300,
  floorWarmup: 50,
  patternMeasureMs: 1000,
  coldStartRuns: 61,
  coldStartExternal: false,
  coldStartDiagnostics: true,
  replayRuns: 3,
  throughputScaling: {
    inFlight: [1, 4, 16, 64],
    rounds: 3,
    confirmations: 150,
    confirmationsPerInFlight: 6,
    warmupConfirmations: 100,
  },
};

export const QUICK_SIZES: BenchSizes = {
  warmupConfirmations: 20,
  confirmations: 100,
  concurrency: 16,
  unloadedConfirmations: 10,
  profiledConfirmations: 30,
  floorConfirmations: 30,
  floorWarmup: 10,
  patternMeasureMs: 150,
  coldStartRuns: 3,
  coldStartExternal: false,
  coldStartDiagnostics: false,
  replayRuns: 1,
  throughputScaling: {
    inFlight: [1, 16],
    rounds: 1,
    confirmations: 20,
    confirmationsPerInFlight: 2,
    warmupConfirmations: 20,
  },
};

export interface BenchOptions {
  readonly quick: boolean;
  /** Where results.json (or results.quick.json) and the SVG go. */
  readonly outputDirectory: string;
  /** The Markdown report; none when undefined. */
  readonly markdownPath?: string;
  /** The command line recorded in the results. */
  readonly command: string;
  readonly log?: (message: string) => void;
}

export interface BenchRun {
  readonly results: BenchResults;
  readonly resultsPath: string;
  readonly chartPath: string;
}

/** The functions the stacks deploy: SST v2's default memory, the stacks set none. */
function functionMemory(runtime: LocalRuntime): FunctionMemory[] {
  return [
    ...DEPLOYED_FUNCTIONS.map((subscription) => ({
      name: subscriptionResourceNames(runtime.config, subscription).functionName,
      memoryMb: 1024,
      source: "SST v2 default (the stacks set no memorySize)",
    })),
    {
      name: CALCULATE_COST_FUNCTION_NAME,
      memoryMb: 256,
      source: "assumed: another team's function, not configured here",
    },
  ];
}

function describeMachine(): MachineDescription {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cpus: cpus().length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    os: `${osType()} ${release()}`,
    node: process.version,
  };
}

function goals(results: Omit<BenchResults, "goals">): GoalVerdict[] {
  const bundled = <Row extends { sdk: string }>(rows: readonly Row[]) => rows.filter((row) => row.sdk === "bundled");
  const worst = <Row extends { ratio: number; name: string }>(rows: readonly Row[]) =>
    rows.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const worstBundle = worst(bundled(results.bundles.functions));
  const worstColdStart = worst(bundled(results.coldStart.rows.filter((row) => row.variant === "as built")));
  const slowestPattern = results.patternMatching.rows.reduce((a, b) =>
    b.matchesPerSecond < a.matchesPerSecond ? b : a,
  );
  return [
    {
      goal: "processor time / I/O floor",
      target: `≤ ${results.ioFloor.goal}`,
      measured: `${results.ioFloor.ratio} (median ${results.ioFloor.processorMs.p50} ms vs ${results.ioFloor.floorMs.p50} ms)`,
      met: results.ioFloor.met,
    },
    {
      goal: "pattern matching, one core",
      target: `≥ ${results.patternMatching.goalPerSecond.toLocaleString("en-US")}/s`,
      measured: `${slowestPattern.matchesPerSecond.toLocaleString("en-US")}/s (slowest set: ${slowestPattern.name})`,
      met: results.patternMatching.met,
    },
    {
      goal: "bundle size / bare handler (SDK bundled, as deployed)",
      target: `≤ ${results.bundles.goalRatio}`,
      measured: `${worstBundle.ratio} (worst: ${worstBundle.name})`,
      met: results.bundles.met,
    },
    {
      goal: "cold start / bare handler (SDK bundled, as deployed)",
      target: `≤ ${results.coldStart.goalRatio}`,
      measured: `${worstColdStart.ratio} (worst: ${worstColdStart.name}; 95 % interval of the median ${worstColdStart.ratioCiLow}–${worstColdStart.ratioCiHigh}, middle half of the rounds ${worstColdStart.ratioP25}–${worstColdStart.ratioP75}; verdicts ${bundled(
        results.coldStart.rows.filter((row) => row.variant === "as built"),
      )
        .map((row) => `${row.name} ${row.verdict}`)
        .join(", ")})`,
      met: results.coldStart.met,
    },
    throughputGoal(results.endToEnd),
    ...requestGoals(results.requests),
  ];
}

/**
 * Issue 19's request goals per confirmation, set for the flow it measured: the callers' PutEvents and the
 * processor, audit-log and notifications functions. Subscribers added since (email-events, issue 20) are in
 * the whole flow's rows, with their figure and no goal of issue 19's.
 */
export const ISSUE_19_REQUEST_GOALS = { dynamoDb: 7, all: 11 } as const;
export const ISSUE_19_SUBSCRIPTIONS: readonly string[] = ["processor", "audit-log", "notifications"];

function requestGoals(requests: BenchResults["requests"]): GoalVerdict[] {
  const paymentPath = requests.byCaller.filter((caller) => caller.paymentPath);
  const later = requests.byCaller.filter((caller) => !caller.paymentPath);
  const sum = (callers: typeof requests.byCaller, service?: string) =>
    roundTo(
      callers.reduce(
        (total, caller) =>
          total +
          Object.entries(caller.perConfirmation)
            .filter(([name]) => service === undefined || name === service)
            .reduce((n, [, value]) => n + value, 0),
        0,
      ),
      2,
    );
  const byFunction = (callers: typeof requests.byCaller, service?: string) =>
    callers
      .map((caller) => `${caller.label} ${sum([caller], service)}`)
      .filter((part) => !part.endsWith(" 0"))
      .join(", ");
  const rows = (what: string, service: string | undefined, goal: number): GoalVerdict[] => {
    const path = sum(paymentPath, service);
    const whole = sum(requests.byCaller, service);
    return [
      {
        goal: `${what} per confirmation, the payment path issue 19 measured (${ISSUE_19_SUBSCRIPTIONS.join(", ")})`,
        target: `≤ ${goal}`,
        measured: `${path} (${byFunction(paymentPath, service)})`,
        met: path <= goal,
      },
      {
        goal: `${what} per confirmation, the whole flow (with ${later.map((caller) => caller.label).join(", ")})`,
        target: `— (issue 19's ≤ ${goal} predates ${later.map((caller) => caller.label).join(", ")})`,
        measured: `${whole} = the payment path's ${path} + ${byFunction(later, service)}${later.some((caller) => caller.label === "email-events") ? " (email-events: one UpdateItem of the email-log row per SES Send and Delivery event, as issue 20 requires)" : ""}${whole > goal ? `; over ${goal} by ${roundTo(whole - goal, 2)}` : ""}`,
        met: whole <= goal,
        judged: false,
      },
    ];
  };
  return [
    ...rows("DynamoDB requests", "DynamoDB", ISSUE_19_REQUEST_GOALS.dynamoDb),
    ...rows("all AWS requests (HTTP)", undefined, ISSUE_19_REQUEST_GOALS.all),
  ];
}

/** Issue 19: the local runtime on both cores, ≥ 45 confirmations/s under load. */
const THROUGHPUT_GOAL_PER_SECOND = 45;

function throughputGoal(run: EndToEndResult): GoalVerdict {
  const mainThread = run.mainThreadCpuMsPerConfirmation;
  return {
    goal: `end-to-end throughput, ${run.concurrency} in flight`,
    target: `≥ ${THROUGHPUT_GOAL_PER_SECOND}/s`,
    measured:
      `${run.throughputPerSecond}/s, ${run.cpuCoresBusy} cores busy` +
      (mainThread ? ` (main thread ${mainThread} ms CPU per confirmation: ≤ ${Math.floor(1000 / mainThread)}/s)` : ""),
    met: run.throughputPerSecond >= THROUGHPUT_GOAL_PER_SECOND,
  };
}

/** Section 7's request figures per confirmation, from the counting pass. */
export function requestsSummary(
  counting: RequestCountingPass,
  config: LocalRuntime["config"],
): BenchResults["requests"] {
  const { run, requests } = counting;
  const per = (value: number) => roundTo(value / run.confirmations, 3);
  const totals: Record<string, number> = {};
  for (const request of requests)
    totals[request.service] = roundTo((totals[request.service] ?? 0) + request.requests / run.confirmations, 3);
  const entries = requests
    .filter((r) => r.service === "EventBridge" && r.operation === "PutEvents")
    .reduce((sum, r) => sum + (r.entries ?? 0), 0);
  totals["EventBridge entries"] = per(entries);
  const targets = new Set(
    SUBSCRIPTIONS.map((subscription) => subscriptionResourceNames(config, subscription).functionName),
  );
  // Every deployed function by name: the sweep's requests, when a schedule fell in the run, are its own, in the whole
  // flow and not on the payment path.
  const subscriptionOf = new Map(
    DEPLOYED_FUNCTIONS.map((subscription) => [
      subscriptionResourceNames(config, subscription).functionName,
      subscription.name,
    ]),
  );
  const callers = new Map<string, Record<string, number>>();
  for (const request of requests) {
    const services = callers.get(request.caller) ?? {};
    services[request.service] = roundTo((services[request.service] ?? 0) + request.requests / run.confirmations, 3);
    callers.set(request.caller, services);
  }
  return {
    confirmations: run.confirmations,
    inFlight: run.concurrency,
    failedChecks: counting.failedChecks,
    byCaller: [...callers].map(([caller, perConfirmation]) => {
      const subscription = subscriptionOf.get(caller);
      return {
        caller,
        label: subscription ?? (caller === OUTSIDE_FUNCTIONS ? "callers" : caller),
        // The callers' own requests and calculate-cost's belong to the payment path; any other function is a later one.
        paymentPath:
          caller === OUTSIDE_FUNCTIONS ||
          caller === CALCULATE_COST_FUNCTION_NAME ||
          (subscription !== undefined && ISSUE_19_SUBSCRIPTIONS.includes(subscription)),
        perConfirmation,
      };
    }),
    byOperation: requests.map((request) => ({
      ...request,
      perConfirmation: per(request.requests),
      ...(request.entries !== undefined ? { entriesPerConfirmation: per(request.entries) } : {}),
    })),
    deliveriesPerConfirmation: run.functions
      .filter((fn) => targets.has(fn.name))
      .map((fn) => ({ function: fn.name, perConfirmation: per(fn.invocations) })),
    totalsPerConfirmation: totals,
  };
}

/**
 * Runs every benchmark of the issue against one in-process local runtime (plus esbuild and
 * fresh node processes for bundles and cold starts), writes the results, the SVG chart and,
 * when asked, BENCHMARKS.md.
 */
export async function runBenchmarks(options: BenchOptions): Promise<BenchRun> {
  const log = options.log ?? ((message: string) => console.log(message));
  const sizes = options.quick ? QUICK_SIZES : FULL_SIZES;
  const startedAt = performance.now();
  mkdirSync(options.outputDirectory, { recursive: true });
  const warnings: string[] = [];
  const runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    logLevel: "SILENT",
    retryBaseDelayMs: 20,
    warn: (message) => warnings.push(message),
  });
  let endToEnd: EndToEndResult;
  let endToEndUnloaded: EndToEndResult;
  let endToEndProfile: BenchResults["endToEndProfile"];
  let ioFloor: BenchResults["ioFloor"];
  let replay: ReplayResult;
  let tables: BenchResults["tables"];
  let archivedBytesPerEvent: number | undefined;
  let memory: FunctionMemory[];
  try {
    const archive = await prepareBusArchive(runtime);
    if ("unavailable" in archive) log(archive.unavailable);
    // Not counting requests: that would time the bench's own async context too (see countRequestsByFunction).
    const e2e = { completionTimeoutMs: 60_000, countRequests: false, log };
    log("end-to-end: a warm-up pass (JIT, sockets, tables), not recorded");
    await runEndToEnd(runtime, {
      ...e2e,
      confirmations: sizes.warmupConfirmations,
      concurrency: sizes.concurrency,
      firstOrderId: 500_000_000_000,
    });
    endToEndUnloaded = await runEndToEnd(runtime, {
      ...e2e,
      confirmations: sizes.unloadedConfirmations,
      concurrency: 1,
      firstOrderId: 600_000_000_000,
    });
    endToEnd = await runEndToEnd(runtime, {
      ...e2e,
      confirmations: sizes.confirmations,
      concurrency: sizes.concurrency,
      firstOrderId: LOADED_RUN_FIRST_ORDER_ID,
    });
    log("end-to-end: a separate profiled pass");
    const profiled = await profileCpu(() =>
      runEndToEnd(runtime, {
        ...e2e,
        confirmations: sizes.profiledConfirmations,
        concurrency: sizes.concurrency,
        firstOrderId: 750_000_000_000,
      }),
    );
    endToEndProfile = { confirmations: sizes.profiledConfirmations, shares: profiled.shares };
    ioFloor = await measureIoFloor(runtime, {
      confirmations: sizes.floorConfirmations,
      warmup: sizes.floorWarmup,
      firstOrderId: 800_000_000_000,
      log,
    });
    const { documentClient, eventBridge } = createAwsClients({ region: runtime.config.region, endpoint: runtime.url });
    const config = runtime.config;
    const sized = [];
    for (const table of [
      config.orderTableName,
      config.auditLogTableName,
      config.emailLogTableName,
      config.idempotencyTableName,
    ]) {
      sized.push(await measureTableItemSizes(documentClient, table));
    }
    tables = sized;
    if ("unavailable" in archive) {
      replay = { available: false, reason: archive.unavailable };
    } else {
      const described = await eventBridge.send(new DescribeArchiveCommand({ ArchiveName: archive.archiveName }));
      if (described.EventCount) archivedBytesPerEvent = (described.SizeBytes ?? 0) / described.EventCount;
      replay = await measureReplay(runtime, archive, sizes.replayRuns, log);
    }
    documentClient.destroy();
    eventBridge.destroy();
    if (!replay.available) log(replay.reason);
    memory = functionMemory(runtime);
  } finally {
    await runtime.close();
  }
  log("end-to-end throughput by in-flight count, dynalite on its worker and on the main thread");
  const throughputScaling = await measureThroughputScaling({
    ...sizes.throughputScaling,
    firstOrderId: 900_000_000_000,
    log,
  });

  log("pattern matching");
  const patternMatching = measurePatternMatching(sizes.patternMeasureMs);
  const bundleDirectory = mkdtempSync(join(tmpdir(), "payment3-bench-bundles-"));
  let bundles: BenchResults["bundles"];
  let coldStart: BenchResults["coldStart"];
  try {
    bundles = await measureBundleSizes(bundleDirectory, log);
    const toStart = [...bundles.functions, ...(sizes.coldStartDiagnostics ? bundles.diagnostics : [])].filter(
      (fn) => sizes.coldStartExternal || fn.sdk === "bundled",
    );
    coldStart = await measureColdStarts(toStart, bundleDirectory, sizes.coldStartRuns, log);
  } finally {
    rmSync(bundleDirectory, { recursive: true, force: true });
  }

  // Last: after it, V8 keeps some promise fast paths off for the rest of the process (see countRequestsByFunction).
  const counting = await countRequestsByFunction({
    confirmations: sizes.confirmations,
    concurrency: sizes.concurrency,
    firstOrderId: LOADED_RUN_FIRST_ORDER_ID,
    warmupConfirmations: sizes.warmupConfirmations,
    warn: (message) => warnings.push(message),
    log,
  });
  if (counting.failedChecks.length > 0)
    log(`requests by function: the counting pass's checks did not hold: ${counting.failedChecks.join(", ")}`);
  const requests = requestsSummary(counting, runtime.config);

  // Lambda bills each invocation rounded up to the millisecond; durations come from the unloaded run, invocations from
  // the counting pass (the loaded run's mix).
  const durations = new Map(endToEndUnloaded.functions.map((fn) => [fn.name, fn.durationMs]));
  const cost = estimateCost({
    confirmations: counting.run.confirmations,
    requests: counting.requests,
    tables,
    functions: counting.run.functions.map((fn) => ({
      name: fn.name,
      invocations: fn.invocations,
      billedMsPerInvocation: Math.ceil(durations.get(fn.name)?.mean ?? fn.durationMs.mean),
    })),
    memory,
    ...(archivedBytesPerEvent !== undefined ? { archivedBytesPerEvent } : {}),
  });

  const resultsPath = join(options.outputDirectory, options.quick ? "results.quick.json" : "results.json");
  const chartPath = join(options.outputDirectory, options.quick ? "latency.quick.svg" : "latency.svg");
  const withoutGoals: Omit<BenchResults, "goals"> = {
    formatVersion: RESULTS_FORMAT_VERSION,
    generatedAt: new Date().toISOString(),
    command: options.command,
    quick: options.quick,
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    machine: describeMachine(),
    endToEndUnloaded,
    endToEnd,
    endToEndProfile,
    throughputScaling,
    ioFloor,
    patternMatching,
    bundles,
    coldStart,
    replay,
    requests,
    tables,
    cost,
    chart: basename(chartPath),
  };
  const results: BenchResults = { ...withoutGoals, goals: goals(withoutGoals) };
  const problems = checkResultsShape(results);
  if (problems.length > 0) throw new Error(`the bench produced malformed results: ${problems.join("; ")}`);
  if (warnings.length > 0) log(`the local runtime warned ${warnings.length} time(s), first: ${warnings[0]}`);

  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  const machine = results.machine;
  writeFileSync(
    chartPath,
    renderLatencyChart(
      endToEnd,
      endToEndUnloaded,
      `${options.command} · ${machine.cpus} × ${machine.cpuModel} · Node ${machine.node} · ${results.generatedAt.slice(0, 10)}`,
    ),
  );
  if (options.markdownPath) {
    const from = dirname(options.markdownPath);
    writeFileSync(
      options.markdownPath,
      renderBenchmarksMarkdown(results, {
        resultsFile: relative(from, resultsPath),
        chartFile: relative(from, chartPath),
      }),
    );
  }
  return { results, resultsPath, chartPath };
}
