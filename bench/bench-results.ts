import type { CostResult } from "./aws-cost";
import type { BundleSizeResult } from "./bundles";
import type { ColdStartResult } from "./cold-start";
import type { CpuShare } from "./cpu-profile";
import type { TableItemSizes } from "./dynamodb-item-size";
import type { EndToEndResult } from "./end-to-end";
import type { IoFloorResult } from "./io-floor";
import type { PatternMatchingResult } from "./pattern-matching";
import type { ReplayResult } from "./replay-throughput";
import type { RequestCount } from "./request-counter";
import type { ThroughputScalingResult } from "./throughput-scaling";

/**
 * 2: no zod what-if bundles (the contracts use zod/mini); diagnostics of parts; `ourCodeByFolder`. 4: the end-to-end
 * runs carry no request counts; `requests` comes from a separate counting pass of the loaded run's mix (`inFlight`,
 * `failedChecks`).
 */
export const RESULTS_FORMAT_VERSION = 4;

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cpus: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
}

/** One goal of the issue, and whether this run met it. */
export interface GoalVerdict {
  readonly goal: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** False for a figure shown beside a goal it is not judged against (the whole flow's requests). */
  readonly judged?: false;
}

/** Requests per confirmation of one kind, from the counting pass (the loaded end-to-end run's mix). */
export interface RequestsPerConfirmation extends RequestCount {
  readonly perConfirmation: number;
  readonly entriesPerConfirmation?: number;
}

/** Everything `npm run bench` measured, as written to `bench/results.json`. */
export interface BenchResults {
  readonly formatVersion: typeof RESULTS_FORMAT_VERSION;
  readonly generatedAt: string;
  readonly command: string;
  readonly quick: boolean;
  readonly durationSeconds: number;
  readonly machine: MachineDescription;
  /** Confirmations one at a time: latency without load, and the functions' durations used for the cost. */
  readonly endToEndUnloaded: EndToEndResult;
  /** Confirmations under load: throughput and latency percentiles. */
  readonly endToEnd: EndToEndResult;
  /** Where the CPU time of a separate, profiled end-to-end pass went. */
  readonly endToEndProfile: { readonly confirmations: number; readonly shares: readonly CpuShare[] };
  /** Throughput by in-flight count, dynalite on its worker thread and on the main thread (absent in older results). */
  readonly throughputScaling?: ThroughputScalingResult;
  readonly ioFloor: IoFloorResult;
  readonly patternMatching: PatternMatchingResult;
  readonly bundles: BundleSizeResult;
  readonly coldStart: ColdStartResult;
  readonly replay: ReplayResult;
  /**
   * Counted at the endpoint in a separate pass of the loaded run's confirmations at its in-flight count, each request
   * named with the function that sent it; not in the timed runs, which that naming would slow.
   */
  readonly requests: {
    readonly confirmations: number;
    readonly inFlight: number;
    /** The mix's checks that did not hold in the counting pass; empty when every one held. */
    readonly failedChecks: readonly string[];
    /**
     * Requests per confirmation by the function that sent them (`caller`: its local name; `label`: its subscription,
     * or `callers` for the requests sent outside the functions, the callbacks' PutEvents), by service.
     * `paymentPath`: part of the flow issue 19 set its request goals for.
     */
    readonly byCaller: readonly {
      readonly caller: string;
      readonly label: string;
      readonly paymentPath: boolean;
      readonly perConfirmation: Readonly<Record<string, number>>;
    }[];
    readonly byOperation: readonly RequestsPerConfirmation[];
    /** Rule target deliveries (AWS bills each as a Lambda request), per confirmation, by function. */
    readonly deliveriesPerConfirmation: readonly { readonly function: string; readonly perConfirmation: number }[];
    readonly totalsPerConfirmation: Readonly<Record<string, number>>;
  };
  readonly tables: readonly TableItemSizes[];
  readonly cost: CostResult;
  readonly goals: readonly GoalVerdict[];
  /** File names next to the results: the SVG chart. */
  readonly chart: string;
}

/** Problems with a results file's shape (empty when well-formed): what the smoke test checks. */
export function checkResultsShape(value: unknown): string[] {
  const problems: string[] = [];
  const results = value as Partial<BenchResults> | null;
  if (typeof results !== "object" || results === null) return ["results must be a JSON object"];
  const positive = (path: string, n: unknown) => {
    if (typeof n !== "number" || !Number.isFinite(n) || n <= 0)
      problems.push(`${path} must be a number > 0, got ${JSON.stringify(n)}`);
  };
  if (results.formatVersion !== RESULTS_FORMAT_VERSION)
    problems.push(`formatVersion must be ${RESULTS_FORMAT_VERSION}, got ${JSON.stringify(results.formatVersion)}`);
  if (typeof results.command !== "string" || !results.command.startsWith("npm run bench"))
    problems.push(`command must name npm run bench, got ${JSON.stringify(results.command)}`);
  if (typeof results.machine?.node !== "string") problems.push("machine.node is missing");
  for (const key of ["endToEnd", "endToEndUnloaded"] as const) {
    const run = results[key];
    positive(`${key}.throughputPerSecond`, run?.throughputPerSecond);
    for (const p of ["p50", "p95", "p99"] as const) positive(`${key}.latencyMs.${p}`, run?.latencyMs?.[p]);
    if (run && run.latencyMs.count !== run.confirmations)
      problems.push(`${key}: ${run.latencyMs.count} of ${run.confirmations} confirmations completed`);
  }
  if (results.throughputScaling) {
    if (!results.throughputScaling.rows.length) problems.push("throughputScaling.rows is empty");
    for (const row of results.throughputScaling.rows)
      positive(`throughputScaling ${row.dynamoDb} ${row.inFlight} in flight`, row.throughputPerSecond.median);
  }
  positive("ioFloor.ratio", results.ioFloor?.ratio);
  for (const row of results.patternMatching?.rows ?? [])
    positive(`patternMatching "${row.name}".matchesPerSecond`, row.matchesPerSecond);
  if (!results.patternMatching?.rows?.length) problems.push("patternMatching.rows is empty");
  if (!results.bundles?.functions?.length) problems.push("bundles.functions is empty");
  for (const fn of results.bundles?.functions ?? []) positive(`bundles ${fn.name} (${fn.sdk}).ratio`, fn.ratio);
  if (!results.coldStart?.rows?.length) problems.push("coldStart.rows is empty");
  for (const row of results.coldStart?.rows ?? []) {
    positive(`coldStart ${row.name} (${row.sdk}).ratio`, row.ratio);
    if (!(row.ratioCiLow <= row.ratio && row.ratio <= row.ratioCiHigh))
      problems.push(
        `coldStart ${row.name} (${row.sdk}): the median ${row.ratio} must lie in its interval ${row.ratioCiLow}–${row.ratioCiHigh}`,
      );
  }
  if (results.replay === undefined) problems.push("replay is missing");
  else if (results.replay.available) positive("replay.eventsPerSecond", results.replay.eventsPerSecond);
  else if (typeof results.replay.reason !== "string" || !results.replay.reason)
    problems.push("replay.reason must say why replay was skipped");
  if (!results.requests?.byOperation?.length) problems.push("requests.byOperation is empty");
  positive("requests.inFlight", results.requests?.inFlight);
  // Attributed by caller: the processor's own requests (its order reads) must be found as its.
  if (
    !results.requests?.byCaller?.some(
      (caller) => caller.label === "processor" && (caller.perConfirmation.DynamoDB ?? 0) > 0,
    )
  )
    problems.push(
      "requests.byCaller has no DynamoDB requests of the processor: requests were not attributed to functions",
    );
  positive("cost.usdPerMillionConfirmations", results.cost?.usdPerMillionConfirmations);
  if (!results.goals?.length) problems.push("goals is empty");
  return problems;
}
