import { ConfigError, DEFAULT_ARCHIVE_RETENTION_DAYS, loadConfig, type Config } from "@payment3/core";
import { readCutOverSettings, type CutOverSettings } from "@payment3/core";

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
  /** Optional existing SNS topic (an on-call pager, chat bridge, …) every alarm also notifies. */
  readonly opsAlarmTopicArn: string | undefined;
  /** Keep the audit, email-log and idempotency tables when the stage is removed (their rows are records). */
  readonly retainTables: boolean;
  /** The legacy invoke adapter and the adopted resources (`LEGACY_INVOKE_ADAPTER`, `ADOPT_…`; see cut-over-settings.ts in @payment3/core). */
  readonly cutOver: CutOverSettings;
}

/** The one stage that may deploy without a real sender and an alarm destination: a developer's own. */
export const UNGUARDED_STAGE = "dev";

/**
 * Reads a stage's settings from the environment of `sst deploy` / `npm run synth` and fails
 * fast naming the variable. ORDER_TABLE_NAME, CALCULATE_COST_FUNCTION, SENDER_EMAIL and
 * AUDIT_CREATED_AT_FORMAT go through `loadConfig`, so they default and validate exactly as the
 * functions' own settings do (AUDIT_CREATED_AT_FORMAT also decides ProcessPaidOrderTable's sort
 * key type); nothing else from the shell leaks into the functions' configuration.
 *
 * A stage other than `dev` must have somewhere to send mail from and somewhere to send alarms
 * to (see `assertAlertedStage`); `ALLOW_UNALERTED_STAGE=true` lifts that for a throwaway stage.
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
  const settings: DeploySettings = {
    config,
    archiveRetentionDays: archiveRetentionDays(env.ARCHIVE_RETENTION_DAYS),
    logLevel: logLevel(env.LOG_LEVEL),
    opsAlarmEmail: opsAlarmEmail(env.OPS_ALARM_EMAIL),
    opsAlarmTopicArn: opsAlarmTopicArn(env.OPS_ALARM_TOPIC_ARN),
    retainTables: retainTables(env.RETAIN_TABLES),
    cutOver: readCutOverSettings(env),
  };
  if (!allowUnalertedStage(env.ALLOW_UNALERTED_STAGE)) assertAlertedStage(stage, settings);
  return settings;
}

/**
 * Refuses a stage that would lose payments' effects without anyone hearing of it: customer
 * emails from the `.example` placeholder sender (SES refuses every one, and each is only
 * recorded `failed`), or alarms that reach nobody. The error names every missing setting.
 */
function assertAlertedStage(stage: string, settings: DeploySettings): void {
  if (stage === UNGUARDED_STAGE) return;
  const missing: { variable: string; problem: string }[] = [];
  if (isPlaceholderSender(settings.config.senderEmail)) {
    missing.push({
      variable: "SENDER_EMAIL",
      problem: `must be the stage's verified SES sender, got the placeholder ${JSON.stringify(settings.config.senderEmail)}`,
    });
  }
  if (!settings.opsAlarmEmail && !settings.opsAlarmTopicArn) {
    missing.push({
      variable: "OPS_ALARM_EMAIL",
      problem: "(an address) or OPS_ALARM_TOPIC_ARN (an existing SNS topic) must be set, or no alarm reaches anyone",
    });
  }
  const [first, ...others] = missing;
  if (!first) return;
  const problems = [first.problem, ...others.map(({ variable, problem }) => `${variable} ${problem}`)].join("; ");
  throw new ConfigError(
    first.variable,
    `${problems} (stage ${JSON.stringify(stage)}: only ${UNGUARDED_STAGE} may go without them; set ALLOW_UNALERTED_STAGE=true for a throwaway stage)`,
  );
}

/** `.example` is reserved (RFC 2606): no mailbox there can exist, so SES can never send as it. */
function isPlaceholderSender(senderEmail: string): boolean {
  return senderEmail.toLowerCase().endsWith(".example");
}

function allowUnalertedStage(raw: string | undefined): boolean {
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  throw new ConfigError("ALLOW_UNALERTED_STAGE", `must be true or false, got ${JSON.stringify(raw)}`);
}

function opsAlarmTopicArn(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(raw.trim())) {
    throw new ConfigError(
      "OPS_ALARM_TOPIC_ARN",
      `must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>), got ${JSON.stringify(raw)}`,
    );
  }
  return raw.trim();
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
