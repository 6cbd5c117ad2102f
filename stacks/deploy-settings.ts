import { ConfigError, DEFAULT_ARCHIVE_RETENTION_DAYS, loadConfig, type Config } from "@payment3/core";

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** What a stage deploys with: decided at synth time, the same for every function of the stage. */
export interface DeploySettings {
  /**
   * The configuration the functions run with, as `loadConfig` reads it for this stage: every
   * default name comes from the config module, and only the shared resources are overridable.
   */
  readonly config: Config;
  /** Days the bus archive keeps events; 0 keeps them indefinitely. */
  readonly archiveRetentionDays: number;
  /** Powertools log level of every function. */
  readonly logLevel: LogLevel;
  /** Optional address subscribed to the ops alarm topic (it must confirm the subscription). */
  readonly opsAlarmEmail: string | undefined;
  /** Keep the audit and email-log tables when the stage is removed (their rows are records). */
  readonly retainTables: boolean;
}

/**
 * Reads a stage's settings from the environment of `sst deploy` / `npm run synth` and fails
 * fast naming the variable. ORDER_TABLE_NAME, CALCULATE_COST_FUNCTION, SENDER_EMAIL and
 * AUDIT_CREATED_AT_FORMAT go through `loadConfig`, so they default and validate exactly as the
 * functions' own settings do (AUDIT_CREATED_AT_FORMAT also decides ProcessPaidOrderTable's sort
 * key type); nothing else from the shell leaks into the functions' configuration.
 */
export function readDeploySettings(stage: string, region: string, env: Env = process.env): DeploySettings {
  const config = loadConfig({
    BRANCH: stage,
    AWS_REGION: region,
    ORDER_TABLE_NAME: env.ORDER_TABLE_NAME,
    CALCULATE_COST_FUNCTION: env.CALCULATE_COST_FUNCTION,
    SENDER_EMAIL: env.SENDER_EMAIL,
    AUDIT_CREATED_AT_FORMAT: env.AUDIT_CREATED_AT_FORMAT,
  });
  return {
    config,
    archiveRetentionDays: archiveRetentionDays(env.ARCHIVE_RETENTION_DAYS),
    logLevel: logLevel(env.LOG_LEVEL),
    opsAlarmEmail: opsAlarmEmail(env.OPS_ALARM_EMAIL),
    retainTables: retainTables(env.RETAIN_TABLES),
  };
}

function archiveRetentionDays(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_ARCHIVE_RETENTION_DAYS;
  const days = Number(raw);
  if (raw.trim() === "" || !Number.isSafeInteger(days) || days < 0) {
    throw new ConfigError(
      "ARCHIVE_RETENTION_DAYS",
      `must be a whole number of days >= 0 (0 keeps events indefinitely), got ${JSON.stringify(raw)}`,
    );
  }
  return days;
}

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return "INFO";
  const level = LOG_LEVELS.find((candidate) => candidate === raw.trim().toUpperCase());
  if (!level) throw new ConfigError("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw)}`);
  return level;
}

function opsAlarmEmail(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw.trim()))
    throw new ConfigError("OPS_ALARM_EMAIL", `must be an email address, got ${JSON.stringify(raw)}`);
  return raw.trim();
}

function retainTables(raw: string | undefined): boolean {
  if (raw === undefined) return true;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new ConfigError("RETAIN_TABLES", `must be true or false, got ${JSON.stringify(raw)}`);
}
