/**
 * `npm run bench [-- --quick] [--out <dir>] [--markdown <file> | --no-markdown] [--render]`
 *
 * Measures what the "Benchmarks" issue asks for (see BENCHMARKS.md) and writes the results,
 * the SVG chart and BENCHMARKS.md. `--render` only rewrites the Markdown from existing results.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { checkResultsShape, type BenchResults } from "./bench-results";
import { renderBenchmarksMarkdown } from "./benchmarks-markdown";
import { runBenchmarks } from "./run-benchmarks";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// The local endpoint accepts any signature; the SDK still insists on having credentials.
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";
process.env.AWS_REGION ??= "ap-southeast-1";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `npm run bench [-- options]

  --quick             CI-sized run (well under a minute): writes results.quick.json, no Markdown
  --out <dir>         where results and the SVG go (default bench/)
  --markdown <file>   the Markdown report (default BENCHMARKS.md for the full run)
  --no-markdown       write no Markdown
  --render            only rewrite the Markdown from <out>/results.json
  -h, --help          this text`;

function linksFrom(markdownPath: string, resultsPath: string, chartPath: string) {
  const from = dirname(markdownPath);
  return { resultsFile: relative(from, resultsPath), chartFile: relative(from, chartPath) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      out: { type: "string" },
      markdown: { type: "string" },
      "no-markdown": { type: "boolean", default: false },
      render: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const outputDirectory = resolve(values.out ?? join(ROOT, "bench"));
  const markdownPath = values["no-markdown"]
    ? undefined
    : values.markdown
      ? resolve(values.markdown)
      : values.quick
        ? undefined
        : join(ROOT, "BENCHMARKS.md");

  if (values.render) {
    const resultsPath = join(outputDirectory, values.quick ? "results.quick.json" : "results.json");
    const results = JSON.parse(readFileSync(resultsPath, "utf8")) as BenchResults;
    const problems = checkResultsShape(results);
    if (problems.length > 0)
      throw new Error(`${resultsPath} is not a well-formed results file: ${problems.join("; ")}`);
    const target = markdownPath ?? join(ROOT, "BENCHMARKS.md");
    writeFileSync(
      target,
      renderBenchmarksMarkdown(results, linksFrom(target, resultsPath, join(outputDirectory, results.chart))),
    );
    console.log(`wrote ${relative(process.cwd(), target)} from ${relative(process.cwd(), resultsPath)}`);
    return;
  }

  const command = ["npm run bench", ...(values.quick ? ["-- --quick"] : [])].join(" ");
  const run = await runBenchmarks({
    quick: values.quick,
    outputDirectory,
    ...(markdownPath ? { markdownPath } : {}),
    command,
  });
  const r = run.results;
  console.log("");
  for (const goal of r.goals)
    console.log(
      `${goal.judged === false ? "shown " : goal.met ? "met   " : "MISSED"}  ${goal.goal}: ${goal.measured} (goal ${goal.target})`,
    );
  console.log(
    `end-to-end: ${r.endToEnd.throughputPerSecond} confirmations/s, p50 ${r.endToEnd.latencyMs.p50} ms, p95 ${r.endToEnd.latencyMs.p95} ms, p99 ${r.endToEnd.latencyMs.p99} ms`,
  );
  console.log(
    r.replay.available
      ? `replay: ${r.replay.eventsPerSecond} events/s to one filtered rule`
      : `replay: skipped, ${r.replay.reason}`,
  );
  console.log(
    `cost: $${r.cost.usdPerMillionConfirmations} per million confirmations (${r.cost.region}, prices as of ${r.cost.pricesAsOf})`,
  );
  console.log(
    `wrote ${relative(process.cwd(), run.resultsPath)}, ${relative(process.cwd(), run.chartPath)}${markdownPath ? `, ${relative(process.cwd(), markdownPath)}` : ""}`,
  );
}

main().then(
  // The SDK clients' keep-alive sockets and dynalite's LevelDB would keep the process up.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
