import { join } from "node:path";
import { PutFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import {
  ConfigurationSetAlreadyExistsException,
  CreateConfigurationSetCommand,
  VerifyEmailIdentityCommand,
} from "@aws-sdk/client-ses";
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  PutRuleCommand,
  PutTargetsCommand,
  ResourceAlreadyExistsException,
} from "@aws-sdk/client-eventbridge";
import type { Logger } from "@aws-lambda-powertools/logger";
import {
  createAwsClients,
  createNotificationClients,
  archiveDescription,
  DEFAULT_ARCHIVE_RETENTION_DAYS,
  defaultResourceNames,
  EMAIL_LOG_TABLE_KEYS,
  EMAIL_SUPPRESSED_REASONS,
  EMAIL_SUPPRESSION_TABLE_KEYS,
  IDEMPOTENCY_TABLE_KEYS,
  ORDER_TABLE_KEYS,
  processPaidOrderTableKeys,
  RECORDED_SES_EVENT_TYPES,
  subscriptionResourceNames as namesOfSubscription,
  type BusinessMetrics,
  type Config,
} from "@payment3/core";
import { functionAsyncInvokeSettings, type ScheduledFunction, type Subscription } from "@payment3/functions";
import type { LocalStack } from "../local-stack";
import {
  DEFAULT_EVENT_BUS_NAME,
  ensureTable,
  LOCAL_ACCOUNT,
  type LocalFunction,
  localFunctionArn,
} from "@payment3/aws-local";

/**
 * Names the local runtime gives a subscription's rule, function, rule-target dead-letter queue and function
 * on-failure queue (as the stacks do).
 */
export function subscriptionResourceNames(
  config: Config,
  subscription: Pick<Subscription, "name" | "bus"> | Pick<ScheduledFunction, "name" | "scheduleExpression">,
) {
  const names = namesOfSubscription(config.stage, subscription.name);
  const queueArn = (queueName: string) => `arn:aws:sqs:${config.region}:${LOCAL_ACCOUNT}:${queueName}`;
  return {
    /** The bus the rule is on: the stage's payment bus, or the account's default bus (SES events, schedules). */
    eventBusName:
      "scheduleExpression" in subscription || subscription.bus === "default"
        ? DEFAULT_EVENT_BUS_NAME
        : config.eventBusName,
    ruleName: names.ruleName,
    functionName: names.functionName,
    serviceName: names.serviceName,
    deadLetterQueueArn: queueArn(names.targetDeadLetterQueueName),
    onFailureQueueArn: queueArn(names.onFailureQueueName),
  };
}

/**
 * Creates the bus and its archive, the payment-notifications topic and every table the system uses, if missing (the
 * shared order table too, since locally nobody else does), verifies the sender in SES, and gives SES the stage's
 * configuration set with its EventBridge destination on the default bus, as the stacks do.
 */
export async function provisionLocalResources(
  stack: LocalStack,
  config: Config,
  options: {
    /** Where a table rebuilt to add an index (made by an earlier version) leaves a backup of its items. */
    readonly dataDirectory?: string | null;
    readonly warn?: (message: string) => void;
  } = {},
): Promise<void> {
  const { eventBridge } = createAwsClients({ region: config.region, endpoint: stack.url });
  const existing = async (create: () => Promise<unknown>) => {
    try {
      await create();
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsException)) throw error;
    }
  };
  await existing(() => eventBridge.send(new CreateEventBusCommand({ Name: config.eventBusName })));
  // Every event of the bus, kept for replay, as the stacks' archive.
  await existing(() =>
    eventBridge.send(
      new CreateArchiveCommand({
        ArchiveName: defaultResourceNames(config.stage).archiveName,
        EventSourceArn: stack.eventBridge.eventBusArn(config.eventBusName),
        RetentionDays: DEFAULT_ARCHIVE_RETENTION_DAYS,
        Description: archiveDescription(config.eventBusName),
      }),
    ),
  );
  await ensureTable(stack.dynamoDb, config.orderTableName, ORDER_TABLE_KEYS);
  await ensureTable(stack.dynamoDb, config.auditLogTableName, processPaidOrderTableKeys(config.auditCreatedAtFormat), {
    whyTheseKeys: "ProcessPaidOrderTable's created_at type follows AUDIT_CREATED_AT_FORMAT",
  });
  // A data directory from before the sweep's index: the email log is rebuilt with it, its rows kept.
  const backupFile = options.dataDirectory
    ? join(options.dataDirectory, `${config.emailLogTableName}.before-rebuild.jsonl`)
    : undefined;
  const emailLog = await ensureTable(stack.dynamoDb, config.emailLogTableName, EMAIL_LOG_TABLE_KEYS, {
    rebuildToAddIndexes: backupFile ? { backupFile } : {},
  });
  if (emailLog.kind === "rebuilt")
    options.warn?.(
      `table ${config.emailLogTableName} was made by an earlier version without index ${emailLog.addedIndexes.join(", ")}: ` +
        `rebuilt with it, ${emailLog.itemsKept} row${emailLog.itemsKept === 1 ? "" : "s"} kept${backupFile ? ` (a copy of them from before is in ${backupFile})` : ""}`,
    );
  await ensureTable(stack.dynamoDb, config.idempotencyTableName, IDEMPOTENCY_TABLE_KEYS);
  await ensureTable(stack.dynamoDb, config.emailSuppressionTableName, EMAIL_SUPPRESSION_TABLE_KEYS);
  const { sns, ses } = createNotificationClients({ region: config.region, endpoint: stack.url });
  await sns.send(new CreateTopicCommand({ Name: config.paymentNotificationsTopicArn.split(":").at(-1)! }));
  // As an operator does once per account: the sender is verified (locally at once), so preflight finds it.
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: config.senderEmail }));
  try {
    await ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: config.emailConfigurationSetName } }));
  } catch (error) {
    if (!(error instanceof ConfigurationSetAlreadyExistsException)) throw error;
  }
  // SES v1 has no EventBridge destinations and the repository no SESv2 client: the destination is set in-process.
  const configurationSets = stack.ses.configurationSets;
  configurationSets.putEventDestination(
    config.emailConfigurationSetName,
    {
      Name: "eventbridge-default-bus",
      Enabled: true,
      MatchingEventTypes: RECORDED_SES_EVENT_TYPES,
      EventBridgeDestination: { EventBusArn: stack.eventBridge.eventBusArn("default") },
    },
    configurationSets.eventDestinations(config.emailConfigurationSetName).length > 0,
  );
  // As the stacks set it: SES suppresses hard-bounced and complained addresses for the stage's emails.
  configurationSets.putSuppressionOptions(config.emailConfigurationSetName, EMAIL_SUPPRESSED_REASONS);
}

/**
 * Builds each subscription's rule and target on the local bus, from the registry, with its
 * handler running in-process as the target's Lambda function, invoked asynchronously as on AWS.
 * Both layers of failure handling come from the registry entry, as in the stacks: the function's
 * event-invoke config (its retries of a function error, then its on-failure queue) and the rule
 * target's RetryPolicy and dead-letter queue (a refused invoke). Every handler counts into
 * `metrics`, one port for all of them, as the Lambda entries count into CloudWatch. A scheduled
 * function gets a scheduled rule on the default bus instead of a pattern, and runs on `now`.
 */
export async function registerSubscriptions(
  stack: LocalStack,
  config: Config,
  subscriptions: readonly (Subscription | ScheduledFunction)[],
  logger: Logger,
  metrics?: BusinessMetrics,
  now?: () => Date,
): Promise<void> {
  const { eventBridge, lambda } = createAwsClients({ region: config.region, endpoint: stack.url });
  for (const subscription of subscriptions) {
    const names = subscriptionResourceNames(config, subscription);
    const functionLogger = logger.createChild({ serviceName: names.serviceName });
    stack.functions.set(
      names.functionName,
      ("scheduleExpression" in subscription
        ? subscription.create(config, functionLogger, metrics, now)
        : subscription.create(config, functionLogger, metrics)) as LocalFunction,
    );
    const asyncInvoke = functionAsyncInvokeSettings(subscription);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: names.functionName,
        MaximumRetryAttempts: asyncInvoke.maximumRetryAttempts,
        MaximumEventAgeInSeconds: asyncInvoke.maximumEventAgeSeconds,
        DestinationConfig: { OnFailure: { Destination: names.onFailureQueueArn } },
      }),
    );
    await eventBridge.send(
      new PutRuleCommand({
        Name: names.ruleName,
        EventBusName: names.eventBusName,
        Description: subscription.description,
        ...("scheduleExpression" in subscription
          ? { ScheduleExpression: subscription.scheduleExpression }
          : { EventPattern: JSON.stringify(subscription.eventPattern) }),
      }),
    );
    await eventBridge.send(
      new PutTargetsCommand({
        Rule: names.ruleName,
        EventBusName: names.eventBusName,
        Targets: [
          {
            Id: subscription.name,
            Arn: localFunctionArn(names.functionName, config.region),
            RetryPolicy: {
              MaximumRetryAttempts: subscription.retry.maximumRetryAttempts,
              MaximumEventAgeInSeconds: subscription.retry.maximumEventAgeSeconds,
            },
            DeadLetterConfig: { Arn: names.deadLetterQueueArn },
          },
        ],
      }),
    );
  }
}
