import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkResultsShape, RESULTS_FORMAT_VERSION } from "./bench-results";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";
import { runBenchmarks } from "./run-benchmarks";

// A temporary directory: the smoke run never touches the committed bench/results.json or BENCHMARKS.md.
const output = mkdtempSync(join(tmpdir(), "payment3-bench-smoke-"));

afterAll(() => {
  rmSync(output, { recursive: true, force: true });
});

describe("npm run bench -- --quick", () => {
  it("runs every benchmark and writes a well-formed results file, the SVG chart and the Markdown report", async () => {
    const markdownPath = join(output, "BENCHMARKS.md");

    const run = await runBenchmarks({
      quick: true,
      outputDirectory: output,
      markdownPath,
      command: "npm run bench -- --quick",
      log: () => undefined,
    });

    const written = JSON.parse(readFileSync(run.resultsPath, "utf8")) as unknown;
    expect(checkResultsShape(written)).toEqual([]);
    expect(readFileSync(run.chartPath, "utf8")).toMatch(
      /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\n$/,
    );
    expect(readFileSync(markdownPath, "utf8")).toContain(`](${run.results.chart})`);
    expect(existsSync(join(output, "results.json"))).toBe(false);
    expect(run.results.throughputScaling?.rows.map((row) => [row.dynamoDb, row.inFlight, row.runsChecked])).toEqual([
      ["worker", 1, 1],
      ["worker", 16, 1],
      ["main", 1, 1],
      ["main", 16, 1],
    ]);
    expect(readFileSync(markdownPath, "utf8")).toContain("**Throughput by in-flight count.**");
    // Every function the stacks deploy, the scheduled sweep too, is measured against its bare handler.
    const deployed = DEPLOYED_FUNCTIONS.map((fn) => fn.name);
    expect(run.results.bundles.functions.filter((fn) => fn.sdk === "bundled").map((fn) => fn.name)).toEqual(deployed);
    expect(
      run.results.coldStart.rows
        .filter((row) => row.variant === "as built" && row.sdk === "bundled")
        .map((row) => row.name),
    ).toEqual(deployed);
  }, 180_000);
});

describe("checkResultsShape", () => {
  it("names what is missing from a malformed results file", () => {
    expect(checkResultsShape({ formatVersion: RESULTS_FORMAT_VERSION, command: "npm run bench" })).toEqual(
      expect.arrayContaining([
        "endToEnd.throughputPerSecond must be a number > 0, got undefined",
        "replay is missing",
        "goals is empty",
      ]),
    );
  });
});
