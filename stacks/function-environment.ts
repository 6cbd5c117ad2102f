import type { Config } from "@payment3/core";

/** The part of the configuration a deployed function is given; the rest keeps `loadConfig`'s defaults. */
export type DeployedConfig = Pick<
  Config,
  | "branch"
  | "orderTableName"
  | "processPaidOrderTableName"
  | "emailLogTableName"
  | "idempotencyTableName"
  | "calculateCostFunction"
  | "eventBusName"
  | "paymentNotificationsTopicArn"
  | "senderEmail"
>;

/**
 * The variable `loadConfig` reads each setting from. Keyed by the config field, so a field
 * added to `DeployedConfig` does not type-check until it has its variable here; the test feeds
 * the result back through `loadConfig` so a renamed variable fails too.
 */
const VARIABLE_BY_FIELD: { readonly [Field in keyof DeployedConfig]-?: string } = {
  branch: "BRANCH",
  orderTableName: "ORDER_TABLE_NAME",
  processPaidOrderTableName: "PROCESS_PAID_ORDER_TABLE_NAME",
  emailLogTableName: "EMAIL_LOG_TABLE_NAME",
  idempotencyTableName: "IDEMPOTENCY_TABLE_NAME",
  calculateCostFunction: "CALCULATE_COST_FUNCTION",
  eventBusName: "EVENT_BUS_NAME",
  paymentNotificationsTopicArn: "PAYMENT_NOTIFICATIONS_TOPIC_ARN",
  senderEmail: "SENDER_EMAIL",
};

/** The Lambda environment that makes `loadConfig()` inside the function return `config`. */
export function configEnvironment(config: DeployedConfig): Record<string, string> {
  const fields = Object.keys(VARIABLE_BY_FIELD) as (keyof DeployedConfig)[];
  return Object.fromEntries(fields.map((field) => [VARIABLE_BY_FIELD[field], config[field]]));
}
