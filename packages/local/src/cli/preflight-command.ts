import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SESClient } from "@aws-sdk/client-ses";
import { readCutOverSettings } from "@payment3/core";
import { hasBlocker, runPreflight, type CheckStatus, type PreflightCheck } from "../preflight/preflight-checks";
import type { CliContext } from "./cli-context";

/** Stages whose missing sender or alarm address is a blocker unless `--production` says so for another. */
const PRODUCTION_STAGES = new Set(["prod", "production", "master"]);

export interface PreflightOptions {
  readonly orderId?: string | undefined;
  readonly production?: boolean | undefined;
}

/**
 * `payment3 preflight`: checks the target account against the settings the next deploy reads
 * (ORDER_TABLE_NAME, AUDIT_CREATED_AT_FORMAT, CALCULATE_COST_FUNCTION, SENDER_EMAIL, OPS_ALARM_EMAIL,
 * LEGACY_INVOKE_ADAPTER, ADOPT_PROCESS_PAID_ORDER_TABLE, from the environment) and prints a
 * checklist; exit 1 when any check is a blocker.
 */
export async function preflightCommand(
  context: CliContext,
  options: PreflightOptions,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const cutOver = readCutOverSettings(env);
  const clientOptions = { region: context.config.region, ...(context.endpoint ? { endpoint: context.endpoint } : {}) };
  const dynamoDb = new DynamoDBClient(clientOptions);
  const lambda = new LambdaClient(clientOptions);
  const ses = new SESClient(clientOptions);
  try {
    const checks = await runPreflight(
      {
        config: context.config,
        legacyInvokeAdapter: cutOver.legacyInvokeAdapter,
        adoptedProcessPaidOrderTableName: cutOver.adoptedProcessPaidOrderTableName,
        opsAlarmEmail: env.OPS_ALARM_EMAIL?.trim() || undefined,
        opsAlarmTopicArn: env.OPS_ALARM_TOPIC_ARN?.trim() || undefined,
        production: options.production || PRODUCTION_STAGES.has(context.config.stage),
        ...(options.orderId ? { orderIds: [options.orderId] } : {}),
      },
      { dynamoDb, lambda, ses },
    );
    if (context.json) context.out(JSON.stringify({ stage: context.config.stage, ready: !hasBlocker(checks), checks }));
    else context.out(formatChecklist(context, checks));
    return hasBlocker(checks) ? 1 : 0;
  } finally {
    dynamoDb.destroy();
    lambda.destroy();
    ses.destroy();
  }
}

const MARK: Readonly<Record<CheckStatus, string>> = { ok: "✓", warning: "!", blocker: "✗" };

/** The checklist as a reader scans it: one line per check, what to do under each that is not ok, a verdict. */
export function formatChecklist(
  context: Pick<CliContext, "config" | "endpoint" | "style">,
  checks: readonly PreflightCheck[],
): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  const colour = { ok: context.style.green, warning: context.style.yellow, blocker: context.style.red } as const;
  const lines = [
    `preflight for stage ${context.config.stage} (region ${context.config.region}${context.endpoint ? `, ${context.endpoint}` : ""})`,
  ];
  for (const check of checks) {
    lines.push(`${colour[check.status](MARK[check.status])} ${check.name.padEnd(width)}  ${check.found}`);
    if (check.fix && check.status !== "ok") lines.push(`  ${" ".repeat(width)}  → ${check.fix}`);
  }
  const blockers = checks.filter((check) => check.status === "blocker").length;
  const warnings = checks.filter((check) => check.status === "warning").length;
  lines.push(
    blockers > 0
      ? `${blockers} blocker${blockers === 1 ? "" : "s"}${warnings ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}: fix the ✗ lines before deploying`
      : `ready${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"} to read)` : ""}`,
  );
  return lines.join("\n");
}
