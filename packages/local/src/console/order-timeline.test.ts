import type { PublishedSnsMessage } from "@payment3/aws-local";
import { describe, expect, it } from "vitest";
import { buildOrderTimeline, snsMessagesOfOrder } from "./order-timeline";

const sns = (message: string, orderIdAttribute?: string): PublishedSnsMessage => ({
  messageId: message.slice(0, 8),
  topicArn: "arn:aws:sns:ap-southeast-1:000000000000:payment-notifications",
  message,
  attributes: orderIdAttribute ? { orderId: { dataType: "String", stringValue: orderIdAttribute } } : {},
  time: new Date("2026-12-03T10:00:03Z"),
});

describe("buildOrderTimeline", () => {
  it("puts the outcome record, audit rows, emails and SNS messages in time order, and links emails to the mail page", () => {
    // Prepare
    const order = {
      orderId: "7",
      payment: { paymentId: "p-1", isPaid: true, paymentMethod: "wallet", totalPaid: 300 },
      paymentOutcomes: { "p-1": { outcome: "OrderPaid", occurredAt: "2026-12-03T10:00:01.000Z", amount: 300 } },
    };

    // Act
    const timeline = buildOrderTimeline({
      orderId: "7",
      flow: [],
      snapshots: null,
      records: {
        order,
        auditRows: [{ orderId: "7", created_at: "not a time", outcome: "OrderPaid", is_error: false }],
        emailLogRows: [
          {
            orderId: "7",
            template: "paid",
            status: "sent",
            emailResult: "sent",
            recipient: "a@b.example",
            sentAt: "2026-12-03T10:00:02.000Z",
          },
        ],
        snsMessages: [sns(JSON.stringify({ orderId: "7" }))],
      },
      mailPageUrl: "http://127.0.0.1:4566/_local/ses/",
    });

    // Assert
    expect(timeline.exists).toBe(true);
    expect(timeline.entries.map((entry) => [entry.kind, entry.time])).toEqual([
      ["payment-header", "2026-12-03T10:00:01.000Z"],
      ["outcome-record", "2026-12-03T10:00:01.000Z"],
      ["email", "2026-12-03T10:00:02.000Z"],
      ["sns-message", "2026-12-03T10:00:03.000Z"],
      ["audit-row", "not a time"],
    ]);
    expect(timeline.entries[0]?.summary).toBe(
      "isPaid true: p-1 (wallet, 300) (as it is now: the console keeps no header history here)",
    );
    expect(timeline.entries.find((entry) => entry.kind === "email")?.link).toBe("http://127.0.0.1:4566/_local/ses/");
  });

  it("shows one entry per change of the payment header the console saw, and none for an unknown order", () => {
    // Prepare
    const before = {
      time: "2026-12-03T10:00:00.000Z",
      seenWhen: "before WalletPaymentConfirmed",
      payment: null,
      paymentOutcomes: null,
    };
    const after = {
      ...before,
      time: "2026-12-03T10:00:01.000Z",
      seenWhen: "after processor",
      payment: { paymentId: "p-1", isPaid: true },
    };

    // Act
    const timeline = buildOrderTimeline({
      orderId: "8",
      flow: [],
      snapshots: [before, after, { ...after, time: "2026-12-03T10:00:05.000Z", paymentOutcomes: { p: {} } }],
      records: { order: undefined, auditRows: [], emailLogRows: [], snsMessages: [] },
      mailPageUrl: "",
    });

    // Assert
    expect(timeline.exists).toBe(false);
    expect(timeline.entries.map((entry) => entry.summary)).toEqual([
      "no payment header before WalletPaymentConfirmed",
      "isPaid true: p-1 (, ) after processor",
    ]);
  });
});

describe("snsMessagesOfOrder", () => {
  it("finds the order's messages by a JSON orderId, an event detail's orderId or an orderId attribute", () => {
    // Prepare
    const messages = [
      sns(JSON.stringify({ orderId: "7" })),
      sns(JSON.stringify({ detail: { orderId: "7" } })),
      sns("plain text", "7"),
      sns(JSON.stringify({ orderId: "70" })),
      sns("not json about 7"),
    ];

    // Act
    const found = snsMessagesOfOrder(messages, "7");

    // Assert
    expect(found.map((message) => messages.indexOf(message))).toEqual([0, 1, 2]);
  });
});
