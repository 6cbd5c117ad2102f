import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

export interface ShellRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A shell as a newcomer has it: chosen `aws` first on PATH, no AWS configuration, no AWS_* variables. */
export interface NewcomerShell {
  /** Runs `script` with `bash -e -o pipefail` (a failing command stops it, as it would stop a reader). */
  run(script: string, options: { readonly cwd: string; readonly timeoutMs?: number }): Promise<ShellRun>;
  readonly env: NodeJS.ProcessEnv;
  dispose(): void;
}

/**
 * A shell environment with nothing AWS in it but the given CLI: the variables of this process
 * (vitest sets test credentials) and `~/.aws` would otherwise make a documented command pass
 * that fails for a reader who pasted it. PATH keeps node and npm; `awsCliPath`, when given, is
 * put first as `aws`.
 */
export function createNewcomerShell(awsCliPath?: string): NewcomerShell {
  const binDirectory = mkdtempSync(join(tmpdir(), "payment3-newcomer-"));
  if (awsCliPath) symlinkSync(awsCliPath, join(binDirectory, "aws"));
  const env: NodeJS.ProcessEnv = {
    PATH: [binDirectory, process.env.PATH ?? ""].join(delimiter),
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? "C.UTF-8",
    TERM: "dumb",
    // Neither the CLI nor the SDK may find a configuration or credentials file.
    AWS_CONFIG_FILE: join(binDirectory, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: join(binDirectory, "no-aws-credentials"),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
  };
  return {
    env,
    run: (script, options) => runBash(script, env, options.cwd, options.timeoutMs ?? 60_000),
    dispose: () => rmSync(binDirectory, { recursive: true, force: true }),
  };
}

function runBash(script: string, env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the local endpoint these commands call runs in this process.
    const child = spawn("bash", ["-e", "-o", "pipefail", "-c", script], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      timeout: timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
