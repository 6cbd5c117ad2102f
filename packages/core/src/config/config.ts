import { PUT_EVENTS_SIZE_LIMIT_BYTES } from "@payment3/events";
import { defaultResourceNames } from "./resource-names";
import {
  AUDIT_CREATED_AT_FORMATS,
  DEFAULT_AUDIT_CREATED_AT_FORMAT,
  type AuditCreatedAtFormat,
} from "../audit/audit-created-at";

/** Every name and setting the system reads from its environment. Read once, at start-up. */
export interface Config {
  /** The stage (as SST names it) every name of our own derives from: `payment3-<stage>-...`. Read from `BRANCH`. */
  readonly stage: string;
  readonly region: string;
  /** Shared with other services: referenced by name, never created or changed by this project. */
  readonly orderTableName: string;
  /** The audit log: the legacy ProcessPaidOrderTable (`PROCESS_PAID_ORDER_TABLE_NAME`), one row per outcome. */
  readonly auditLogTableName: string;
  /**
   * How ProcessPaidOrderTable's `created_at` is written, and so the type of its sort key (N for
   * the epoch formats, S for ISO 8601): the live table's is not known, so it is a setting.
   */
  readonly auditCreatedAtFormat: AuditCreatedAtFormat;
  readonly emailLogTableName: string;
  /**
   * The idempotency table: the records that make a redelivered event take effect once, keyed by
   * `id`: the audit log's pinned row times (`audit-log#<idempotency key>`, never expiring) and the
   * notifier's notes of attempts without effect (`notifications-no-effect#...`, TTL attribute
   * `expiration`).
   */
  readonly idempotencyTableName: string;
  readonly calculateCostFunction: string;
  /** SNS topic every customer notification is also published to. */
  readonly paymentNotificationsTopicArn: string;
  /** The SES identity customer emails are sent from. */
  readonly senderEmail: string;
  /**
   * The SES configuration set every customer email is sent with: its EventBridge destination publishes the emails'
   * events (sent, delivered, bounced, ...) that the email-events subscriber records.
   */
  readonly emailConfigurationSetName: string;
  /** The addresses customer emails are no longer sent to (permanent bounces, complaints), keyed by `address`. */
  readonly emailSuppressionTableName: string;
  readonly eventBusName: string;
  /** PutEvents entry limit: 1 MB since AWS raised it on 2026-01-29; 262144 for the old limit. */
  readonly eventSizeLimitBytes: number;
  /**
   * How long an `uncertain` email waits for an SES event of it before the uncertain-email sweep sends it
   * (default 15). Longer than SES takes to publish an event; shorter than a customer waits for a payment email.
   */
  readonly uncertainEmailWindowMinutes: number;
  /** Set only for the local runtime (e.g. http://127.0.0.1:4566); unset on AWS. */
  readonly awsEndpointUrl: string | undefined;
}

/** How long an uncertain email waits for an SES event of it before the sweep sends it, unless configured. */
export const DEFAULT_UNCERTAIN_EMAIL_WINDOW_MINUTES = 15;

/** The environment variable each setting is read from: the one list `loadConfig` and the stacks share. */
export const CONFIG_VARIABLES = {
  stage: "BRANCH",
  orderTableName: "ORDER_TABLE_NAME",
  auditLogTableName: "PROCESS_PAID_ORDER_TABLE_NAME",
  auditCreatedAtFormat: "AUDIT_CREATED_AT_FORMAT",
  emailLogTableName: "EMAIL_LOG_TABLE_NAME",
  idempotencyTableName: "IDEMPOTENCY_TABLE_NAME",
  calculateCostFunction: "CALCULATE_COST_FUNCTION",
  eventBusName: "EVENT_BUS_NAME",
  paymentNotificationsTopicArn: "PAYMENT_NOTIFICATIONS_TOPIC_ARN",
  senderEmail: "SENDER_EMAIL",
  emailConfigurationSetName: "SES_CONFIGURATION_SET",
  emailSuppressionTableName: "EMAIL_SUPPRESSION_TABLE_NAME",
  eventSizeLimitBytes: "EVENT_SIZE_LIMIT_BYTES",
  uncertainEmailWindowMinutes: "UNCERTAIN_EMAIL_WINDOW_MINUTES",
} as const satisfies Partial<Record<keyof Config, string>>;

/** The settings a deployed function is given; region and endpoint come from the Lambda runtime. */
export type DeployedConfig = Pick<Config, keyof typeof CONFIG_VARIABLES>;

/** The environment that makes `loadConfig()` return `config` (the stacks give it to every function). */
export function configEnvironment(config: DeployedConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CONFIG_VARIABLES).map(([field, variable]) => [
      variable,
      String(config[field as keyof DeployedConfig]),
    ]),
  );
}

/** A setting that is present but unusable. Thrown at start-up so the function never half-runs. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly code = "INVALID_CONFIG";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

function text(env: Env, variable: string, fallback: string): string {
  const value = env[variable];
  if (value === undefined) return fallback;
  if (value.trim() === "")
    throw new ConfigError(variable, "is set but empty; unset it to use the default or give a value");
  return value.trim();
}

function positiveInteger(env: Env, variable: string, fallback: number, unit = "bytes"): number {
  const raw = env[variable];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ConfigError(variable, `must be a positive whole number of ${unit}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function oneOf<T extends string>(env: Env, variable: string, values: readonly T[], fallback: T): T {
  const value = text(env, variable, fallback).toLowerCase();
  const found = values.find((candidate) => candidate === value);
  if (!found)
    throw new ConfigError(variable, `must be one of ${values.join(", ")}, got ${JSON.stringify(env[variable])}`);
  return found;
}

function email(env: Env, variable: string, fallback: string): string {
  const value = text(env, variable, fallback);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
    throw new ConfigError(variable, `must be an email address, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Reads the configuration from the environment and fails fast, naming the variable.
 * The stage, from `BRANCH` (default `dev`), decides every default name.
 */
export function loadConfig(env: Env = process.env): Config {
  const v = CONFIG_VARIABLES;
  const stage = text(env, v.stage, "dev");
  if (!/^[A-Za-z0-9-]+$/.test(stage)) {
    throw new ConfigError(
      v.stage,
      `must be letters, digits and hyphens (it is part of table names), got ${JSON.stringify(stage)}`,
    );
  }
  const region = text(env, "AWS_REGION", text(env, "AWS_DEFAULT_REGION", "ap-southeast-1"));
  const defaults = defaultResourceNames(stage, region);
  const endpoint = env.AWS_ENDPOINT_URL?.trim();
  if (endpoint && !/^https?:\/\//.test(endpoint)) {
    throw new ConfigError(
      "AWS_ENDPOINT_URL",
      `must be an http(s) URL such as http://127.0.0.1:4566, got ${JSON.stringify(endpoint)}`,
    );
  }
  return {
    stage,
    region,
    orderTableName: text(env, v.orderTableName, defaults.orderTableName),
    auditLogTableName: text(env, v.auditLogTableName, defaults.auditLogTableName),
    auditCreatedAtFormat: oneOf(env, v.auditCreatedAtFormat, AUDIT_CREATED_AT_FORMATS, DEFAULT_AUDIT_CREATED_AT_FORMAT),
    emailLogTableName: text(env, v.emailLogTableName, defaults.emailLogTableName),
    idempotencyTableName: text(env, v.idempotencyTableName, defaults.idempotencyTableName),
    calculateCostFunction: text(env, v.calculateCostFunction, defaults.calculateCostFunction),
    paymentNotificationsTopicArn: text(env, v.paymentNotificationsTopicArn, defaults.paymentNotificationsTopicArn),
    senderEmail: email(env, v.senderEmail, "payments@payment3.example"),
    emailConfigurationSetName: text(env, v.emailConfigurationSetName, defaults.emailConfigurationSetName),
    emailSuppressionTableName: text(env, v.emailSuppressionTableName, defaults.emailSuppressionTableName),
    eventBusName: text(env, v.eventBusName, defaults.eventBusName),
    eventSizeLimitBytes: positiveInteger(env, v.eventSizeLimitBytes, PUT_EVENTS_SIZE_LIMIT_BYTES),
    uncertainEmailWindowMinutes: positiveInteger(
      env,
      v.uncertainEmailWindowMinutes,
      DEFAULT_UNCERTAIN_EMAIL_WINDOW_MINUTES,
      "minutes",
    ),
    awsEndpointUrl: endpoint || undefined,
  };
}
