import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher } from "@payment3/core";
import { buildPutEventsEntry, OrderPaidContract, PROCESSOR_SOURCE, type OrderPaid } from "@payment3/events";
import { readExampleEnvelope } from "@payment3/events/examples";
import { SCHEDULED_FUNCTIONS, SUBSCRIPTIONS } from "@payment3/functions";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FaultInjector, type FaultKind } from "../faults/index";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "./local-runtime";
import { provisionLocalResources, registerSubscriptions } from "./provision";

const MINUTE_MS = 60_000;

let stack: LocalStack;
let faults: FaultInjector;
/** How far the runtime's clock (schedules, the sweep) is ahead of the system clock (the notifier's). */
let offsetMs = 0;
const config = () => localConfig(stack, { BRANCH: "sweep" });

// A fresh runtime per test: the compressed clock only moves forward, and each test starts its window at zero.
beforeEach(async () => {
  offsetMs = 0;
  faults = new FaultInjector({ seed: 20 });
  const clock = () => new Date(Date.now() + offsetMs);
  stack = await startLocalStack({
    faults,
    eventBridge: { retryBaseDelayMs: 2, retryMaxDelayMs: 20, logger: { warn() {} }, clock, scheduleTickIntervalMs: 0 },
    lambdaAsync: { retryDelaysMs: [10, 20] },
  });
  const logger = new Logger({ logLevel: "SILENT" });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, logger);
  await registerSubscriptions(stack, config(), SCHEDULED_FUNCTIONS, logger, undefined, clock);
});
afterEach(async () => {
  await stack?.close();
});

/** Every delivery, Lambda retry and SES event done. */
async function settle(): Promise<void> {
  await stack.eventBridge.whenIdle();
  await stack.ses.emailEventsSettled();
  await stack.eventBridge.whenIdle();
}

/** Moves the runtime's clock on and fires the schedules due by then (the sweep every 5 minutes). */
async function advance(minutes: number): Promise<number> {
  offsetMs += minutes * MINUTE_MS;
  const fired = stack.eventBridge.fireDueSchedules();
  await settle();
  return fired;
}

/** An OrderPaid on the bus for a new order of `orderId` (digits: the SES fault hooks find the order in the subject). */
async function orderPaid(orderId: string, sesFault?: FaultKind): Promise<{ orderId: string; notificationKey: string }> {
  const example = readExampleEnvelope("OrderPaid.v1.json") as { detail: OrderPaid };
  const detail: OrderPaid = {
    ...example.detail,
    orderId,
    idempotencyKey: `${orderId}:p:OrderPaid`,
    order: { ...example.detail.order, orderId, customer: { name: "Somchai", email: `buyer-${orderId}@example.com` } },
  };
  if (sesFault) faults.failNext(sesFault, 1, { match: (site) => site.orderIds?.includes(orderId) ?? false });
  const { eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await createEventBridgePublisher({ client: eventBridge }).publish([
    buildPutEventsEntry(OrderPaidContract, detail, { eventBusName: config().eventBusName, source: PROCESSOR_SOURCE }),
  ]);
  await settle();
  return { orderId, notificationKey: detail.idempotencyKey };
}

const emailsOf = async (orderId: string) =>
  (await stack.ses.listSentEmails()).filter((email) => email.subject.includes(`#${orderId}`));

async function rowOf(key: { orderId: string; notificationKey: string }) {
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  return (await documentClient.send(new GetCommand({ TableName: config().emailLogTableName, Key: key }))).Item;
}

describe("the uncertain-email sweep on the local runtime's schedule", () => {
  it("sends, once, an email whose SES call lost its connection before SES saw it, after the window and not before", async () => {
    // Prepare
    const key = await orderPaid("9201", "ses-request-lost");
    const uncertain = await rowOf(key);

    // Act
    await advance(14);
    const withinTheWindow = await emailsOf("9201");
    await advance(2);
    await advance(30);

    // Assert
    expect(uncertain).toMatchObject({ status: "uncertain", emailResult: "uncertain", snsResult: "sent" });
    expect(withinTheWindow).toHaveLength(0);
    const emails = await emailsOf("9201");
    expect(emails).toHaveLength(1);
    expect(await rowOf(key)).toMatchObject({
      status: "sent",
      emailResult: "sent",
      emailResolvedBy: "sweep",
      messageId: emails[0]!.messageId,
      // The sweep's own email has SES events too.
      sesMessageId: emails[0]!.messageId,
      sesDeliveredAt: expect.any(String),
    });
  });

  it("never resends an email SES accepted before the answer was lost: its SES events settle the row", async () => {
    const key = await orderPaid("9202", "ses-answer-lost");

    await advance(16);
    await advance(30);

    const emails = await emailsOf("9202");
    expect(emails).toHaveLength(1);
    expect(await rowOf(key)).toMatchObject({
      status: "sent",
      emailResult: "sent",
      emailResolvedBy: "ses-event",
      messageId: emails[0]!.messageId,
    });
  });

  it("the remaining window: an email SES accepted whose every SES event was lost is sent a second time by the sweep", async () => {
    // Prepare: the answer is lost and so are the message's Send and Delivery events.
    stack.ses.dropNextEmailEvents(2);

    // Act
    const key = await orderPaid("9203", "ses-answer-lost");
    await advance(16);

    // Assert: nothing told the system the first email went, so the sweep sent it again.
    expect(stack.ses.emailEventStatistics().dropped).toBe(2);
    expect(await emailsOf("9203")).toHaveLength(2);
    expect(await rowOf(key)).toMatchObject({ status: "sent", emailResolvedBy: "sweep" });
  });

  it("a sweep whose SES call is answered with errors sends nothing; the next sweep sends the email once", async () => {
    // Prepare
    const key = await orderPaid("9204", "ses-request-lost");
    // Five error answers: every attempt of the SES client (it retries answered errors, never a lost answer).
    faults.failNext("ses-failure", 5, { match: (site) => site.orderIds?.includes("9204") ?? false });

    // Act: the sweeps at 5 and 10 minutes find it within its window; the one at 15 (run at 16) fails, the one at 20 sends.
    await advance(14);
    await advance(2);
    const afterTheFailedSweep = await rowOf(key);
    await advance(5);

    // Assert
    expect(afterTheFailedSweep).toMatchObject({
      emailResult: "uncertain",
      lastSweepError: expect.stringContaining("Injected fault"),
    });
    expect(await emailsOf("9204")).toHaveLength(1);
    expect(await rowOf(key)).toMatchObject({ status: "sent", emailResolvedBy: "sweep" });
  });

  it("a sweep whose answer is lost does not send again: the SES events of its send settle the row", async () => {
    // Prepare
    const key = await orderPaid("9205", "ses-request-lost");
    faults.failNext("ses-answer-lost", 1, { match: (site) => site.orderIds?.includes("9205") ?? false });

    // Act
    await advance(16);
    await advance(30);

    // Assert
    const emails = await emailsOf("9205");
    expect(emails).toHaveLength(1);
    expect(await rowOf(key)).toMatchObject({
      status: "sent",
      emailResolvedBy: "ses-event",
      emailSweepAttempts: 1,
      messageId: emails[0]!.messageId,
    });
  });
});
