import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

const blocks = readTestedBlocks(readFileSync(join(REPO_ROOT, "README.md"), "utf8"));
const block = (name: string): TestedBlock => {
  const found = blocks.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`README.md has no <!-- tested: ${name} --> block`);
  return found;
};
const awsClis = findAwsClis(process.env.PATH ?? "", process.env);

let runtime: LocalRuntime;
const onTestEndpoint = (code: string) => code.replaceAll(DOCUMENTED_ENDPOINT, runtime.url);
/** A command starts a Python or Node process; on a busy 2-core machine a block takes seconds. */
const SHELL_TEST_TIMEOUT_MS = 90_000;
const describeRun = (run: ShellRun) => `exit ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

beforeAll(async () => {
  // As after `npm start`: the registry's rules, the seeded orders, the demo confirmations.
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    warn() {},
  });
  await runDemoConfirmations(runtime.stack, runtime.config);
});
afterAll(async () => {
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

  it("keep npx out of the AWS CLI block, which runs outside the repository (see cliWorkingDirectory)", () => {
    expect(block("aws-cli").code).not.toMatch(/\bnpx\b/);
  });
});

const NO_AWS_CLI = "the AWS CLI commands are NOT run: no aws on PATH (.ci/run installs Debian's awscli)";
if (awsClis.length === 0) console.warn(`documented-commands.test.ts: ${NO_AWS_CLI}`);

/**
 * A working directory like the repository root for commands that read `events/` but run no
 * `npx`: the files they write (payload.json, out.json) stay out of the repository.
 */
function cliWorkingDirectory(): { path: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), "payment3-readme-"));
  symlinkSync(join(REPO_ROOT, "events"), join(path, "events"));
  return { path, dispose: () => rmSync(path, { recursive: true, force: true }) };
}

describe("the AWS CLI commands, with every aws on PATH", () => {
  // Listed as skipped, so the summary shows the CLI commands did not run.
  if (awsClis.length === 0) it.skip(NO_AWS_CLI, () => undefined);

  describe.each(awsClis)("$version ($path)", (cli) => {
    it(
      "README's AWS CLI block works as pasted",
      async () => {
        const shell = createNewcomerShell(cli.path);
        const cwd = cliWorkingDirectory();
        try {
          const run = await shell.run(onTestEndpoint(block("aws-cli").code), { cwd: cwd.path });

          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(run.stdout).toContain('"payment3-dev-processor"');
          expect(run.stdout).toMatch(/"isPaid": true,\s+"paymentId": "pay_wallet_abc123"/);
          expect(run.stdout).toContain('"FailedEntryCount": 0');
          expect(run.stdout).toContain('"Result": true');
          expect(run.stdout).toContain('\\"grandTotal\\":20');
          expect(run.stdout).toContain("payment3-payment-notifications-dev");
          // The legacy function's name, invoked as the callbacks do (asynchronously), answers as Lambda does.
          expect(run.stdout).toContain('"StatusCode": 202');
        } finally {
          cwd.dispose();
          shell.dispose();
        }
      },
      SHELL_TEST_TIMEOUT_MS,
    );

    it(
      "npm start's aws try-command works as pasted",
      async () => {
        const shell = createNewcomerShell(cli.path);
        try {
          const awsLines = tryCommandsOfTestRuntime().filter(
            (line) => line.startsWith("export ") || line.startsWith("aws "),
          );

          const run = await shell.run(awsLines.join("\n"), { cwd: tmpdir() });

          expect(awsLines).toHaveLength(2);
          expect(run.exitCode, describeRun(run)).toBe(0);
          expect(JSON.parse(run.stdout)).toEqual([
            "payment3-dev-audit-log",
            "payment3-dev-notifications",
            "payment3-dev-processor",
          ]);
        } finally {
          shell.dispose();
        }
      },
      SHELL_TEST_TIMEOUT_MS,
    );
  });
});

describe("commands without the AWS CLI", () => {
  it(
    "npm start's payment3 try-commands work as pasted",
    async () => {
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
    },
    SHELL_TEST_TIMEOUT_MS,
  );

  it(
    "README's TypeScript snippet runs as saved, with no AWS variables set",
    async () => {
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
    },
    SHELL_TEST_TIMEOUT_MS,
  );

  it(
    "README's test-pattern block prints what the README shows after it",
    async () => {
      const shell = createNewcomerShell();
      try {
        const documented = block("test-pattern");

        const run = await shell.run(documented.code, { cwd: REPO_ROOT });

        expect(run.exitCode, describeRun(run)).toBe(1);
        expect(run.stdout).toBe(documented.output);
      } finally {
        shell.dispose();
      }
    },
    SHELL_TEST_TIMEOUT_MS,
  );
});

function tryCommandsOfTestRuntime(): string[] {
  return tryCommands({ url: runtime.url, region: runtime.config.region, eventBusName: runtime.config.eventBusName });
}
