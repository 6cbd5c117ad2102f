import { loadConfig } from "@payment3/core";
import { describe, expect, it } from "vitest";
import { configEnvironment, type DeployedConfig } from "./function-environment";

describe("configEnvironment", () => {
  it("gives each function the variables loadConfig reads back into the same configuration", () => {
    const deployed: DeployedConfig = {
      branch: "prod",
      orderTableName: "order-table-master",
      processPaidOrderTableName: "payment3-process-paid-order-prod",
      emailLogTableName: "payment3-email-log-prod",
      idempotencyTableName: "payment3-idempotency-prod",
      calculateCostFunction: "calculate-cost-3-master",
      eventBusName: "payment3-prod",
      paymentNotificationsTopicArn: "arn:aws:sns:ap-southeast-1:123456789012:payment3-payment-notifications-prod",
      senderEmail: "no-reply@shop.example.co.th",
    };

    const config = loadConfig(configEnvironment(deployed));

    expect(config).toMatchObject(deployed);
  });
});
