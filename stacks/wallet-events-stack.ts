import { aws_events as events, aws_sns as sns, aws_sns_subscriptions as snsSubscriptions } from "aws-cdk-lib";
import type { StackContext } from "sst/constructs";
import { ALARMED_BUSINESS_METRICS, defaultResourceNames, UNCERTAIN_EMAIL_INDEX } from "@payment3/core";
import { SCHEDULED_FUNCTIONS, SUBSCRIPTIONS } from "@payment3/functions";
import { createCallbackPublishPolicy } from "./callback-policy";
import { readDeploySettings } from "./deploy-settings";
import { createEmailConfigurationSet } from "./email-configuration-set";
import { createArchivedBus } from "./event-bus";
import { alarmOnBusinessMetric } from "./ops-alarms";
import { createOpsDashboard } from "./ops-dashboard";
import { createLegacyInvokeAdapter } from "./legacy-invoke-adapter";
import { configEnvironment } from "@payment3/core";
import { calculateCostFunctionArn, orderTableArn, senderIdentityArns, type ResourceArns } from "./resource-access";
import { constructId } from "./resource-names";
import { createSubscriptionResources } from "./subscription-resources";
import { createTables } from "./tables";

/**
 * The wallet payment events system for one stage: the archived bus, the project's tables and
 * notification topic, and one rule + function + failure capture per subscription registry
 * entry. No rule is written here: a new registry entry is deployed by the next `sst deploy`.
 */
export function WalletEventsStack({ stack }: StackContext) {
  const settings = readDeploySettings(stack.stage, stack.region);
  const { config } = settings;
  const names = defaultResourceNames(stack.stage, stack.region, stack.account);

  const { bus, archive } = createArchivedBus(stack, {
    busName: names.eventBusName,
    archiveName: names.archiveName,
    retentionDays: settings.archiveRetentionDays,
  });
  const { cutOver } = settings;
  const tables = createTables(stack, names, {
    retainRecords: settings.retainTables,
    auditCreatedAtFormat: config.auditCreatedAtFormat,
    adoptedProcessPaidOrderTableName: cutOver.adoptedProcessPaidOrderTableName,
  });
  // An adopted topic (the legacy deployment's) is only referenced: its subscribers and policy stay as they are.
  const paymentNotificationsTopic = cutOver.adoptedPaymentNotificationsTopicArn
    ? sns.Topic.fromTopicArn(stack, "PaymentNotificationsTopic", cutOver.adoptedPaymentNotificationsTopicArn)
    : new sns.Topic(stack, "PaymentNotificationsTopic", {
        topicName: names.paymentNotificationsTopicName,
        enforceSSL: true,
      });
  const opsAlarmTopic = new sns.Topic(stack, "OpsAlarmTopic", {
    topicName: `${names.eventBusName}-ops-alarms`,
    enforceSSL: true,
  });
  if (settings.opsAlarmEmail)
    opsAlarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(settings.opsAlarmEmail));
  // Every alarm notifies the stage's own topic, and the existing on-call topic when one is given.
  const alarmTopics = [
    opsAlarmTopic,
    ...(settings.opsAlarmTopicArn
      ? [sns.Topic.fromTopicArn(stack, "ExistingOpsAlarmTopic", settings.opsAlarmTopicArn)]
      : []),
  ];

  const environment = configEnvironment({
    ...config,
    auditLogTableName: tables.processPaidOrder.tableName,
    emailLogTableName: tables.emailLog.tableName,
    idempotencyTableName: tables.idempotency.tableName,
    emailSuppressionTableName: tables.emailSuppression.tableName,
    eventBusName: bus.eventBusName,
    paymentNotificationsTopicArn: paymentNotificationsTopic.topicArn,
  });
  // SES publishes email events only to the account's default bus; the email-events rule listens there.
  const defaultBus = events.EventBus.fromEventBusName(stack, "DefaultBus", "default");
  const emailConfigurationSet = createEmailConfigurationSet(stack, {
    configurationSetName: config.emailConfigurationSetName,
    defaultBus,
  });
  const arns: ResourceArns = {
    orderTable: [orderTableArn(stack, config.orderTableName)],
    processPaidOrderTable: [tables.processPaidOrder.tableArn],
    emailLogTable: [tables.emailLog.tableArn],
    emailLogUncertainIndex: [`${tables.emailLog.tableArn}/index/${UNCERTAIN_EMAIL_INDEX.name}`],
    idempotencyTable: [tables.idempotency.tableArn],
    emailSuppressionTable: [tables.emailSuppression.tableArn],
    calculateCostFunction: [calculateCostFunctionArn(stack, config.calculateCostFunction)],
    eventBus: [bus.eventBusArn],
    paymentNotificationsTopic: [paymentNotificationsTopic.topicArn],
    senderIdentity: senderIdentityArns(stack, config.senderEmail),
    emailConfigurationSet: [emailConfigurationSet.arn],
  };

  // Scheduled functions' rules are on the default bus, the only bus a schedule may be on.
  const subscriptions = [...SUBSCRIPTIONS, ...SCHEDULED_FUNCTIONS].map((subscription) =>
    createSubscriptionResources(stack, {
      subscription,
      bus: "scheduleExpression" in subscription || subscription.bus === "default" ? defaultBus : bus,
      stage: stack.stage,
      environment,
      logLevel: settings.logLevel,
      arns,
      alarmTopics,
    }),
  );
  for (const alarmed of ALARMED_BUSINESS_METRICS) alarmOnBusinessMetric(stack, stack.stage, alarmed, alarmTopics);
  const opsDashboard = createOpsDashboard(stack, {
    dashboardName: names.opsDashboardName,
    stage: stack.stage,
    subscriptions,
  });
  const callbackPublishPolicy = createCallbackPublishPolicy(stack, {
    bus,
    managedPolicyName: `${names.eventBusName}-callback-publish`,
  });
  // Off until the legacy function is removed: it owns the name until then.
  const legacyInvoke = cutOver.legacyInvokeAdapter
    ? createLegacyInvokeAdapter(stack, {
        stage: stack.stage,
        environment,
        logLevel: settings.logLevel,
        callbackPublishPolicy,
        alarmTopics,
      })
    : undefined;

  stack.addOutputs({
    EventBusName: bus.eventBusName,
    EventBusArn: bus.eventBusArn,
    ArchiveName: archive.ref,
    PaymentNotificationsTopicArn: paymentNotificationsTopic.topicArn,
    OpsAlarmTopicArn: opsAlarmTopic.topicArn,
    OpsDashboardName: opsDashboard.dashboardName,
    EmailConfigurationSetName: emailConfigurationSet.configurationSet.configurationSetName,
    CallbackPublishPolicyArn: callbackPublishPolicy.managedPolicyArn,
    ...(legacyInvoke
      ? {
          LegacyInvokeFunctionName: legacyInvoke.fn.functionName,
          LegacyInvokeOnFailureQueueUrl: legacyInvoke.onFailureQueue.queueUrl,
        }
      : {}),
    ...Object.fromEntries(
      subscriptions.flatMap(({ subscription, targetDeadLetterQueue, onFailureQueue }) => [
        [`${constructId(subscription.name)}TargetDlqUrl`, targetDeadLetterQueue.queueUrl],
        [`${constructId(subscription.name)}OnFailureQueueUrl`, onFailureQueue.queueUrl],
      ]),
    ),
  });
  return {
    bus,
    archive,
    tables,
    paymentNotificationsTopic,
    opsAlarmTopic,
    opsDashboard,
    emailConfigurationSet,
    subscriptions,
    callbackPublishPolicy,
    legacyInvoke,
  };
}
