import { ConfigError } from "./config";

type Env = Readonly<Record<string, string | undefined>>;

/** The settings that let a stage replace the legacy deployment step by step (issue 16's cut-over). */
export interface CutOverSettings {
  /**
   * `LEGACY_INVOKE_ADAPTER=on`: deploy the adapter under the legacy function's name
   * (`payment3-process-paid-wallet-order-internal-<stage>`), so the callbacks can keep invoking
   * it. Off by default: the name is the legacy function's until it is removed.
   */
  readonly legacyInvokeAdapter: boolean;
  /**
   * `ADOPT_PROCESS_PAID_ORDER_TABLE`: use this existing ProcessPaidOrderTable (by name) instead
   * of creating one. Named apart from the functions' PROCESS_PAID_ORDER_TABLE_NAME, so a shell
   * set up for local runs cannot adopt a table by accident.
   */
  readonly adoptedProcessPaidOrderTableName: string | undefined;
  /** `ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN`: publish notifications to this existing SNS topic instead of creating one. */
  readonly adoptedPaymentNotificationsTopicArn: string | undefined;
}

/**
 * Reads the cut-over settings from the deploy command's environment, failing fast naming the
 * variable. The stacks deploy with them; `payment3 preflight` checks the account against them.
 */
export function readCutOverSettings(env: Env): CutOverSettings {
  return {
    legacyInvokeAdapter: onOff("LEGACY_INVOKE_ADAPTER", env.LEGACY_INVOKE_ADAPTER),
    adoptedProcessPaidOrderTableName: tableName("ADOPT_PROCESS_PAID_ORDER_TABLE", env.ADOPT_PROCESS_PAID_ORDER_TABLE),
    adoptedPaymentNotificationsTopicArn: topicArn(
      "ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN",
      env.ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN,
    ),
  };
}

function onOff(variable: string, raw: string | undefined): boolean {
  if (raw === undefined || raw.trim() === "") return false;
  const value = raw.trim().toLowerCase();
  if (value === "on") return true;
  if (value === "off") return false;
  throw new ConfigError(variable, `must be on or off, got ${JSON.stringify(raw)}`);
}

function tableName(variable: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = raw.trim();
  // DynamoDB's table name rule; an ARN is refused because the grants are built from the name.
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(value)) {
    throw new ConfigError(
      variable,
      `must be the name of an existing DynamoDB table (3-255 letters, digits, _ . -), got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}

function topicArn(variable: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const value = raw.trim();
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(value)) {
    throw new ConfigError(
      variable,
      `must be the ARN of an existing standard SNS topic (arn:aws:sns:<region>:<account>:<name>), got ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
