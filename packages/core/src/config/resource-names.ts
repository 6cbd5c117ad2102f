/**
 * Every name the stacks and the local runtime must agree on, in one place: both read them from
 * here, so a resource is called the same on AWS and on a laptop.
 */

/**
 * The shared order table's name as the legacy function reads it: the same for every stage
 * (`ORDER_TABLE_NAME` overrides it).
 */
export const SHARED_ORDER_TABLE_NAME = "order-table-dev";

/** calculate-cost, another team's function, as the legacy function invokes it (`CALCULATE_COST_FUNCTION` overrides it). */
export const CALCULATE_COST_FUNCTION_NAME = "calculate-cost-3-master";

/** How long the bus archive keeps events unless `ARCHIVE_RETENTION_DAYS` says otherwise. */
export const DEFAULT_ARCHIVE_RETENTION_DAYS = 30;

/** The default name of each table and function for a stage. */
export function defaultResourceNames(stage: string, region = "ap-southeast-1", account = "000000000000") {
  return {
    /** The shared order table is one table for every stage, as the legacy function reads it. */
    orderTableName: SHARED_ORDER_TABLE_NAME,
    auditLogTableName: `payment3-process-paid-order-${stage}`,
    emailLogTableName: `payment3-email-log-${stage}`,
    idempotencyTableName: `payment3-idempotency-${stage}`,
    emailSuppressionTableName: `payment3-email-suppressions-${stage}`,
    /** The SES configuration set customer emails are sent with (its events go to the default bus). */
    emailConfigurationSetName: `payment3-${stage}-email`,
    paymentNotificationsTopicName: `payment3-payment-notifications-${stage}`,
    paymentNotificationsTopicArn: `arn:aws:sns:${region}:${account}:payment3-payment-notifications-${stage}`,
    calculateCostFunction: CALCULATE_COST_FUNCTION_NAME,
    eventBusName: `payment3-${stage}`,
    /** The archive of every event on the bus (recovery replays read it). */
    archiveName: `payment3-${stage}-archive`,
    /** The CloudWatch dashboard of the business metrics, queues and functions. */
    opsDashboardName: `payment3-${stage}-ops`,
  } as const;
}

/** The bus archive's description. */
export function archiveDescription(eventBusName: string): string {
  return `Every event on ${eventBusName}, for replay after a fault is fixed`;
}

/** What every subscription's resource name of a stage starts with (queues are listed by it). */
export function subscriptionNamePrefix(stage: string): string {
  return `payment3-${stage}-`;
}

/**
 * A subscription's Powertools service name (log lines' `service`, the business metrics' `service`
 * dimension), the same in every stage. Its own function, so a handler's metrics writer does not
 * bundle the rest of {@link subscriptionResourceNames}.
 */
export function subscriptionServiceName(subscriptionName: string): string {
  return `payment3-${subscriptionName}`;
}

/**
 * What one subscription (a registry entry) becomes, by name: its rule and function share one
 * name; the rule target's dead-letter queue and the function's on-failure queue add a suffix.
 */
export function subscriptionResourceNames(stage: string, subscriptionName: string) {
  const resourceName = `${subscriptionNamePrefix(stage)}${subscriptionName}`;
  return {
    ruleName: resourceName,
    functionName: resourceName,
    targetDeadLetterQueueName: `${resourceName}-dlq`,
    onFailureQueueName: `${resourceName}-on-failure`,
    /** The function's Powertools service name (log lines' `service`). */
    serviceName: subscriptionServiceName(subscriptionName),
  } as const;
}

/**
 * The legacy function's name, which the wallet and bank-app callbacks invoke asynchronously:
 * the legacy invoke adapter takes it over (stacks: `LEGACY_INVOKE_ADAPTER=on`; the local
 * runtime always serves it). Its on-failure queue starts with the subscription prefix, so the
 * operator's `dlq list` finds it with the subscriptions' queues.
 */
export function legacyInvokeResourceNames(stage: string) {
  return {
    functionName: `payment3-process-paid-wallet-order-internal-${stage}`,
    onFailureQueueName: `${subscriptionNamePrefix(stage)}legacy-invoke-on-failure`,
    /** The function's Powertools service name (log lines' `service`). */
    serviceName: "payment3-legacy-invoke",
    /** The tag that tells the adapter from the legacy function it replaces (`payment3 preflight` reads it). */
    tag: { key: "payment3:function", value: "legacy-invoke-adapter" },
  } as const;
}
