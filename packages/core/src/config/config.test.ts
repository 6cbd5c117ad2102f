import { describe, expect, it } from "vitest";
import { configEnvironment, ConfigError, loadConfig, type DeployedConfig } from "./config";

describe("loadConfig", () => {
  it("derives every default name of our own from BRANCH; the shared order table is order-table-dev for every branch", () => {
    const config = loadConfig({ BRANCH: "master" });

    expect(config).toMatchObject({
      stage: "master",
      region: "ap-southeast-1",
      orderTableName: "order-table-dev",
      auditLogTableName: "payment3-process-paid-order-master",
      calculateCostFunction: "calculate-cost-3-master",
      eventBusName: "payment3-master",
      eventSizeLimitBytes: 1_048_576,
      uncertainEmailWindowMinutes: 15,
      auditCreatedAtFormat: "epoch-millis",
      awsEndpointUrl: undefined,
    });
  });

  it.each(["epoch-millis", "epoch-seconds", "iso-8601"] as const)("reads AUDIT_CREATED_AT_FORMAT=%s", (format) => {
    const config = loadConfig({ AUDIT_CREATED_AT_FORMAT: format });

    expect(config.auditCreatedAtFormat).toBe(format);
  });

  it("reads AUDIT_CREATED_AT_FORMAT whatever its case and surrounding spaces", () => {
    const config = loadConfig({ AUDIT_CREATED_AT_FORMAT: " ISO-8601 " });

    expect(config.auditCreatedAtFormat).toBe("iso-8601");
  });

  it("uses dev when BRANCH is unset, and explicit names over defaults", () => {
    const config = loadConfig({ ORDER_TABLE_NAME: "shared-orders", EVENT_SIZE_LIMIT_BYTES: "262144" });

    expect(config.stage).toBe("dev");
    expect(config.orderTableName).toBe("shared-orders");
    expect(config.eventSizeLimitBytes).toBe(262_144);
  });

  it.each([
    [
      { EVENT_SIZE_LIMIT_BYTES: "1MB" },
      "EVENT_SIZE_LIMIT_BYTES",
      'must be a positive whole number of bytes, got "1MB"',
    ],
    [
      { UNCERTAIN_EMAIL_WINDOW_MINUTES: "0" },
      "UNCERTAIN_EMAIL_WINDOW_MINUTES",
      'must be a positive whole number of minutes, got "0"',
    ],
    [{ BRANCH: "feature/x" }, "BRANCH", "must be letters, digits and hyphens"],
    [{ ORDER_TABLE_NAME: "  " }, "ORDER_TABLE_NAME", "is set but empty"],
    [{ AWS_ENDPOINT_URL: "localhost:4566" }, "AWS_ENDPOINT_URL", "must be an http(s) URL"],
    [
      { AUDIT_CREATED_AT_FORMAT: "millis" },
      "AUDIT_CREATED_AT_FORMAT",
      'must be one of epoch-millis, epoch-seconds, iso-8601, got "millis"',
    ],
    [{ AUDIT_CREATED_AT_FORMAT: "" }, "AUDIT_CREATED_AT_FORMAT", "is set but empty"],
  ])("fails fast on %o, naming the variable", (env, variable, message) => {
    const load = () => loadConfig(env);

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`${variable} ${message}`);
  });
});

describe("configEnvironment", () => {
  it("gives a function the variables loadConfig reads back into the same configuration", () => {
    const deployed: DeployedConfig = {
      stage: "prod",
      orderTableName: "order-table-master",
      auditLogTableName: "payment3-process-paid-order-prod",
      auditCreatedAtFormat: "epoch-seconds",
      emailLogTableName: "payment3-email-log-prod",
      idempotencyTableName: "payment3-idempotency-prod",
      calculateCostFunction: "calculate-cost-3-master",
      eventBusName: "payment3-prod",
      paymentNotificationsTopicArn: "arn:aws:sns:ap-southeast-1:123456789012:payment3-payment-notifications-prod",
      senderEmail: "no-reply@shop.example.co.th",
      emailConfigurationSetName: "payment3-prod-email",
      emailSuppressionTableName: "payment3-email-suppressions-prod",
      eventSizeLimitBytes: 262_144,
      uncertainEmailWindowMinutes: 30,
    };

    const config = loadConfig(configEnvironment(deployed));

    expect(config).toMatchObject(deployed);
  });
});
