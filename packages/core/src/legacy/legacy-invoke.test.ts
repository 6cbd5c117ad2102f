import { CreateEventBusCommand } from "@aws-sdk/client-eventbridge";
import { startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../aws/aws-clients";
import { createEventBridgePublisher, PublishError } from "../bus/event-publisher";
import { acceptLegacyInvocation, LegacyPayloadError, type LegacyInvokeDependencies } from "./legacy-invoke";

const BUS = "payment3-legacy-invoke-test";
let stack: AwsLocal;
let deps: LegacyInvokeDependencies;
/** Entries of these order ids are answered ThrottlingException by the local bus. */
const throttledOrders = new Set<string>();

beforeAll(async () => {
  stack = await startAwsLocal({
    eventBridge: {
      putEventsFaults: {
        failEntry: (entry) =>
          throttledOrders.has(String((JSON.parse(entry.Detail ?? "{}") as { orderId?: unknown }).orderId))
            ? { ErrorCode: "ThrottlingException", ErrorMessage: "Rate exceeded" }
            : undefined,
      },
    },
  });
  const { eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await eventBridge.send(new CreateEventBusCommand({ Name: BUS }));
  deps = {
    publisher: createEventBridgePublisher({ client: eventBridge, maxAttempts: 2, baseDelayMs: 1 }),
    eventBusName: BUS,
  };
});
afterAll(async () => {
  await stack?.close();
});

const onBus = () => stack.eventBridge.listAcceptedEvents(BUS).map((accepted) => accepted.event);

describe("acceptLegacyInvocation (the legacy function's invoke contract)", () => {
  it("publishes the documented JSON string payload as a wallet WalletPaymentConfirmed and answers as the legacy function did", async () => {
    // Act
    const { answer, published } = await acceptLegacyInvocation(
      '{"orderId":"492500005643","success":true,"paymentId":"pay_wallet_abc123","amount":300.0}',
      deps,
    );

    // Assert
    expect(answer).toEqual({ statusCode: 200, body: '"success"' });
    expect(onBus().find((event) => event.id === published.eventId)).toMatchObject({
      source: "payment3.wallet-callback",
      "detail-type": "WalletPaymentConfirmed",
      detail: {
        orderId: "492500005643",
        paymentId: "pay_wallet_abc123",
        success: true,
        amount: 300,
        channel: "wallet",
      },
    });
  });

  it("reads an object with order_id / payment_id, no amount (0, not reported) and the bank-app channel", async () => {
    // Act
    const { published } = await acceptLegacyInvocation(
      { order_id: 492500005644, payment_id: "pay_bank_1", success: false, channel: "bank-app" },
      deps,
    );

    // Assert
    expect(onBus().find((event) => event.id === published.eventId)).toMatchObject({
      source: "payment3.bank-app-callback",
      detail: {
        orderId: "492500005644",
        paymentId: "pay_bank_1",
        success: false,
        amount: 0,
        amountReported: false,
        channel: "bank-app",
      },
    });
  });

  it.each([
    [
      "a success that is not a boolean",
      { orderId: "1", paymentId: "p", success: "yes" },
      "success",
      'success must be true or false, got "yes"',
    ],
    ["no payment id", { orderId: "1", success: true, amount: 10 }, "paymentId", "paymentId is required"],
    [
      "a negative amount",
      { orderId: "1", paymentId: "p", success: true, amount: -5 },
      "amount",
      "amount must be a number >= 0, got -5",
    ],
    ["a number instead of an object", 42, "(root)", "(root) must be a JSON object, got number"],
    ["unparsable JSON text", "{orderId: 1", "(root)", "(root) must be a JSON object, got unparsable JSON"],
  ])(
    "refuses %s with a non-retryable LegacyPayloadError naming the field, publishing nothing",
    async (_case, payload, field, message) => {
      // Prepare
      const before = onBus().length;

      // Act
      const error = await acceptLegacyInvocation(payload, deps).catch((caught: unknown) => caught);

      // Assert
      expect(error).toBeInstanceOf(LegacyPayloadError);
      expect(error).toMatchObject({ code: "INVALID_LEGACY_PAYLOAD", retryable: false, field });
      expect((error as Error).message).toContain(message);
      expect(onBus()).toHaveLength(before);
    },
  );

  it("lets a PutEvents failure that outlasts the publisher's retries through as a transient PublishError", async () => {
    // Prepare
    throttledOrders.add("ORD-THROTTLED");

    // Act
    const error = await acceptLegacyInvocation(
      { orderId: "ORD-THROTTLED", paymentId: "p", success: true, amount: 1 },
      deps,
    ).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ transient: true });
    expect(onBus().some((event) => (event.detail as { orderId?: string }).orderId === "ORD-THROTTLED")).toBe(false);
  });
});
