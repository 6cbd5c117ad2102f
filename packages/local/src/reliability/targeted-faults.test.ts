import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { auditLogSubscription, functionAsyncInvokeSettings, SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { beginSubscriberOutage, FaultInjector, type FaultSite } from "../faults/index";
import { installProcessorCrashes } from "../faults/processor-faults";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "../runtime/provision";
import { listUndeliveredEvents, redriveUndeliveredEvents } from "../runtime/undelivered-events";
import { OutcomeRecorder } from "./outcome-recorder";

/*
 * One fault at a time, aimed at one step of one order: the recoveries the design promises
 * (docs/design.md §Failure handling), and a reproduction of each invariant violation the
 * reliability run found (see RELIABILITY.md, "Findings"). The second group fails until those are fixed.
 */
let stack: LocalStack;
let faults: FaultInjector;
let recorder: OutcomeRecorder;
let events: EventBridgeClient;
const config = () => localConfig(stack, { BRANCH: "targeted" });
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
let nextOrder = 6_300_000;

beforeAll(async () => {
  faults = new FaultInjector({ seed: 11 });
  stack = await startLocalStack({
    faults,
    eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 5, logger: { warn() {} } },
    lambdaAsync: { retryDelaysMs: [1, 2], logger: { warn() {} } },
  });
  await provisionLocalResources(stack, config());
  const logger = new Logger({ logLevel: "SILENT" });
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, logger);
  installProcessorCrashes(stack, config(), faults, logger);
  recorder = new OutcomeRecorder(stack.eventBridge, config().eventBusName);
  events = new EventBridgeClient({ endpoint: stack.url, region: "ap-southeast-1" });
});

afterEach(() => {
  faults.disableAll();
});

afterAll(async () => {
  recorder?.close();
  events?.destroy();
  await stack?.close();
});

async function seedOrder(): Promise<string> {
  nextOrder += 1;
  const orderId = String(nextOrder);
  await clients().documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: {
        orderId,
        customer: { name: "Target", email: `target.${orderId}@example.com`, locale: "en" },
        items: [{ name: "Tea", quantity: 2, unitPrice: 150 }],
      },
    }),
  );
  return orderId;
}

async function confirm(orderId: string, paymentId: string, success = true, amount = 300): Promise<void> {
  const publisher = createEventBridgePublisher({ client: events });
  await publishWalletPaymentConfirmed(
    { orderId, paymentId, success, amount },
    { publisher, eventBusName: config().eventBusName },
  );
  await stack.eventBridge.whenIdle();
}

async function query(table: string, orderId: string) {
  const result = await clients().documentClient.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
    }),
  );
  return result.Items ?? [];
}

/** One of each: audit rows, emails, SNS messages and email-log rows of an order. */
async function effectsOf(orderId: string) {
  return {
    audit: (await query(config().auditLogTableName, orderId)).length,
    emails: (await stack.ses.listSentEmails()).filter((mail) => mail.subject.includes(`#${orderId}`)).length,
    sns: stack.sns
      .listPublishedMessages(config().paymentNotificationsTopicArn)
      .filter((message) => message.message.includes(`"${orderId}"`)).length,
    emailLog: (await query(config().emailLogTableName, orderId)).map((row) => row.status as string),
  };
}

const finalKeys = (orderId: string, paymentId: string) =>
  recorder.finalOutcomesOf(orderId, paymentId).map((outcome) => outcome.idempotencyKey);
const ruleOf = (name: string) => subscriptionResourceNames(config(), { name }).ruleName;

/** The order's events still in a rule's dead letters or a function's on-failure store. */
const undeliveredOf = (orderId: string) =>
  listUndeliveredEvents(stack).filter(
    (letter) => (letter.event?.detail as { orderId?: unknown } | undefined)?.orderId === orderId,
  );

/** Requests to one order's email-log row, from the `from`-th on (1: the claim, 2: email attempt, 3: email result, 4: SNS attempt, 5: SNS result, 6: complete). */
function emailLogRowFrom(orderId: string, from: number): (site: FaultSite) => boolean {
  let seen = 0;
  return (site) =>
    site.resource === config().emailLogTableName &&
    site.operation === "UpdateItem" &&
    (site.orderIds?.includes(orderId) ?? false) &&
    ++seen >= from;
}

describe("targeted faults the design recovers from", () => {
  it("a processor crash right after the order write: the retry publishes the same outcome, and every effect happens once", async () => {
    const orderId = await seedOrder();
    faults.failNext("crash-after-order-write", 1, { match: (site) => site.orderIds?.includes(orderId) ?? false });

    await confirm(orderId, "pay_crash");

    expect(faults.ordersHitBy("crash-after-order-write")).toContain(orderId);
    expect(finalKeys(orderId, "pay_crash")).toEqual([`${orderId}:pay_crash:OrderPaid`]);
    expect(await effectsOf(orderId)).toEqual({ audit: 1, emails: 1, sns: 1, emailLog: ["sent"] });
  });

  it("PutEvents failing for the outcome past every publisher retry: the platform's retry publishes it, once", async () => {
    const orderId = await seedOrder();
    let armed = false;
    // 3 SDK attempts x 4 publisher attempts: the processor's publish gives up once.
    faults.failNext("put-events-total", 12, { match: (site) => armed && (site.orderIds?.includes(orderId) ?? false) });
    const publisher = createEventBridgePublisher({ client: events });
    await publishWalletPaymentConfirmed(
      { orderId, paymentId: "pay_putevents", success: true, amount: 300 },
      { publisher, eventBusName: config().eventBusName },
    );
    armed = true;

    await stack.eventBridge.whenIdle();

    expect(faults.injectedCount("put-events-total")).toBeGreaterThanOrEqual(12);
    expect(finalKeys(orderId, "pay_putevents")).toEqual([`${orderId}:pay_putevents:OrderPaid`]);
    expect(await effectsOf(orderId)).toEqual({ audit: 1, emails: 1, sns: 1, emailLog: ["sent"] });
  });

  it("an audit-log outage longer than the retries: the event ends in the function's on-failure store, and a redrive writes the row once", async () => {
    const orderId = await seedOrder();
    const outage = beginSubscriberOutage(
      stack.functions,
      subscriptionResourceNames(config(), auditLogSubscription).functionName,
      faults,
    );

    await confirm(orderId, "pay_outage");
    const kept = undeliveredOf(orderId);
    outage.end();
    await redriveUndeliveredEvents(stack);

    expect(kept.map((letter) => [letter.kind, letter.where])).toEqual([
      ["on-failure", subscriptionResourceNames(config(), auditLogSubscription).functionName],
    ]);
    expect(outage.failedInvocations).toBe(functionAsyncInvokeSettings(auditLogSubscription).maximumRetryAttempts + 1);
    expect(await effectsOf(orderId)).toEqual({ audit: 1, emails: 1, sns: 1, emailLog: ["sent"] });
  });

  it("the audit-log function throttled past the rule's retries: the event ends in the rule's dead letters, and a redrive writes the row once", async () => {
    const orderId = await seedOrder();
    const { functionName } = subscriptionResourceNames(config(), auditLogSubscription);
    const invokes = auditLogSubscription.retry.maximumRetryAttempts + 1;
    faults.failNext("lambda-throttle", invokes, { resources: [functionName] });

    await confirm(orderId, "pay_throttled");
    const kept = undeliveredOf(orderId);
    await redriveUndeliveredEvents(stack);

    expect(kept.map((letter) => [letter.kind, letter.where, letter.errorMessage])).toEqual([
      ["rule-dead-letter", ruleOf("audit-log"), expect.stringContaining("TooManyRequestsException")],
    ]);
    expect(faults.injectedCount("lambda-throttle")).toBe(invokes);
    expect(await effectsOf(orderId)).toEqual({ audit: 1, emails: 1, sns: 1, emailLog: ["sent"] });
  });
});

describe("reproductions of the invariant violations found (fail until fixed)", () => {
  it("[F1] a declined payment delivered again after another payment paid the order keeps its one final outcome", async () => {
    const orderId = await seedOrder();
    await confirm(orderId, "pay_declined", false);
    await confirm(orderId, "pay_paid");

    await confirm(orderId, "pay_declined", false);

    expect(finalKeys(orderId, "pay_declined")).toEqual([`${orderId}:pay_declined:OrderPaymentFailed:PAYMENT_DECLINED`]);
  });

  it("[F1] an underpayment delivered again after another payment paid the order keeps AMOUNT_MISMATCH, and is not also ALREADY_PAID (two refunds)", async () => {
    const orderId = await seedOrder();
    await confirm(orderId, "pay_short", true, 100);
    await confirm(orderId, "pay_full");

    await confirm(orderId, "pay_short", true, 100);

    expect(finalKeys(orderId, "pay_short")).toEqual([`${orderId}:pay_short:OrderPaymentFailed:AMOUNT_MISMATCH`]);
  });

  it("[F2] the email log failing to record a sent email does not get the email sent twice", async () => {
    const orderId = await seedOrder();
    // The email-result write fails 12 times (4 SDK attempts x 3 email-log attempts), after SES took the email.
    faults.failNext("dynamodb-5xx", 12, { match: emailLogRowFrom(orderId, 3) });

    await confirm(orderId, "pay_record_email");

    expect(faults.injectedCount("dynamodb-5xx")).toBeGreaterThanOrEqual(12);
    expect((await effectsOf(orderId)).emails).toBe(1);
  });

  it("[F2] the email log failing to record a published SNS message does not get it published twice", async () => {
    const orderId = await seedOrder();
    faults.failNext("dynamodb-5xx", 12, { match: emailLogRowFrom(orderId, 5) });

    await confirm(orderId, "pay_record_sns");

    expect((await effectsOf(orderId)).sns).toBe(1);
  });

  it("[F3] a notification whose email log could not be completed is finished by a redrive once the fault is fixed", async () => {
    const orderId = await seedOrder();
    faults.failNext("dynamodb-5xx", 12, { match: emailLogRowFrom(orderId, 6) });
    await confirm(orderId, "pay_complete");
    faults.disableAll();

    await redriveUndeliveredEvents(stack);

    const left = undeliveredOf(orderId);
    expect(left.map((letter) => `${letter.where}: ${letter.errorName}: ${letter.errorMessage}`)).toEqual([]);
    expect(await effectsOf(orderId)).toEqual({ audit: 1, emails: 1, sns: 1, emailLog: ["sent"] });
  });

  it("[F5] a paymentId too long for the contract is refused by the callbacks' publisher, naming the field, and nothing reaches the bus", async () => {
    const orderId = await seedOrder();
    const before = stack.eventBridge.listAcceptedEvents().length;

    const attempt = confirm(orderId, `pay_${"x".repeat(350_000)}`);

    await expect(attempt).rejects.toThrow("paymentId must be at most 128 characters, got 350004");
    expect(stack.eventBridge.listAcceptedEvents()).toHaveLength(before);
    expect(listUndeliveredEvents(stack)).toEqual([]);
  });
});
