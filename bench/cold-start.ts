import { execFile } from "node:child_process";
import { symlinkSync, writeFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import type { FunctionBundles, SdkPackaging } from "./bundles";
import { median, roundTo } from "./statistics";

const run = promisify(execFile);

export interface ColdStartRow {
  readonly name: string;
  readonly variant: FunctionBundles["variant"];
  readonly sdk: SdkPackaging;
  /** Median time of `await import()` of the bundle in a fresh node process. */
  readonly medianMs: number;
  readonly bareMedianMs: number;
  /** Median / bare median: the verdict. */
  readonly ratio: number;
  /**
   * Fastest run / bare fastest run: other load on the machine only ever adds time, so the fastest
   * runs are the closest to the bundles' own cost. A cross-check of `ratio` on a busy machine.
   */
  readonly fastestMs: number;
  readonly bareFastestMs: number;
  readonly fastestRatio: number;
  readonly samplesMs: readonly number[];
  readonly bareSamplesMs: readonly number[];
}

export interface ColdStartResult {
  readonly runs: number;
  readonly goalRatio: number;
  readonly rows: readonly ColdStartRow[];
  /** Judged on the SDK-bundled bundles as built, which are what the stacks deploy. */
  readonly met: boolean;
}

export const COLD_START_GOAL_RATIO = 1.2;

const CHILD = `const started = performance.now();
await import(process.argv[2]);
process.stdout.write(JSON.stringify({ importMs: performance.now() - started }));
`;

/** The environment a function starts with on Lambda, as far as its module scope reads it. */
function childEnvironment(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _nodeOptions, ...env } = process.env;
  return {
    ...env,
    AWS_REGION: "ap-southeast-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_LAMBDA_FUNCTION_NAME: "payment3-bench",
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "1024",
    POWERTOOLS_LOG_LEVEL: "INFO",
  };
}

async function importTime(child: string, bundle: string): Promise<number> {
  const { stdout } = await run(process.execPath, [child, resolve(bundle)], {
    env: childEnvironment(),
    timeout: 60_000,
  });
  return (JSON.parse(stdout) as { importMs: number }).importMs;
}

/**
 * Time to import each bundled handler in a fresh node process (its module scope runs: config,
 * logger, SDK clients), against its bare handler: one unrecorded run of each first, then `runs`
 * rounds, each importing every bundle once with its bare handler right before or after it
 * (alternating), so drift in the machine's load falls on both alike; medians compared. The
 * SDK-external bundles resolve the SDK from the repository's node_modules, as the Lambda
 * runtime provides it.
 */
export async function measureColdStarts(
  bundles: readonly FunctionBundles[],
  outputDirectory: string,
  runs: number,
  log: (message: string) => void,
): Promise<ColdStartResult> {
  const child = join(outputDirectory, "cold-start-child.mjs");
  writeFileSync(child, CHILD);
  const modules = join(outputDirectory, "node_modules");
  if (!existsSync(modules)) symlinkSync(fileURLToPath(new URL("../node_modules", import.meta.url)), modules, "dir");
  for (const fn of bundles) {
    await importTime(child, fn.bundle.file);
    await importTime(child, fn.bare.file);
  }
  const samples = bundles.map(() => ({ function: [] as number[], bare: [] as number[] }));
  for (let round = 0; round < runs; round++) {
    log(`cold start: round ${round + 1} of ${runs}, ${bundles.length} bundles and their bare handlers`);
    for (const [index, fn] of bundles.entries()) {
      const sample = samples[index]!;
      if (round % 2 === 0) {
        sample.function.push(await importTime(child, fn.bundle.file));
        sample.bare.push(await importTime(child, fn.bare.file));
      } else {
        sample.bare.push(await importTime(child, fn.bare.file));
        sample.function.push(await importTime(child, fn.bundle.file));
      }
    }
  }
  const rows = bundles.map((fn, index): ColdStartRow => {
    const { function: times, bare } = samples[index]!;
    const medianMs = median(times);
    const bareMedianMs = median(bare);
    const fastestMs = Math.min(...times);
    const bareFastestMs = Math.min(...bare);
    return {
      name: fn.name,
      variant: fn.variant,
      sdk: fn.sdk,
      medianMs: roundTo(medianMs, 2),
      bareMedianMs: roundTo(bareMedianMs, 2),
      ratio: roundTo(medianMs / bareMedianMs, 3),
      fastestMs: roundTo(fastestMs, 2),
      bareFastestMs: roundTo(bareFastestMs, 2),
      fastestRatio: roundTo(fastestMs / bareFastestMs, 3),
      samplesMs: times.map((value) => roundTo(value, 2)),
      bareSamplesMs: bare.map((value) => roundTo(value, 2)),
    };
  });
  return {
    runs,
    goalRatio: COLD_START_GOAL_RATIO,
    rows,
    met: rows
      .filter((row) => row.sdk === "bundled" && row.variant === "as built")
      .every((row) => row.ratio <= COLD_START_GOAL_RATIO),
  };
}
