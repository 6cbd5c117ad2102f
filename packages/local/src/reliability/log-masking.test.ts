import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaultInjector } from "../faults/index";
import { installProcessorCrashes } from "../faults/processor-faults";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { provisionLocalResources, registerSubscriptions } from "../runtime/provision";
import { captureProcessOutput } from "../testing/captured-output";

/** Customers of the flow: every address and phone number that must never be printed whole. */
const CUSTOMERS = [
  { orderId: "6100001", email: "somchai.jaidee@example.com", phone: "+66812345678" },
  { orderId: "6100002", email: "jane.doe@example.org", phone: "0891112233" },
  { orderId: "6100003", email: "bounce.me@example.net", phone: "+66 81 999 8877" },
  { orderId: "6100004", email: "retry.later@example.com", phone: "+66823334444" },
  { orderId: "6100005", email: "cost.fails@example.com", phone: "+66825556666" },
] as const;
const digitsOf = (phone: string) => phone.replace(/\D/g, "");

let stack: LocalStack;
let faults: FaultInjector;
const output: string[] = [];
const config = () => localConfig(stack, { BRANCH: "logmask" });

const capture = (run: () => Promise<void>) => captureProcessOutput(output, run);

beforeAll(async () => {
  faults = new FaultInjector({ seed: 5 });
  stack = await startLocalStack({
    faults,
    eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 5, logger: { warn: (message) => output.push(message) } },
  });
  await provisionLocalResources(stack, config());
  const logger = new Logger({ serviceName: "payment3-logmask", logLevel: "INFO" });
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, logger);
  installProcessorCrashes(stack, config(), faults, logger);
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  for (const customer of CUSTOMERS) {
    await documentClient.send(
      new PutCommand({
        TableName: config().orderTableName,
        Item: {
          orderId: customer.orderId,
          customer: { name: "Test Customer", email: customer.email, phone: customer.phone, locale: "th" },
          items: [{ name: "Tea", quantity: 2, unitPrice: 150 }],
        },
      }),
    );
  }
});

afterAll(async () => {
  await stack?.close();
});

describe("logs at INFO never print a whole customer email address or phone number", () => {
  it("a flow through every path that logs (paid, declined, refused by SES, SES down, calculate-cost down, crash, invalid input) prints them masked only", async () => {
    const events = new EventBridgeClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 });
    const publisher = createEventBridgePublisher({ client: events });
    const confirm = (orderId: string, paymentId: string, success = true, amount = 300) =>
      publishWalletPaymentConfirmed(
        { orderId, paymentId, success, amount },
        { publisher, eventBusName: config().eventBusName },
      );

    await capture(async () => {
      await confirm("6100001", "pay_paid");
      await confirm("6100002", "pay_declined", false);
      stack.ses.rejectRecipients(["bounce.me@example.net"]);
      await confirm("6100003", "pay_bounce");
      await stack.eventBridge.whenIdle();
      stack.ses.rejectRecipients([]);
      const order4 = { match: (site: { orderIds?: readonly string[] }) => site.orderIds?.includes("6100004") ?? false };
      // More failures than the SES client's 5 attempts, so the notification fails and logs it.
      faults.failNext("ses-failure", 6, order4).failNext("crash-after-order-write", 1, order4);
      await confirm("6100004", "pay_retry");
      faults.failNext("calculate-cost-error", 2);
      await confirm("6100005", "pay_cost");
      await events.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: "payment3.wallet-callback",
              DetailType: "WalletPaymentConfirmed",
              EventBusName: config().eventBusName,
              Detail: JSON.stringify({ orderId: "6100001", paymentId: "pay_bad", success: "yes", amount: "abc" }),
            },
          ],
        }),
      );
      await stack.eventBridge.whenIdle();
    });
    events.destroy();

    const printed = output.join("\n");
    expect(printed).toContain("customer email sent");
    expect(printed).toContain("SES refused the customer email");
    expect(printed).toContain("invalid confirmation recorded as INVALID_EVENT");
    expect(printed).toContain("customer notification not finished");
    expect(printed).toContain("confirmation not processed");
    expect(printed).toMatch(/s\*+e@example\.com/);
    for (const customer of CUSTOMERS) {
      expect(printed, `full address ${customer.email} printed`).not.toContain(customer.email);
      expect(printed.replace(/\D/g, " "), `full phone ${customer.phone} printed`).not.toMatch(
        new RegExp(`\\b${digitsOf(customer.phone)}\\b`),
      );
      expect(printed, `phone ${customer.phone} printed`).not.toContain(customer.phone);
    }
  });
});
