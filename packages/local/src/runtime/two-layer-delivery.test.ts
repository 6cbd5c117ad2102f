import { ListTargetsByRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetFunctionEventInvokeConfigCommand } from "@aws-sdk/client-lambda";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { auditLogSubscription, functionAsyncInvokeSettings, SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { LocalFunction } from "@payment3/aws-local";
import { runCli } from "../cli/main";
import { beginSubscriberOutage, FaultInjector } from "../faults/index";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "./local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "./provision";

/*
 * A subscriber's two layers of failure handling on the local runtime, as deployed (docs/eventbridge-semantics.md
 * §13): a function error is Lambda's (the function's retries, then its on-failure queue), a refused invoke is
 * EventBridge's (the rule target's RetryPolicy, then the rule's dead-letter queue). `payment3 dlq` lists and
 * redrives both.
 */
const STAGE = "twolayer";
let stack: LocalStack;
let faults: FaultInjector;
let nextOrder = 6_400_000;
let healthyAudit: LocalFunction;
const config = () => localConfig(stack, { BRANCH: STAGE });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
const audit = () => subscriptionResourceNames(config(), auditLogSubscription);

beforeAll(async () => {
  faults = new FaultInjector({ seed: 18 });
  stack = await startLocalStack({
    faults,
    eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 4, logger: { warn() {} } },
    lambdaAsync: { retryDelaysMs: [2, 4], logger: { warn() {} } },
  });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  healthyAudit = stack.functions.get(audit().functionName)!;
});

afterEach(() => {
  faults.disableAll();
  stack.functions.set(audit().functionName, healthyAudit);
});

afterAll(async () => {
  await stack?.close();
});

/** Seeds an order and publishes its paid confirmation; resolves once the bus and Lambda are idle. */
async function payNewOrder(paymentId: string): Promise<string> {
  nextOrder += 1;
  const orderId = String(nextOrder);
  await clients().documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId, items: [{ name: "Tea", quantity: 1, unitPrice: 100 }] },
    }),
  );
  await publishWalletPaymentConfirmed(
    { orderId, paymentId, success: true, amount: 100 },
    { publisher: createEventBridgePublisher({ client: clients().eventBridge }), eventBusName: config().eventBusName },
  );
  await stack.eventBridge.whenIdle();
  return orderId;
}

/** Counts the audit-log function's runs from now on (install before an outage, which then restores it). */
function countAuditRuns(): { runs: number } {
  const counter = { runs: 0 };
  const current = stack.functions.get(audit().functionName)!;
  stack.functions.set(audit().functionName, (event, context) => {
    counter.runs += 1;
    return current(event, context);
  });
  return counter;
}

async function auditRows(orderId: string) {
  const result = await clients().documentClient.send(
    new QueryCommand({
      TableName: config().auditLogTableName,
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
    }),
  );
  return result.Items ?? [];
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    [...args, "--endpoint", stack.url, "--stage", STAGE],
    { out: (text) => out.push(text), err: (text) => err.push(text) },
    { AWS_REGION: "ap-southeast-1" },
  );
  return { code, out: out.join("\n"), err: err.join("\n") };
}

interface ListedLetter {
  readonly id: string;
  readonly orderId: string | null;
  readonly queue: string;
  readonly error: string;
  readonly retryAttempts: number;
}

async function listedFor(orderId: string): Promise<ListedLetter[]> {
  const listed = await cli("dlq", "list", "--json");
  return (JSON.parse(listed.out) as ListedLetter[]).filter((letter) => letter.orderId === orderId);
}

describe("one source of truth: the registry's settings on both layers, as the stacks deploy them", () => {
  it.each(SUBSCRIPTIONS.map((subscription) => [subscription.name, subscription] as const))(
    "%s: the rule target has the registry's RetryPolicy and DLQ, the function its event-invoke config and on-failure queue",
    async (_name, subscription) => {
      // Prepare
      const names = subscriptionResourceNames(config(), subscription);

      // Act
      const targets = await clients().eventBridge.send(
        new ListTargetsByRuleCommand({ Rule: names.ruleName, EventBusName: names.eventBusName }),
      );
      const invokeConfig = await clients().lambda.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: names.functionName }),
      );

      // Assert
      expect(targets.Targets?.map((target) => [target.RetryPolicy, target.DeadLetterConfig?.Arn])).toEqual([
        [
          {
            MaximumRetryAttempts: subscription.retry.maximumRetryAttempts,
            MaximumEventAgeInSeconds: subscription.retry.maximumEventAgeSeconds,
          },
          names.deadLetterQueueArn,
        ],
      ]);
      expect(invokeConfig).toMatchObject({
        MaximumRetryAttempts: functionAsyncInvokeSettings(subscription).maximumRetryAttempts,
        MaximumEventAgeInSeconds: functionAsyncInvokeSettings(subscription).maximumEventAgeSeconds,
        DestinationConfig: { OnFailure: { Destination: names.onFailureQueueArn } },
      });
    },
  );
});

describe("a subscriber outage (the function throws)", () => {
  it("runs 1 + the function's retries, ends in the function's on-failure queue and not the rule's, and a redrive writes the row once", async () => {
    // Prepare
    const counter = countAuditRuns();
    const outage = beginSubscriberOutage(stack.functions, audit().functionName, faults);

    // Act
    const orderId = await payNewOrder("pay_outage");
    const during = await listedFor(orderId);
    const runsDuringOutage = outage.failedInvocations;
    outage.end();
    const redrive = await cli("dlq", "redrive", "--id", during[0]!.id);
    await stack.eventBridge.whenIdle();

    // Assert
    // 1 + the function's 2 async retries; the rule target's 8 retries never re-run a failing function.
    expect(runsDuringOutage).toBe(3);
    expect(counter.runs).toBe(1);
    expect(during.map((letter) => [letter.queue, letter.retryAttempts])).toEqual([
      [`payment3-${STAGE}-audit-log-on-failure`, 2],
    ]);
    expect(during[0]!.error).toContain("SubscriberOutageError");
    expect(redrive).toMatchObject({ code: 0, out: "redrove 1 of 1 dead letter" });
    expect(await auditRows(orderId)).toHaveLength(1);
    expect(await listedFor(orderId)).toEqual([]);
  });
});

describe("an invoke Lambda refuses (throttled)", () => {
  it("is retried per the rule target's RetryPolicy, then kept in the rule's dead-letter queue without the function running, and a redrive writes the row once", async () => {
    // Prepare: every invoke EventBridge makes for the audit-log target is refused, retries included.
    const invokes = auditLogSubscription.retry.maximumRetryAttempts + 1;
    faults.failNext("lambda-throttle", invokes, { resources: [audit().functionName] });
    const counter = countAuditRuns();

    // Act
    const orderId = await payNewOrder("pay_throttled");
    const during = await listedFor(orderId);
    const runsWhileThrottled = counter.runs;
    const redrive = await cli("dlq", "redrive", "--id", during[0]!.id);
    await stack.eventBridge.whenIdle();

    // Assert
    expect(faults.injectedCount("lambda-throttle")).toBe(invokes);
    expect(runsWhileThrottled).toBe(0);
    expect(during.map((letter) => [letter.queue, letter.retryAttempts])).toEqual([
      [`payment3-${STAGE}-audit-log-dlq`, auditLogSubscription.retry.maximumRetryAttempts],
    ]);
    expect(during[0]!.error).toContain("TooManyRequestsException");
    expect(redrive).toMatchObject({ code: 0, out: "redrove 1 of 1 dead letter" });
    expect(counter.runs).toBe(1);
    expect(await auditRows(orderId)).toHaveLength(1);
    expect(await listedFor(orderId)).toEqual([]);
  });
});

describe("payment3 dlq --rule <subscription>", () => {
  it("lists both kinds of a subscriber, and one redrive delivers both", async () => {
    // Prepare: one event in each of the audit-log's queues.
    const outage = beginSubscriberOutage(stack.functions, audit().functionName, faults);
    const failedOrder = await payNewOrder("pay_both_outage");
    outage.end();
    faults.failNext("lambda-throttle", auditLogSubscription.retry.maximumRetryAttempts + 1, {
      resources: [audit().functionName],
    });
    const refusedOrder = await payNewOrder("pay_both_throttled");

    // Act
    const listed = await cli("dlq", "list", "--rule", "audit-log", "--json");
    const redrive = await cli("dlq", "redrive", "--rule", "audit-log");
    await stack.eventBridge.whenIdle();

    // Assert
    expect(
      (JSON.parse(listed.out) as ListedLetter[])
        .filter((letter) => letter.orderId === failedOrder || letter.orderId === refusedOrder)
        .map((letter) => [letter.orderId, letter.queue])
        .sort(),
    ).toEqual(
      [
        [failedOrder, `payment3-${STAGE}-audit-log-on-failure`],
        [refusedOrder, `payment3-${STAGE}-audit-log-dlq`],
      ].sort(),
    );
    expect(redrive).toMatchObject({ code: 0, out: "redrove 2 of 2 dead letters" });
    expect([(await auditRows(failedOrder)).length, (await auditRows(refusedOrder)).length]).toEqual([1, 1]);
  });
});
