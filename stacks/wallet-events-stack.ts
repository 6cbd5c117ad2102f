import { aws_sns as sns, aws_sns_subscriptions as snsSubscriptions } from "aws-cdk-lib";
import type { StackContext } from "sst/constructs";
import { defaultResourceNames } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { createCallbackPublishPolicy } from "./callback-policy";
import { readDeploySettings } from "./deploy-settings";
import { createArchivedBus } from "./event-bus";
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
  const tables = createTables(stack, names, {
    retainRecords: settings.retainTables,
    auditCreatedAtFormat: config.auditCreatedAtFormat,
  });
  const paymentNotificationsTopic = new sns.Topic(stack, "PaymentNotificationsTopic", {
    topicName: names.paymentNotificationsTopicName,
  });
  const opsAlarmTopic = new sns.Topic(stack, "OpsAlarmTopic", { topicName: `${names.eventBusName}-ops-alarms` });
  if (settings.opsAlarmEmail)
    opsAlarmTopic.addSubscription(new snsSubscriptions.EmailSubscription(settings.opsAlarmEmail));

  const environment = configEnvironment({
    ...config,
    auditLogTableName: tables.processPaidOrder.tableName,
    emailLogTableName: tables.emailLog.tableName,
    idempotencyTableName: tables.idempotency.tableName,
    eventBusName: bus.eventBusName,
    paymentNotificationsTopicArn: paymentNotificationsTopic.topicArn,
  });
  const arns: ResourceArns = {
    orderTable: [orderTableArn(stack, config.orderTableName)],
    processPaidOrderTable: [tables.processPaidOrder.tableArn],
    emailLogTable: [tables.emailLog.tableArn],
    idempotencyTable: [tables.idempotency.tableArn],
    calculateCostFunction: [calculateCostFunctionArn(stack, config.calculateCostFunction)],
    eventBus: [bus.eventBusArn],
    paymentNotificationsTopic: [paymentNotificationsTopic.topicArn],
    senderIdentity: senderIdentityArns(stack, config.senderEmail),
  };

  const subscriptions = SUBSCRIPTIONS.map((subscription) =>
    createSubscriptionResources(stack, {
      subscription,
      bus,
      stage: stack.stage,
      environment,
      logLevel: settings.logLevel,
      arns,
      alarmTopic: opsAlarmTopic,
    }),
  );
  const callbackPublishPolicy = createCallbackPublishPolicy(stack, {
    bus,
    managedPolicyName: `${names.eventBusName}-callback-publish`,
  });

  stack.addOutputs({
    EventBusName: bus.eventBusName,
    EventBusArn: bus.eventBusArn,
    ArchiveName: archive.ref,
    PaymentNotificationsTopicArn: paymentNotificationsTopic.topicArn,
    OpsAlarmTopicArn: opsAlarmTopic.topicArn,
    CallbackPublishPolicyArn: callbackPublishPolicy.managedPolicyArn,
    ...Object.fromEntries(
      subscriptions.flatMap(({ subscription, targetDeadLetterQueue, onFailureQueue }) => [
        [`${constructId(subscription.name)}TargetDlqUrl`, targetDeadLetterQueue.queueUrl],
        [`${constructId(subscription.name)}OnFailureQueueUrl`, onFailureQueue.queueUrl],
      ]),
    ),
  });
  return { bus, archive, tables, paymentNotificationsTopic, opsAlarmTopic, subscriptions, callbackPublishPolicy };
}
