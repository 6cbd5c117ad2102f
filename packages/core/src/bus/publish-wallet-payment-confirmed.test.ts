import { CreateEventBusCommand } from "@aws-sdk/client-eventbridge";
import { ContractValidationError } from "@payment3/events";
import { startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAwsClients } from "../aws/aws-clients";
import { createEventBridgePublisher } from "./event-publisher";
import { publishWalletPaymentConfirmed } from "./publish-wallet-payment-confirmed";

const BUS = "payment3-callbacks-test";
let stack: AwsLocal;
let deps: Parameters<typeof publishWalletPaymentConfirmed>[1];

beforeAll(async () => {
  stack = await startAwsLocal();
  const { eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await eventBridge.send(new CreateEventBusCommand({ Name: BUS }));
  deps = { publisher: createEventBridgePublisher({ client: eventBridge }), eventBusName: BUS };
});
afterAll(async () => {
  await stack?.close();
});

const onBus = () => stack.eventBridge.listAcceptedEvents(BUS).map((accepted) => accepted.event);

describe("publishWalletPaymentConfirmed (what the callbacks call)", () => {
  it("publishes the documented example string as a WalletPaymentConfirmed from the wallet callback", async () => {
    const published = await publishWalletPaymentConfirmed(
      '{"orderId":"492500005643","success":true,"paymentId":"pay_wallet_abc123","amount":300.0}',
      deps,
    );

    const event = onBus().find((e) => e.id === published.eventId);
    expect(event).toMatchObject({
      source: "payment3.wallet-callback",
      "detail-type": "WalletPaymentConfirmed",
      detail: {
        schemaVersion: 1,
        orderId: "492500005643",
        paymentId: "pay_wallet_abc123",
        success: true,
        amount: 300,
        channel: "wallet",
      },
    });
  });

  it("sets the bank-app source from the channel and normalises legacy aliases", async () => {
    const published = await publishWalletPaymentConfirmed(
      { order_id: 77, payment_id: "bank-1", success: false, channel: "bank-app" },
      deps,
    );

    expect(onBus().find((e) => e.id === published.eventId)).toMatchObject({
      source: "payment3.bank-app-callback",
      detail: { orderId: "77", paymentId: "bank-1", amount: 0, channel: "bank-app" },
    });
  });

  it("refuses an invalid confirmation with an error naming the field, and publishes nothing", async () => {
    const before = onBus().length;

    const attempt = publishWalletPaymentConfirmed({ orderId: "1", paymentId: "p", success: "yes" }, deps);

    await expect(attempt).rejects.toBeInstanceOf(ContractValidationError);
    await expect(attempt).rejects.toThrow('success must be true or false, got "yes"');
    expect(onBus()).toHaveLength(before);
  });
});
