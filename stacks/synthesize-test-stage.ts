import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The stack the test stage synthesizes to (`<stage>-<app>-<stack>`). */
export const TEST_STACK_NAME = "test-payment3-WalletEventsStack";

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON read field by field in assertions
export type Json = Record<string, any>;

/** Settings a synthesis must not take from whoever runs the tests, and every AWS credential (synthesis needs none). */
const RUNNER_VARIABLES =
  /^(ORDER_TABLE_NAME|CALCULATE_COST_FUNCTION|SENDER_EMAIL|AUDIT_CREATED_AT_FORMAT|ARCHIVE_RETENTION_DAYS|LOG_LEVEL|OPS_ALARM_EMAIL|OPS_ALARM_TOPIC_ARN|ALLOW_UNALERTED_STAGE|RETAIN_TABLES|CDK_DEFAULT_ACCOUNT|LEGACY_INVOKE_ADAPTER|ADOPT_.*|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_PROFILE)$/;

/** The environment of a synthesis: the runner's, without its stage settings and credentials, plus `settings`. */
export function synthEnvironment(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  for (const variable of Object.keys(env)) if (RUNNER_VARIABLES.test(variable)) delete env[variable];
  return { ...env, ...settings };
}

/**
 * Runs `npm run synth`'s own script for the test stage with the default settings plus `settings`, and returns its
 * output directory, what it printed and the template. The test stage is a throwaway one: it opts out of the sender
 * and alarm destination guard, so the defaults can be asserted. The caller removes `out`.
 */
export async function synthesizeTestStage(
  settings: Record<string, string>,
): Promise<{ readonly out: string; readonly stdout: string; readonly json: Json }> {
  const out = await mkdtemp(path.join(tmpdir(), "payment3-synth-"));
  const { stdout } = await run("npx", ["tsx", "stacks/synth.ts", "--stage", "test", "--out", out], {
    cwd: ROOT,
    env: synthEnvironment({ ALLOW_UNALERTED_STAGE: "true", ...settings }),
    timeout: 150_000,
  });
  const json: Json = JSON.parse(await readFile(path.join(out, `${TEST_STACK_NAME}.template.json`), "utf8"));
  return { out, stdout, json };
}
