import type { BenchResults } from "./bench-results";
import { BAHT_FORMATTER_SOURCE, type FunctionBundles } from "./bundles";
import type { EndToEndResult } from "./end-to-end";

const n = (value: number, digits = 0) =>
  value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const kb = (bytes: number) => `${n(bytes / 1024, 1)} KB`;
const usd = (value: number) => `$${n(value, 2)}`;
const mark = (met: boolean) => (met ? "✅ met" : "❌ missed");

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const line = (cells: readonly (string | number)[]) =>
    `| ${cells.map((cell) => String(cell).replace(/\|/g, "\\|")).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

function latencyRow(label: string, run: EndToEndResult): (string | number)[] {
  return [
    label,
    n(run.confirmations),
    run.concurrency,
    n(run.throughputPerSecond, 1),
    n(run.latencyMs.p50, 1),
    n(run.latencyMs.p95, 1),
    n(run.latencyMs.p99, 1),
    n(run.latencyMs.max, 1),
  ];
}

const roundMs = (value: number) => Math.round(value);

function extraText(fn: FunctionBundles): string {
  return fn.extraByPackage
    .filter((p) => p.bytes >= 100)
    .slice(0, 4)
    .map((p) => `${p.name} ${kb(p.bytes)}`)
    .join(", ");
}

const isSdk = (name: string) => /^@(aws-sdk|smithy|aws)\//.test(name);
const isPowertools = (name: string) => name.startsWith("@aws-lambda-powertools/");

/** A function's extra bytes over its bare handler, grouped: zod, Powertools, our code by folder, the SDK. */
interface BundleParts {
  readonly name: string;
  readonly ratio: number;
  readonly extra: number;
  /** What the goal allows over the bare handler. */
  readonly budget: number;
  readonly zod: number;
  readonly powertools: number;
  readonly powertoolsBy: readonly { readonly name: string; readonly bytes: number }[];
  readonly ours: number;
  readonly oursBy: readonly { readonly name: string; readonly bytes: number }[];
  readonly sdk: number;
  /** Extra bytes in none of the groups (negative when the bare handler has more of some package). */
  readonly rest: number;
}

/** `packages/core/src/x/y.ts` → `packages/core/src`, bytes summed per folder, largest first. */
function byFolder(files: readonly { name: string; bytes: number }[]): { name: string; bytes: number }[] {
  const folders = new Map<string, number>();
  for (const file of files) {
    const folder = /^((?:events|packages\/[^/]+)\/src|bench)\//.exec(file.name)?.[1] ?? file.name;
    folders.set(folder, (folders.get(folder) ?? 0) + file.bytes);
  }
  return [...folders].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function partsOf(fn: FunctionBundles, goalRatio: number): BundleParts {
  const sum = (parts: readonly { bytes: number }[]) => parts.reduce((total, part) => total + part.bytes, 0);
  const extra = fn.bundle.bytes - fn.bare.bytes;
  const zod = sum(fn.extraByPackage.filter((p) => p.name === "zod"));
  const powertoolsBy = fn.extraByPackage.filter((p) => isPowertools(p.name));
  const ours = sum(fn.extraByPackage.filter((p) => p.name === "our code"));
  const sdk = sum(fn.extraByPackage.filter((p) => isSdk(p.name)));
  return {
    name: fn.name,
    ratio: fn.ratio,
    extra,
    budget: fn.bare.bytes * (goalRatio - 1),
    zod,
    powertools: sum(powertoolsBy),
    powertoolsBy,
    ours,
    oursBy: byFolder(fn.bundle.ourCodeByFile.filter((p) => p.name !== "(generated)")),
    sdk,
    rest: extra - zod - sum(powertoolsBy) - ours - sdk,
  };
}

/** Which functions meet the bundle goal and, for each that misses, what bounds it. */
function bundleVerdictText(parts: readonly BundleParts[]): string[] {
  const met = parts.filter((p) => p.extra <= p.budget);
  const missed = parts.filter((p) => p.extra > p.budget);
  const lines: string[] = [];
  if (met.length > 0) {
    const zodSizes = [...new Set(met.map((p) => kb(p.zod)))];
    lines.push(
      `**Met** by ${met.map((p) => `${p.name} (${p.ratio})`).join(" and ")}: zod/mini is ` +
        (zodSizes.length === 1
          ? `${zodSizes[0]} of ${met.length > 1 ? "each one's" : "its"} extra.`
          : `${met.map((p) => `${kb(p.zod)} (${p.name})`).join(" and ")} of the extra.`),
    );
  }
  for (const p of missed) {
    const withoutZod = p.extra - p.zod;
    const idempotency = p.powertoolsBy.filter((part) => /idempotency|jmespath/.test(part.name));
    const logger = p.powertoolsBy.filter((part) => !/idempotency|jmespath/.test(part.name));
    const sum = (list: readonly { bytes: number }[]) => list.reduce((total, part) => total + part.bytes, 0);
    lines.push(
      `**Missed by ${p.name}** (${p.ratio}): ${kb(p.extra)} over its bare handler against a budget of ${kb(p.budget)}, ${kb(p.extra - p.budget)} too many. ` +
        `zod/mini is ${kb(p.zod)} of it; ` +
        (withoutZod > p.budget
          ? `with no zod at all the rest would still be ${kb(withoutZod)}, over the budget, so the contracts do not bound it. ` +
            (idempotency.length > 0
              ? `Powertools idempotency and what it pulls in (${idempotency.map((part) => part.name.replace("@aws-lambda-powertools/", "")).join(", ")}) is ${kb(sum(idempotency))}: it is how ${p.name} sends each email once. `
              : "") +
            `The Powertools Logger and its commons are ${kb(sum(logger))}${idempotency.length > 0 ? " (commons shared with idempotency)" : ""}, our code ${kb(p.ours)}. ` +
            `Reaching 1.2 means removing about ${kb(p.extra - p.budget)} of those (${idempotency.length > 0 ? "Powertools idempotency, with another way to send each email once, or " : ""}the Powertools Logger): a decision for the functions' owners, not something \`events/\` or the bundler can change.`
          : "without it the function would be within the budget."),
    );
  }
  return lines;
}

/** Functions other than notifications that keep part of the email templates (they send no email). */
function emailTemplatesText(bundled: readonly FunctionBundles[]): string[] {
  const carrying = bundled
    .filter((fn) => fn.name !== "notifications")
    .map((fn) => ({
      name: fn.name,
      bytes: fn.bundle.ourCodeByFile.find((file) => file.name === BAHT_FORMATTER_SOURCE)?.bytes ?? 0,
    }))
    .filter((fn) => fn.bytes > 0);
  if (carrying.length === 0) return [];
  return [
    "",
    `${carrying.map((fn) => `${fn.name} keeps ${kb(fn.bytes)}`).join(" and ")} of \`${BAHT_FORMATTER_SOURCE}\`, which ${carrying.length > 1 ? "they never call" : "it never calls"}.`,
    "A few bytes; it builds no Thai baht formatter (`formatBaht` writes the format itself), so it costs them no cold-start time (section 5).",
  ];
}

const coldVerdict = (verdict: string) =>
  verdict === "met"
    ? "✅ met"
    : verdict === "missed"
      ? "❌ missed"
      : "➖ unsettled (the median's interval straddles the goal)";

/** Which functions meet the cold-start goal and what their extra time is made of. */
function coldStartVerdictText(r: BenchResults): string[] {
  const rows = r.coldStart.rows.filter((row) => row.variant === "as built" && row.sdk === "bundled");
  const parts = r.coldStart.rows.filter((row) => row.variant === "diagnostic");
  const over = (row: { medianMs: number; bareMedianMs: number }) => roundMs(row.medianMs - row.bareMedianMs);
  const part = (name: string) => parts.find((row) => row.name === name);
  const formatter = part("Thai baht formatter");
  const lines = [
    "The bare handler builds the same SDK clients and sends the same requests, so a function's extra time is its extra code of",
    "section 4 parsed and run in module scope, plus its own work on the first event (parsing the contract, deciding, building the",
    `outcome or the email). On the median, functions take ${rows.map((row) => `${over(row)} ms (${row.name})`).join(", ")} more than`,
    `their bare handlers; 1.2 allows ${rows.map((row) => `${roundMs(row.bareMedianMs * (r.coldStart.goalRatio - 1))} ms`).join(", ")}.` +
      (parts.length > 0
        ? ` The parts alone, imported over their bare modules: ${parts.map((row) => `${row.name} ${over(row)} ms`).join(", ")}.`
        : ""),
  ];
  if (formatter) {
    lines.push(
      "",
      `**The Thai baht formatter.** \`new Intl.NumberFormat("th-TH", …)\` sets up ICU's Thai locale and currency data: ${over(formatter)} ms on the median`,
      `(${roundMs(formatter.fastestMs - formatter.bareFastestMs)} ms fastest) when built. \`formatBaht\` in \`${BAHT_FORMATTER_SOURCE}\` writes the same format without it`,
      "(a test compares the two on 2,000 amounts), so notifications no longer pays for it in its first invocation.",
    );
  }
  const by = (verdict: string) => rows.filter((row) => row.verdict === verdict);
  const listed = (list: typeof rows) =>
    list
      .map(
        (row) =>
          `${row.name} (${row.ratio}, 95 % interval of the median ${row.ratioCiLow}–${row.ratioCiHigh}, middle half of the rounds ${row.ratioP25}–${row.ratioP75})`,
      )
      .join(", ");
  if (by("met").length > 0) lines.push("", `**Met** by ${listed(by("met"))}.`);
  if (by("missed").length > 0) lines.push("", `**Missed** by ${listed(by("missed"))}.`);
  if (by("unsettled").length > 0)
    lines.push(
      "",
      `**Unsettled** for ${listed(by("unsettled"))}: the median's confidence interval lies on both sides of ${r.coldStart.goalRatio}, so the next run could give either verdict; more rounds narrow it.`,
    );
  return lines;
}

/** Section 1's throughput by in-flight count, dynalite on its worker thread and on the main thread side by side. */
function throughputScalingText(r: BenchResults): string[] {
  const scaling = r.throughputScaling;
  if (!scaling) return [];
  const spread = (value: { median: number; min: number; max: number }, digits: number) =>
    `${n(value.median, digits)} (${n(value.min, digits)}–${n(value.max, digits)})`;
  const row = (thread: "worker" | "main", inFlight: number) =>
    scaling.rows.find((candidate) => candidate.dynamoDb === thread && candidate.inFlight === inFlight);
  const inFlight = [...new Set(scaling.rows.map((candidate) => candidate.inFlight))];
  const checked = scaling.rows.reduce((sum, candidate) => sum + candidate.runsChecked, 0);
  const runs = scaling.rows.reduce((sum, candidate) => sum + candidate.runs, 0);
  return [
    "",
    `**Throughput by in-flight count.** The same mix, ${scaling.rounds} interleaved round(s) per cell, median (lowest–highest): dynalite on its`,
    "worker thread (as `npm start` runs it) and, side by side in this run, on the functions' thread as it ran before.",
    `Every check of the mix held in ${n(checked)} of ${n(runs)} runs${checked < runs ? ` (the others: ${scaling.rows.flatMap((candidate) => candidate.failedChecks.map((failed) => `${candidate.dynamoDb}, ${candidate.inFlight} in flight: ${failed}`)).join("; ")})` : ""}. The main thread's CPU time per confirmation does not depend on how`,
    "busy the machine is: 1000 / it is the throughput that thread allows with a core of its own, the bound on two idle cores.",
    "With many in flight, a redelivery in the mix can arrive while its original is still being handled: notifications refuses it",
    `(idempotency in progress) and the bus retries it, which lengthens the tail (${n(scaling.warnings)} such retries or other warnings in these runs).`,
    "",
    table(
      [
        "in flight",
        "confirmations/s, dynalite on its worker",
        "on the main thread",
        "p50 ms, worker",
        "p50 ms, main",
        "cores busy, worker",
        "cores busy, main",
        "main-thread CPU ms per confirmation, worker",
        "main",
      ],
      inFlight.map((count) => {
        const worker = row("worker", count);
        const main = row("main", count);
        return [
          count,
          worker ? spread(worker.throughputPerSecond, 1) : "–",
          main ? spread(main.throughputPerSecond, 1) : "–",
          worker ? n(worker.latencyP50Ms.median, 1) : "–",
          main ? n(main.latencyP50Ms.median, 1) : "–",
          worker ? n(worker.cpuCoresBusy.median, 2) : "–",
          main ? n(main.cpuCoresBusy.median, 2) : "–",
          worker?.mainThreadCpuMsPerConfirmation ? n(worker.mainThreadCpuMsPerConfirmation.median, 1) : "–",
          main?.mainThreadCpuMsPerConfirmation ? n(main.mainThreadCpuMsPerConfirmation.median, 1) : "–",
        ];
      }),
    ),
  ];
}

/**
 * The cost per million confirmations and the requests per confirmation by service before issue 19
 * (fewer writes), from the run of commit de22079 (same mix, same prices): the "before" column of
 * section 7's per-service table.
 */
const BEFORE_ISSUE_19: Readonly<Record<string, { readonly usd: number; readonly requests: number }>> = {
  DynamoDB: { usd: 7.63, requests: 11.56 },
  Lambda: { usd: 1.37, requests: 0.95 },
  EventBridge: { usd: 2.14, requests: 2.0 },
  SES: { usd: 85.6, requests: 0.86 },
  SNS: { usd: 0.48, requests: 0.95 },
};

/** Section 7's cost lines summed per service (the first word of each item), with the figures before issue 19. */
function costPerService(r: BenchResults): string[] {
  const services = new Map<string, number>();
  for (const line of r.cost.lines) {
    const service = line.item.split(" ")[0]!;
    services.set(service, (services.get(service) ?? 0) + line.usdPerMillionConfirmations);
  }
  const before = Object.values(BEFORE_ISSUE_19);
  return [
    "Per service, against the run before issue 19 (commit de22079: Powertools idempotency in notifications, six email-log",
    "writes per notification, a row-time pin per audit row):",
    "",
    table(
      ["service", "requests per confirmation", "before", "USD per million confirmations", "before"],
      [
        ...[...services].map(([service, usdValue]) => [
          service,
          n(r.requests.totalsPerConfirmation[service] ?? 0, 2),
          BEFORE_ISSUE_19[service] ? n(BEFORE_ISSUE_19[service]!.requests, 2) : "",
          usd(usdValue),
          BEFORE_ISSUE_19[service] ? usd(BEFORE_ISSUE_19[service]!.usd) : "",
        ]),
        [
          "all",
          n(
            r.requests.byOperation.reduce((sum, row) => sum + row.perConfirmation, 0),
            2,
          ),
          n(
            before.reduce((sum, b) => sum + b.requests, 0),
            2,
          ),
          usd(r.cost.usdPerMillionConfirmations),
          usd(before.reduce((sum, b) => sum + b.usd, 0)),
        ],
      ],
    ),
    "",
  ];
}

/** The services the requests went to, in the order of the totals. */
const requestServices = (r: BenchResults) =>
  Object.keys(r.requests.totalsPerConfirmation).filter((service) => service !== "EventBridge entries");

/** Where each file is linked from: paths relative to BENCHMARKS.md. */
export interface MarkdownLinks {
  readonly resultsFile: string;
  readonly chartFile: string;
}

/** BENCHMARKS.md, entirely from a results file: `npm run bench -- --render` rewrites it without measuring. */
export function renderBenchmarksMarkdown(r: BenchResults, links: MarkdownLinks): string {
  const e2e = r.endToEnd;
  const floor = r.ioFloor;
  const requestsPerConfirmation = Object.entries(r.requests.totalsPerConfirmation);
  const httpRequests = r.requests.byOperation.reduce((sum, row) => sum + row.perConfirmation, 0);
  const ourShare = r.endToEndProfile.shares
    .filter((s) => /our code|zod|Powertools/.test(s.group))
    .reduce((sum, s) => sum + s.percent, 0);
  const bundled = r.bundles.functions.filter((fn) => fn.sdk === "bundled");
  const bundleParts = bundled.map((fn) => partsOf(fn, r.bundles.goalRatio));
  const coldAsBuilt = r.coldStart.rows.filter((row) => row.variant === "as built");
  const coldDiagnostics = r.coldStart.rows.filter((row) => row.variant === "diagnostic");
  const floorOutside = floor.breakdown.processorOutsideSdkMs - floor.breakdown.floorOutsideSdkMs;
  const floorInside = floor.breakdown.processorInSdkMs - floor.breakdown.floorInSdkMs;
  const unloadedFunctions = new Map(r.endToEndUnloaded.functions.map((fn) => [fn.name, fn]));

  return [
    "# Benchmarks",
    "",
    `Generated by \`${r.command}\` on ${r.generatedAt.slice(0, 10)} (${r.durationSeconds} s) from [\`${links.resultsFile}\`](${links.resultsFile}).`,
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, ${r.machine.memoryGb} GB, ${r.machine.os}, Node ${r.machine.node}.`,
    "",
    "Every figure is measured against the lowest it could be **in the same run** (the I/O floor, a bare handler), so the",
    "ratios hold on a noisy machine even when the absolute numbers move. `npm run bench` runs the local runtime",
    "in-process (dynalite, the local EventBridge, Lambda, SES, SNS behind one endpoint) and takes a few minutes;",
    "`npm run bench -- --quick` is the CI-sized smoke run (writes `bench/results.quick.json`, leaves this file alone);",
    "`npm run bench -- --render` rewrites this file from `bench/results.json` without measuring.",
    "",
    "## Summary",
    "",
    table(
      ["figure", "value"],
      [
        [
          `end-to-end throughput (${r.machine.cpus} cores, everything in one Node process)`,
          `${n(e2e.throughputPerSecond, 1)} confirmations/s`,
        ],
        [
          `end-to-end latency under load (${e2e.concurrency} in flight), p50 / p95 / p99`,
          `${n(e2e.latencyMs.p50)} / ${n(e2e.latencyMs.p95)} / ${n(e2e.latencyMs.p99)} ms`,
        ],
        [
          "end-to-end latency one at a time, p50 / p95 / p99",
          `${n(r.endToEndUnloaded.latencyMs.p50, 1)} / ${n(r.endToEndUnloaded.latencyMs.p95, 1)} / ${n(r.endToEndUnloaded.latencyMs.p99, 1)} ms`,
        ],
        ["processor time / I/O floor", `${floor.ratio}`],
        [
          "pattern matching, slowest set",
          `${n(Math.min(...r.patternMatching.rows.map((row) => row.matchesPerSecond)))} matches/s`,
        ],
        ["bundle / bare handler, SDK bundled, worst", `${Math.max(...bundled.map((fn) => fn.ratio))}`],
        [
          "cold start / bare handler, SDK bundled, worst",
          `${Math.max(...coldAsBuilt.filter((row) => row.sdk === "bundled").map((row) => row.ratio))}`,
        ],
        [
          "replay to one filtered rule",
          r.replay.available ? `${n(r.replay.eventsPerSecond)} events/s` : "skipped: replay API not available",
        ],
        [
          "AWS requests per confirmation (HTTP, plus rule deliveries)",
          `${n(httpRequests, 1)} + ${n(
            r.requests.deliveriesPerConfirmation.reduce((sum, d) => sum + d.perConfirmation, 0),
            1,
          )}`,
        ],
        [
          `AWS cost per million confirmations (${r.cost.region})`,
          `${usd(r.cost.usdPerMillionConfirmations)} (${usd((r.cost.usdPerMillionConfirmations * e2e.confirmations) / e2e.paid)} per million paid orders)`,
        ],
      ],
    ),
    "",
    "## Goals",
    "",
    table(
      ["goal", "target", "measured", "verdict"],
      r.goals.map((g) => [
        g.goal,
        g.target,
        g.measured,
        g.judged === false ? "➖ not judged (figure shown beside the goal)" : mark(g.met),
      ]),
    ),
    "",
    "## 1. End-to-end: PutEvents → audit row and email written",
    "",
    `![latency distribution and throughput over time](${links.chartFile})`,
    "",
    table(
      ["run", "confirmations", "in flight", "confirmations/s", "p50 ms", "p95 ms", "p99 ms", "max ms"],
      [latencyRow("one at a time (no load)", r.endToEndUnloaded), latencyRow("under load", e2e)],
    ),
    ...throughputScalingText(r),
    "",
    `The mix: ${n(e2e.paid)} paid in full (every third through the bank app), ${n(e2e.declined)} declined, ${n(e2e.duplicates)} redeliveries of an`,
    `earlier paid confirmation, over ${n(e2e.uniqueOrders)} orders (one in ten without an email address: SNS only). Each confirmation is published`,
    "through the callbacks' publisher (`publishWalletPaymentConfirmed`, one PutEvents); the clock stops when every subscriber",
    "its outcome reaches (by the registry's patterns) has returned: the audit row is written and, for paid and declined",
    "payments, the email is sent and logged. Under load, a fixed number of confirmations is in flight (a closed loop).",
    `Checks: ${n(e2e.checks.auditRows.actual)}/${n(e2e.checks.auditRows.expected)} audit rows, ${n(e2e.checks.emailsSent.actual)}/${n(e2e.checks.emailsSent.expected)} emails, ${n(e2e.checks.snsMessages.actual)}/${n(e2e.checks.snsMessages.expected)} SNS messages,`,
    `${e2e.checks.deadLetters} dead letters, ${e2e.checks.failedDeliveryAttempts} failed delivery attempts, ${e2e.timedOut} timed out. The bus has an archive, as deployed.`,
    "",
    "**What bounds the throughput.** Everything runs in one Node process: the callers, the three functions with their",
    "SDK clients, the endpoint and the emulated EventBridge, Lambda, SES and SNS on one JavaScript thread; dynalite (the",
    "emulated DynamoDB) on a worker thread of its own, which the endpoint hands each DynamoDB request over a message port.",
    `Each confirmation costs ${n(httpRequests, 1)} HTTP requests to the endpoint (section 7), and the run used ${n(e2e.cpuMsPerConfirmation, 1)} ms of CPU`,
    `per confirmation (both threads) with ${n(e2e.cpuCoresBusy, 2)} cores busy: the main thread is saturated, and dynalite's thread takes the rest.`,
    `A CPU profile of the main thread in a separate pass of ${n(r.endToEndProfile.confirmations)} confirmations shows where its time goes (dynalite's thread`,
    `is not in it); our code, zod and Powertools together are ${n(ourShare, 1)} %:`,
    "",
    table(
      ["where (self time)", "ms", "%"],
      r.endToEndProfile.shares.map((s) => [s.group, n(s.ms), n(s.percent, 1)]),
    ),
    "",
    `Latency under load is queueing for that thread: with ${e2e.concurrency} in flight at ${n(e2e.throughputPerSecond, 1)}/s, Little's law gives ${n((e2e.concurrency / e2e.throughputPerSecond) * 1000)} ms`,
    `mean (measured: ${n(e2e.latencyMs.mean)} ms); one at a time, a confirmation takes ${n(r.endToEndUnloaded.latencyMs.p50, 1)} ms (p50). On AWS each invocation has its`,
    "own CPU and the services are elsewhere, so the loaded figures measure the local emulation, not what the system can",
    "do there (EventBridge and Lambda scale out); what they do show is that every confirmation of the mix completes",
    "correctly under concurrency (the checks above), and how little of the CPU is ours.",
    "",
    "Function durations (in-process, ms):",
    "",
    table(
      [
        "function",
        "invocations per confirmation",
        "mean, no load",
        "p95, no load",
        "mean under load",
        "p95 under load",
      ],
      e2e.functions.map((fn) => {
        const unloaded = unloadedFunctions.get(fn.name);
        return [
          fn.name,
          n(fn.invocations / e2e.confirmations, 2),
          n(unloaded?.durationMs.mean ?? Number.NaN, 2),
          n(unloaded?.durationMs.p95 ?? Number.NaN, 2),
          n(fn.durationMs.mean, 1),
          n(fn.durationMs.p95, 1),
        ];
      }),
    ),
    "",
    "## 2. The I/O floor",
    "",
    `The processor's Lambda handler, called directly one confirmation at a time, against the four calls it cannot avoid`,
    "(GetItem, the calculate-cost Invoke, the conditional UpdateItem, PutEvents) issued directly with the same SDK clients,",
    `the same request contents and the same endpoint, each on its own fresh orders, alternating which goes first.`,
    `Both publish to \`${floor.eventBusName}\`, a bus without rules, so no delivery runs in the background. ${n(floor.confirmations)} confirmations`,
    `per side after ${n(floor.warmup)} warm-up ones.`,
    "",
    table(
      ["", "p50 ms", "mean ms", "p95 ms", "p99 ms", "inside SDK send, mean ms", "outside, mean ms"],
      [
        [
          "processor handler",
          n(floor.processorMs.p50, 3),
          n(floor.processorMs.mean, 3),
          n(floor.processorMs.p95, 3),
          n(floor.processorMs.p99, 3),
          n(floor.breakdown.processorInSdkMs, 3),
          n(floor.breakdown.processorOutsideSdkMs, 3),
        ],
        [
          "I/O floor",
          n(floor.floorMs.p50, 3),
          n(floor.floorMs.mean, 3),
          n(floor.floorMs.p95, 3),
          n(floor.floorMs.p99, 3),
          n(floor.breakdown.floorInSdkMs, 3),
          n(floor.breakdown.floorOutsideSdkMs, 3),
        ],
      ],
    ),
    "",
    `**Ratio ${floor.ratio}** (medians; means ${floor.meanRatio}) against a goal of at most ${floor.goal}: ${mark(floor.met)}.`,
    `The processor's own code outside the SDK (parsing the envelope and detail with the zod contract, deciding, building and`,
    `validating the outcome event, Powertools log context) takes ${n(floor.breakdown.processorOutsideSdkMs, 3)} ms per confirmation against the floor's`,
    `${n(floor.breakdown.floorOutsideSdkMs, 3)} ms (building the requests, parsing the answer): ${n(floorOutside, 3)} ms more. Inside the SDK calls the two sides send`,
    `the same four requests built from the same data; there they differ by ${floorInside >= 0 ? "+" : ""}${n(floorInside, 3)} ms on the mean, a figure that moves between`,
    "runs (garbage collection brought forward by the processor's own allocations lands inside its calls). The rest of both",
    "is the SDK (building, signing, parsing) and the emulated services on the same CPU, which the processor cannot avoid.",
    "Per call, mean ms inside `send`:",
    "",
    table(
      ["call", "processor", "floor"],
      floor.breakdown.perCall.map((c) => [c.call, n(c.processorMs, 3), n(c.floorMs, 3)]),
    ),
    "",
    "## 3. Pattern matching",
    "",
    `Compiled patterns (\`packages/aws-local/src/event-pattern\`), one thread, ${r.patternMatching.measureMs} ms per set after a warm-up, every pair evaluated round-robin.`,
    "The registry set tests every event of the flow (both confirmation sources, the legacy shape, a foreign source, OrderPaid,",
    "and OrderPaymentFailed declined / already paid / retryable) against every rule of the subscription registry, as the bus does.",
    "",
    table(
      ["set", "pairs", "matching", "matches/s", "verdict"],
      r.patternMatching.rows.map((row) => [
        row.name,
        row.pairs,
        row.matchingPairs,
        n(row.matchesPerSecond),
        mark(row.matchesPerSecond >= r.patternMatching.goalPerSecond),
      ]),
    ),
    "",
    "## 4. Bundle size",
    "",
    `esbuild: ${r.bundles.esbuild}. The bare handler imports the same SDK clients as the function (found in its bundle), builds`,
    "them once as a handler does, and exports a handler that does nothing. The goal is judged on the SDK-bundled bundles, which",
    "are what the stacks deploy (SST v2 bundles the SDK for ESM); with the SDK external the bare handler is a few hundred",
    "bytes, so that ratio only says how much of the function is not the SDK.",
    "",
    table(
      ["function", "SDK", "SDK clients", "bundle", "gzip", "bare", "ratio", "verdict", "largest extra over bare"],
      r.bundles.functions.map((fn) => [
        fn.name,
        fn.sdk,
        fn.sdkClients.map((c) => c.replace("@aws-sdk/", "")).join(", "),
        kb(fn.bundle.bytes),
        kb(fn.bundle.gzipBytes),
        kb(fn.bare.bytes),
        fn.ratio,
        fn.sdk === "bundled" ? mark(fn.ratio <= r.bundles.goalRatio) : "(not judged)",
        extraText(fn),
      ]),
    ),
    "",
    "**What the extra is.** Bytes each package (or folder of ours) adds to the minified output beyond the bare handler's, from",
    "esbuild's metafile; the budget is what the goal allows, 0.2 × the bare handler:",
    "",
    table(
      [
        "function",
        "extra over bare",
        "budget at 1.2",
        "zod (zod/mini)",
        "Powertools",
        "our code",
        "AWS SDK beyond the bare clients",
        "verdict",
      ],
      bundleParts.map((p) => [
        p.name,
        kb(p.extra),
        kb(p.budget),
        kb(p.zod),
        `${kb(p.powertools)} (${p.powertoolsBy.map((part) => `${part.name.replace("@aws-lambda-powertools/", "")} ${kb(part.bytes)}`).join(", ")})`,
        `${kb(p.ours)} (${p.oursBy.map((part) => `${part.name} ${kb(part.bytes)}`).join(", ")})`,
        kb(p.sdk),
        mark(p.extra <= p.budget),
      ]),
    ),
    "",
    `The columns add up to the extra within ${kb(Math.max(...bundleParts.map((p) => Math.abs(p.rest))))} (packages of which the bare handler has more). The event contracts use \`zod/mini\`,`,
    "zod 4's tree-shakable API, so a bundle keeps only the schema types and checks they call, plus the English messages of the",
    "issues a contract leaves to zod (`events/src/zod-english-messages.ts`, zod's own words, passed to each parse: mini loads no",
    "locale; zod's whole English locale was 3.2 KB of each bundle). `@payment3/events` and `@payment3/core` declare",
    '`"sideEffects": false`, so esbuild drops the modules of their barrels a handler does not use (email-events no longer',
    "carries the payment contracts). The stacks bundle with esbuild `charset: utf8` (`stacks/function-bundling.ts`), so the",
    "Thai email copy takes 3 bytes a character instead of a 6-byte `\\uXXXX` escape; importing the notifications bundle takes",
    "the same time either way (30 interleaved fresh imports: 122.2 ms against 122.8 ms on the median). In earlier runs, with",
    'classic zod imported as a namespace, zod was about 97 KB of each function; with `import { z } from "zod"`, about 459 KB.',
    "",
    ...bundleVerdictText(bundleParts).flatMap((paragraph, index) => (index === 0 ? [paragraph] : ["", paragraph])),
    ...emailTemplatesText(bundled),
    "",
    ...(r.bundles.diagnostics.length > 0
      ? [
          "The parts alone (diagnostic, not judged), each bundled the same way against a bare module with the same SDK clients (an",
          "empty module when it has none):",
          "",
          table(
            ["part", "what it imports", "bundle", "bare", "extra over bare", "largest extra over bare"],
            r.bundles.diagnostics.map((d) => [
              d.name,
              d.handler,
              kb(d.bundle.bytes),
              `${kb(d.bare.bytes)}${d.sdkClients.length > 0 ? ` (${d.sdkClients.map((c) => c.replace("@aws-sdk/", "")).join(", ")})` : " (empty)"}`,
              kb(Math.max(0, d.bundle.bytes - d.bare.bytes)),
              extraText(d) || "—",
            ]),
          ),
          "",
        ]
      : []),
    "## 5. Cold start",
    "",
    "Each function, SDK bundled as deployed, in a fresh `node` process: the time from the start of its import to the end of its",
    "first invocation, what Lambda bills and a caller waits for (module scope: config, logger, SDK clients; then the handler on a",
    "real event against a local endpoint of its own: a confirmation on a fresh order for the processor, an OrderPaid for the",
    "subscribers, with a customer address for notifications, an SES Email Delivered for email-events, and for the email sweep",
    "a scheduled event with one email-log row awaiting proof for longer than the window, as the notifier leaves it). Work",
    "moved from module scope to the first call is still counted. Its bare handler builds the same SDK clients and sends the",
    "same requests: for processor, audit-log and notifications the function's own requests on a first delivery, captured by",
    "running its handler on the bare's order with clients that record instead of sending (`bench/captured-requests.ts`): for",
    "the processor the order read, calculate-cost, the conditional write of the outcome with the header and the recalculated",
    "order, and PutEvents; for notifications the email log's three conditional writes, the rendered email sent with the",
    "configuration set and tag (after which the local SES publishes the email's events to the email-events subscriber for both",
    "alike) and Publish; for the sweep the index's Query, the claim, SendEmail and the record, built by the sweep's own request",
    "builders, on a row of its own seeded just before it runs, the function's checked settled after it ran; for email-events one",
    "UpdateItem of the email-log row, a plainer write than the function's conditional one, so its ratio is if anything",
    "overstated. Nothing else, so the endpoint's work on a request counts on both sides.",
    `${r.coldStart.runs} rounds after one unrecorded run of each; every round times each`,
    "function and its bare handler one right after the other, alternating which goes first, so load from elsewhere on the machine",
    "falls on both alike. The figure is the median of the rounds' paired ratios, with its 95 % confidence interval",
    "(distribution-free: the order statistics the binomial sign test gives, `medianConfidenceInterval` in `bench/statistics.ts`)",
    "and, for the spread of one round, the middle half of the ratios (25th–75th percentile). The goal is **met** when the",
    `whole interval is within ${r.coldStart.goalRatio}, **missed** when it is all over, and **unsettled** when it straddles ${r.coldStart.goalRatio}, so a verdict`,
    "does not flip between runs on a busy machine; unlike the middle half, the interval narrows as rounds are added. Node " +
      `${r.machine.node} here; Lambda runs nodejs24.x.`,
    "",
    table(
      [
        "function",
        "timed",
        "median ms",
        "bare median ms",
        "paired ratio, median",
        "95 % interval of the median",
        "25th–75th percentile",
        "verdict",
        "fastest ms",
        "bare fastest ms",
        "fastest ratio",
      ],
      coldAsBuilt.map((row) => [
        row.name,
        row.timed,
        n(row.medianMs, 1),
        n(row.bareMedianMs, 1),
        row.ratio,
        `${row.ratioCiLow}–${row.ratioCiHigh}`,
        `${row.ratioP25}–${row.ratioP75}`,
        row.sdk === "bundled" ? coldVerdict(row.verdict) : "(not judged)",
        n(row.fastestMs, 1),
        n(row.bareFastestMs, 1),
        row.fastestRatio,
      ]),
    ),
    "",
    ...(coldDiagnostics.length > 0
      ? [
          "Where the time goes (diagnostic, not judged): the parts of section 4 alone, each imported against its bare module (import only), in the same rounds:",
          "",
          table(
            [
              "part",
              "extra size over bare",
              "median ms",
              "bare median ms",
              "difference ms",
              "fastest ms",
              "bare fastest ms",
              "difference ms",
            ],
            coldDiagnostics.map((row) => {
              const built = r.bundles.diagnostics.find((d) => d.name === row.name);
              return [
                row.name,
                built ? kb(Math.max(0, built.bundle.bytes - built.bare.bytes)) : "?",
                n(row.medianMs, 1),
                n(row.bareMedianMs, 1),
                n(row.medianMs - row.bareMedianMs, 1),
                n(row.fastestMs, 1),
                n(row.bareFastestMs, 1),
                n(row.fastestMs - row.bareFastestMs, 1),
              ];
            }),
          ),
          "",
        ]
      : []),
    ...coldStartVerdictText(r),
    "",
    "## 6. Replay",
    "",
    ...(r.replay.available
      ? [
          `The bus archive \`${r.replay.archiveName}\` (every event of the bus, as the stack's archive; the local runtime creates it) replayed`,
          "over the EventBridge API (StartReplay with `Destination.FilterArns`, its end awaited in-process) to one filtered rule",
          `(\`${r.replay.rule}\`, pattern \`${JSON.stringify(r.replay.rulePattern)}\`, a no-op target), timed from StartReplay until the last`,
          `delivery, median of ${r.replay.runs} run(s).`,
          "",
          table(
            [
              "archived events",
              "delivered to the rule",
              "expected",
              "seconds",
              "delivered events/s",
              "archived events walked/s",
            ],
            [
              [
                n(r.replay.archivedEvents),
                n(r.replay.eventsDelivered),
                n(r.replay.expectedDeliveries),
                n(r.replay.seconds, 3),
                n(r.replay.eventsPerSecond),
                n(r.replay.archivedEventsPerSecond),
              ],
            ],
          ),
        ]
      : [`Skipped: ${r.replay.reason}.`]),
    "",
    "## 7. AWS requests and cost per confirmation",
    "",
    `Counted at the local endpoint in a separate pass of the loaded run's confirmations (${n(r.requests.confirmations)}, the mix above, ${n(r.requests.inFlight)} in flight), by the`,
    "request's X-Amz-Target, path or Action, so it is what AWS would see, and by the function that sent it: the bench runs",
    "each invocation in an async context naming its function and adds that name as a header to every HTTP request sent",
    "from it (at the `http.Agent`, before the request is written; the endpoint ignores the header), so each request is",
    "counted for exactly one function; `callers` are the requests sent outside any function (the callbacks' PutEvents).",
    "That async context makes every promise in the process slower, so the end-to-end runs of section 1 (one at a time,",
    "under load, by in-flight count, the CPU profile) count nothing, and this pass's times are not reported; it runs after",
    `every timed measurement, in a local runtime of its own. ${
      r.requests.failedChecks.length === 0
        ? "Every check of the mix held in it."
        : `Not every check of the mix held in it: ${r.requests.failedChecks.join(", ")}.`
    }`,
    "",
    table(
      ["function", ...requestServices(r), "all"],
      r.requests.byCaller.map((caller) => [
        `${caller.label}${caller.paymentPath ? "" : " (not in issue 19's goal)"}`,
        ...requestServices(r).map((service) => n(caller.perConfirmation[service] ?? 0, 3)),
        n(
          Object.values(caller.perConfirmation).reduce((sum, value) => sum + value, 0),
          3,
        ),
      ]),
    ),
    "",
    table(
      [
        "function",
        "service",
        "operation",
        "resource",
        "requests per confirmation",
        "PutEvents entries per confirmation",
      ],
      r.requests.byOperation.map((row) => [
        r.requests.byCaller.find((caller) => caller.caller === row.caller)?.label ?? row.caller,
        row.service,
        row.operation,
        row.resource || "—",
        n(row.perConfirmation, 3),
        row.entriesPerConfirmation === undefined ? "" : n(row.entriesPerConfirmation, 3),
      ]),
    ),
    "",
    `Totals per confirmation: ${requestsPerConfirmation.map(([service, value]) => `${service} ${n(value, 2)}`).join(", ")}.`,
    `Rule target deliveries (Lambda invocations by EventBridge, not HTTP requests to the endpoint): ${r.requests.deliveriesPerConfirmation.map((d) => `${d.function} ${n(d.perConfirmation, 2)}`).join(", ")}.`,
    "",
    "Item sizes (DynamoDB's rules) that turn requests into capacity units:",
    "",
    table(
      ["table", "items", "mean bytes", "max bytes", "WRU per write", "RRU per consistent read"],
      r.tables.map((t) => [
        t.table,
        n(t.items),
        // An empty table (the idempotency table when no outcome needed a pin and no note was written) has no mean.
        t.items > 0 ? n(t.meanBytes) : "—",
        t.items > 0 ? n(t.maxBytes) : "—",
        t.writeUnitsPerWrite,
        t.readUnitsPerConsistentRead,
      ]),
    ),
    "",
    `**Cost per million confirmations: ${usd(r.cost.usdPerMillionConfirmations)}** (${r.cost.region}, list prices as of ${r.cost.pricesAsOf}), the mix above; spread over the`,
    `paid orders alone (declines and redeliveries cost too), ${usd((r.cost.usdPerMillionConfirmations * e2e.confirmations) / e2e.paid)} per million paid orders. SES is most of it: one email per paid or`,
    "declined order with an address.",
    "",
    ...costPerService(r),
    "By item:",
    "",
    table(
      ["item", "units per confirmation", "unit", "USD per million confirmations"],
      r.cost.lines.map((l) => [l.item, n(l.unitsPerConfirmation, 4), l.unit, usd(l.usdPerMillionConfirmations)]),
    ),
    "",
    "Lambda durations are the unloaded run's mean per function, rounded up to the millisecond; memory:",
    `${r.cost.memory.map((m) => `${m.name} ${m.memoryMb} MB (${m.source})`).join("; ")}.`,
    "",
    `Prices used (${r.cost.region}, USD, no free tier, as of ${r.cost.pricesAsOf}; written into \`bench/aws-cost.ts\`, not fetched: check them before quoting):`,
    "",
    ...r.cost.priceNotes.map((note) => `- ${note}`),
    "",
    "Not included:",
    "",
    ...r.cost.excluded.map((item) => `- ${item}`),
    "",
  ].join("\n");
}
