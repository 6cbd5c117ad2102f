import { ConfigError } from "./config";
import { describe, expect, it } from "vitest";
import { readCutOverSettings } from "./cut-over-settings";

describe("readCutOverSettings", () => {
  it("creates everything and leaves the legacy name alone by default", () => {
    // Act
    const settings = readCutOverSettings({});

    // Assert
    expect(settings).toEqual({
      legacyInvokeAdapter: false,
      adoptedProcessPaidOrderTableName: undefined,
      adoptedPaymentNotificationsTopicArn: undefined,
    });
  });

  it("turns the adapter on and adopts the table and topic it is given", () => {
    // Act
    const settings = readCutOverSettings({
      LEGACY_INVOKE_ADAPTER: "ON",
      ADOPT_PROCESS_PAID_ORDER_TABLE: "ProcessPaidOrderTable-master",
      ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN: "arn:aws:sns:ap-southeast-1:123456789012:payment-notifications",
    });

    // Assert
    expect(settings).toEqual({
      legacyInvokeAdapter: true,
      adoptedProcessPaidOrderTableName: "ProcessPaidOrderTable-master",
      adoptedPaymentNotificationsTopicArn: "arn:aws:sns:ap-southeast-1:123456789012:payment-notifications",
    });
  });

  it.each([
    ["LEGACY_INVOKE_ADAPTER", "yes", 'LEGACY_INVOKE_ADAPTER must be on or off, got "yes"'],
    [
      "ADOPT_PROCESS_PAID_ORDER_TABLE",
      "arn:aws:dynamodb:ap-southeast-1:123456789012:table/x",
      "ADOPT_PROCESS_PAID_ORDER_TABLE must be the name of an existing DynamoDB table",
    ],
    [
      "ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN",
      "payment-notifications",
      "ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN must be the ARN of an existing standard SNS topic",
    ],
  ])("refuses %s=%s naming the variable", (variable, value, message) => {
    // Act
    const read = () => readCutOverSettings({ [variable]: value });

    // Assert
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(message);
  });
});
