import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { spawnSync } from "node:child_process";

/** One AWS CLI found on PATH. */
export interface AwsCli {
  /** Where PATH finds it (a pyenv shim stays a shim: it picks the CLI of the active Python). */
  readonly path: string;
  /** What `aws --version` prints first, e.g. `aws-cli/1.45.11` or `aws-cli/2.9.19`. */
  readonly version: string;
}

/**
 * Every distinct `aws` on `pathVariable`, in PATH order: the same file reached twice (`/bin` and
 * `/usr/bin` on a merged-/usr system) or the same version twice counts once.
 */
export function findAwsClis(pathVariable: string, env: NodeJS.ProcessEnv): AwsCli[] {
  const found: AwsCli[] = [];
  const seenFiles = new Set<string>();
  for (const directory of pathVariable.split(delimiter).filter(Boolean)) {
    const candidate = join(directory, "aws");
    let real: string;
    try {
      accessSync(candidate, constants.X_OK);
      if (!statSync(candidate).isFile()) continue;
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (seenFiles.has(real)) continue;
    seenFiles.add(real);
    const version = awsCliVersion(candidate, env);
    if (version !== undefined && !found.some((cli) => cli.version === version))
      found.push({ path: candidate, version });
  }
  return found;
}

/** `aws-cli/<version>` from `aws --version` (v1 before 1.18 printed it on stderr), or undefined when it does not run. */
function awsCliVersion(path: string, env: NodeJS.ProcessEnv): string | undefined {
  const answer = spawnSync(path, ["--version"], { env, encoding: "utf8", timeout: 30_000 });
  return /aws-cli\/\S+/.exec(`${answer.stdout ?? ""} ${answer.stderr ?? ""}`)?.[0];
}
