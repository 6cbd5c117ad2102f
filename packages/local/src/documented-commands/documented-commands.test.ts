import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDemoConfirmations } from "../demo/run-demo";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { tryCommands } from "../try-commands";
import { findAwsClis } from "./aws-cli-installations";
import { createNewcomerShell, type ShellRun } from "./newcomer-shell";
import { readTestedBlocks, type TestedBlock } from "./tested-blocks";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** The endpoint the README names; the test's runtime listens on a free port instead. */
const DOCUMENTED_ENDPOINT = "http://127.0.0.1:4566";
/** Files the README's lambda invoke example writes where it runs (the repository root). */
const FILES_THE_README_WRITES = ["payload.json", "out.json"];

const blocks = readTestedBlocks(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
const block = (name: string): TestedBlock => {
  const found = blocks.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`README.md has no <!-- tested: ${name} --> block`);
  return found;
};
const awsClis = findAwsClis(process.env.PATH ?? "", process.env);

let runtime: LocalRuntime;
const onTestEndpoint = (code: string) => code.replaceAll(DOCUMENTED_ENDPOINT, runtime.url);
const describeRun = (run: ShellRun) => `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

beforeAll(async () => {
  // As after `npm start`: the registry's rules, the seeded orders, the demo confirmations.
  runtime = await startLocalRuntime({ port: 0, dataDirectory: null, logLevel: "SILENT", retryBaseDelayMs: 5, warn() {} });
  await runDemoConfirmations(runtime.stack, runtime.config);
});
afterAll(async () => {
  for (const file of FILES_THE_README_WRITES) rmSync(join(REPO_ROOT, file), { force: true });
  await runtime?.close();
});

describe("README.md's tested blocks", () => {
  it("are the ones this test knows how to check", () => {
    expect(blocks.map((found) => found.name).sort()).toEqual(["aws-cli", "sdk", "test-pattern"]);
  });

  it("name the endpoint npm start serves, which this test swaps for its own", () => {
    expect(block("aws-cli").code).toContain(DOCUMENTED_ENDPOINT);
    expect(block("sdk").code).toContain(DOCUMENTED_ENDPOINT);
  });
});

describe.skipIf(awsClis.length === 0)(`the AWS CLI commands, with ${awsClis.map((cli) => `${cli.version} (${cli.path})`).join(" and ") || "no aws on PATH: skipped, install one (.ci/run installs Debian's awscli)"}`, () => {
  describe.each(awsClis)("$version", (cli) => {
    it("README's AWS CLI block works as pasted", async () => {
      const shell = createNewcomerShell(cli.path);
      try {
        const run = await shell.run(onTestEndpoint(block("aws-cli").code), { cwd: REPO_ROOT });

        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.stdout).toContain('"payment3-dev-processor"');
        expect(run.stdout).toMatch(/"isPaid": true,\s+"paymentId": "pay_wallet_abc123"/);
        expect(run.stdout).toContain('"FailedEntryCount": 0');
        expect(run.stdout).toContain('"Result": true');
        expect(run.stdout).toContain('\\"grandTotal\\":20');
        expect(run.stdout).toContain("payment3-payment-notifications-dev");
      } finally {
        shell.dispose();
      }
    });

    it("npm start's aws try-command works as pasted", async () => {
      const shell = createNewcomerShell(cli.path);
      try {
        const awsLines = tryCommandsOfTestRuntime().filter((line) => line.startsWith("export ") || line.startsWith("aws "));

        const run = await shell.run(awsLines.join("\n"), { cwd: REPO_ROOT });

        expect(awsLines).toHaveLength(2);
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(JSON.parse(run.stdout)).toEqual(["payment3-dev-audit-log", "payment3-dev-notifications", "payment3-dev-processor"]);
      } finally {
        shell.dispose();
      }
    });
  });
});

// Independent of each other and of the files the CLI block writes, so side by side.
describe.concurrent("commands without the AWS CLI", () => {
  it("npm start's payment3 try-commands work as pasted", async () => {
    const shell = createNewcomerShell();
    try {
      const lines = tryCommandsOfTestRuntime().filter((line) => !line.startsWith("aws "));

      const run = await shell.run(lines.join("\n"), { cwd: REPO_ROOT });

      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.stdout).toMatch(/published .*492500005644/i);
      expect(run.stdout).toContain("payment3-dev-processor");
    } finally {
      shell.dispose();
    }
  });

  it("README's TypeScript snippet runs as saved, with no AWS variables set", async () => {
    const shell = createNewcomerShell();
    const file = join(REPO_ROOT, `try-sdk.${process.pid}.test.mts`);
    try {
      writeFileSync(file, onTestEndpoint(block("sdk").code));

      const run = await shell.run(`npx tsx ${JSON.stringify(file)}`, { cwd: REPO_ROOT });

      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.stdout).toContain("'payment3-dev-processor'");
    } finally {
      rmSync(file, { force: true });
      shell.dispose();
    }
  });

  it("README's test-pattern block prints what the README shows after it", async () => {
    const shell = createNewcomerShell();
    try {
      const documented = block("test-pattern");

      const run = await shell.run(documented.code, { cwd: REPO_ROOT });

      expect(run.exitCode, describeRun(run)).toBe(1);
      expect(run.stdout).toBe(documented.output);
    } finally {
      shell.dispose();
    }
  });
});

function tryCommandsOfTestRuntime(): string[] {
  return tryCommands({ url: runtime.url, region: runtime.config.region, eventBusName: runtime.config.eventBusName });
}
