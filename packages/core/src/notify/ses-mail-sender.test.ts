import { SESClient } from "@aws-sdk/client-ses";
import { startAwsLocal, type AwsLocal } from "@payment3/aws-local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_LOG_TAG_NAME, emailLogTagOf } from "./email-log-tag";
import { createSesMailSender } from "./ses-mail-sender";

let stack: AwsLocal;

beforeAll(async () => {
  stack = await startAwsLocal();
});
afterAll(async () => {
  await stack?.close();
});

const sender = () =>
  createSesMailSender({
    client: new SESClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 }),
    senderEmail: "payments@payment3.example",
  });
const email = (to: string) => ({ to, subject: "ชำระเงินแล้ว", html: "<p>ขอบคุณ</p>", text: "ขอบคุณ" });

describe("the SES mail sender, against the local SES", () => {
  it("sends one email from the sender address to the one recipient and answers sent with SES's message id", async () => {
    const answer = await sender().send(email("ses-1@example.com"));

    const stored = (await stack.ses.listSentEmails()).filter((mail) => mail.to.includes("ses-1@example.com"));
    expect(answer).toEqual({ kind: "sent", messageId: stored[0]?.messageId });
    expect(stored).toEqual([
      expect.objectContaining({
        from: "payments@payment3.example",
        to: ["ses-1@example.com"],
        subject: "ชำระเงินแล้ว",
        text: "ขอบคุณ",
      }),
    ]);
  });

  it("answers refused when SES rejects the address (no retry changes that)", async () => {
    stack.ses.rejectRecipients(["ses-2@example.com"]);
    try {
      const answer = await sender().send(email("ses-2@example.com"));

      expect(answer).toMatchObject({ kind: "refused", error: { name: "MessageRejected" } });
    } finally {
      stack.ses.rejectRecipients([]);
    }
  });

  it("answers failed without effect when SES answers an error a retry may get past", async () => {
    stack.ses.failNext(1, "Throttling");

    const answer = await sender().send(email("ses-3@example.com"));

    expect(answer).toMatchObject({ kind: "failed", effect: "none", error: { name: "Throttling" } });
    expect((await stack.ses.listSentEmails()).filter((mail) => mail.to.includes("ses-3@example.com"))).toEqual([]);
  });

  it("names the configuration set and tags the email, so SES's events come back with the email-log row", async () => {
    // Prepare
    stack.ses.configurationSets.create("payment3-mail-test");
    stack.ses.configurationSets.putEventDestination("payment3-mail-test", {
      Name: "to-eventbridge",
      Enabled: true,
      MatchingEventTypes: ["SEND"],
      EventBridgeDestination: { EventBusArn: stack.eventBridge.eventBusArn("default") },
    });
    const tagged = createSesMailSender({
      client: new SESClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 }),
      senderEmail: "payments@payment3.example",
      configurationSetName: "payment3-mail-test",
    });
    const tag = emailLogTagOf({ orderId: "1001", notificationKey: "wallet:pay-1#OrderPaid" })!;

    // Act
    const answer = await tagged.send({ ...email("ses-4@example.com"), tags: [tag] });
    await stack.ses.emailEventsSettled();

    // Assert
    const sendEvent = stack.eventBridge
      .listAcceptedEvents("default")
      .find(
        (accepted) =>
          (accepted.event.detail as { mail: { messageId: string } }).mail.messageId ===
          (answer as { messageId: string }).messageId,
      );
    expect(sendEvent?.event.detail).toMatchObject({
      eventType: "Send",
      mail: { tags: { "ses:configuration-set": ["payment3-mail-test"], [EMAIL_LOG_TAG_NAME]: [tag.Value] } },
    });
  });

  it("answers failed without effect when the configuration set does not exist, so the event is retried after the fix", async () => {
    // Prepare
    const misconfigured = createSesMailSender({
      client: new SESClient({ endpoint: stack.url, region: "ap-southeast-1", maxAttempts: 1 }),
      senderEmail: "payments@payment3.example",
      configurationSetName: "payment3-missing-set",
    });

    // Act
    const answer = await misconfigured.send(email("ses-5@example.com"));

    // Assert
    expect(answer).toMatchObject({
      kind: "failed",
      effect: "none",
      error: { name: "ConfigurationSetDoesNotExistException" },
    });
    expect((await stack.ses.listSentEmails()).filter((mail) => mail.to.includes("ses-5@example.com"))).toEqual([]);
  });
});
