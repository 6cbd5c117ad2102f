import { ConfigError, defaultResourceNames } from "@payment3/core";
import { describe, expect, it } from "vitest";
import { readDeploySettings } from "./deploy-settings";

describe("readDeploySettings", () => {
  it("defaults every name to the config module's defaults for the stage", () => {
    const settings = readDeploySettings("test", "ap-southeast-1", { ALLOW_UNALERTED_STAGE: "true" });

    const names = defaultResourceNames("test");
    expect(settings.config).toMatchObject({
      stage: "test",
      region: "ap-southeast-1",
      orderTableName: names.orderTableName,
      calculateCostFunction: names.calculateCostFunction,
      eventBusName: names.eventBusName,
      senderEmail: "payments@payment3.example",
      auditCreatedAtFormat: "epoch-millis",
    });
    expect(settings).toMatchObject({
      archiveRetentionDays: 30,
      logLevel: "INFO",
      opsAlarmEmail: undefined,
      opsAlarmTopicArn: undefined,
      retainTables: true,
    });
  });

  it("takes the shared resources, sender, audit created_at format and stage settings from the synth environment", () => {
    const settings = readDeploySettings("prod", "ap-southeast-1", {
      ORDER_TABLE_NAME: "order-table-master",
      CALCULATE_COST_FUNCTION: "arn:aws:lambda:ap-southeast-1:123456789012:function:calculate-cost-3-master",
      SENDER_EMAIL: "no-reply@shop.example.co.th",
      ARCHIVE_RETENTION_DAYS: "0",
      LOG_LEVEL: "debug",
      OPS_ALARM_EMAIL: "ops@shop.example.co.th",
      RETAIN_TABLES: "false",
      AUDIT_CREATED_AT_FORMAT: "iso-8601",
    });

    expect(settings.config.orderTableName).toBe("order-table-master");
    expect(settings.config.calculateCostFunction).toBe(
      "arn:aws:lambda:ap-southeast-1:123456789012:function:calculate-cost-3-master",
    );
    expect(settings.config.senderEmail).toBe("no-reply@shop.example.co.th");
    expect(settings.config.auditCreatedAtFormat).toBe("iso-8601");
    expect(settings).toMatchObject({
      archiveRetentionDays: 0,
      logLevel: "DEBUG",
      opsAlarmEmail: "ops@shop.example.co.th",
      retainTables: false,
    });
  });

  it("ignores the function-level variables of the shell, so a local EVENT_BUS_NAME cannot leak into a deploy", () => {
    const settings = readDeploySettings("test", "ap-southeast-1", {
      EVENT_BUS_NAME: "my-local-bus",
      AWS_ENDPOINT_URL: "http://127.0.0.1:4566",
      ALLOW_UNALERTED_STAGE: "true",
    });

    expect(settings.config.eventBusName).toBe("payment3-test");
    expect(settings.config.awsEndpointUrl).toBeUndefined();
  });

  it.each([
    ["feature/x", {}, "BRANCH"],
    ["test", { ARCHIVE_RETENTION_DAYS: "thirty" }, "ARCHIVE_RETENTION_DAYS"],
    ["test", { ARCHIVE_RETENTION_DAYS: "-1" }, "ARCHIVE_RETENTION_DAYS"],
    ["test", { LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    ["test", { SENDER_EMAIL: "payments" }, "SENDER_EMAIL"],
    ["test", { OPS_ALARM_EMAIL: "ops" }, "OPS_ALARM_EMAIL"],
    ["test", { RETAIN_TABLES: "yes" }, "RETAIN_TABLES"],
    ["test", { ALLOW_UNALERTED_STAGE: "yes" }, "ALLOW_UNALERTED_STAGE"],
    ["test", { OPS_ALARM_TOPIC_ARN: "ops-alarms" }, "OPS_ALARM_TOPIC_ARN"],
    ["test", { ORDER_TABLE_NAME: " " }, "ORDER_TABLE_NAME"],
    ["test", { AUDIT_CREATED_AT_FORMAT: "unix" }, "AUDIT_CREATED_AT_FORMAT"],
  ])("refuses stage %s with %o, naming %s", (stage, env, variable) => {
    const read = () => readDeploySettings(stage, "ap-southeast-1", env);

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${variable} `));
  });

  describe("a stage other than dev", () => {
    const REAL = { SENDER_EMAIL: "no-reply@shop.example.co.th", OPS_ALARM_EMAIL: "ops@shop.example.co.th" };

    it("refuses prod without a sender and an alarm destination, naming each setting and the opt-out", () => {
      const read = () => readDeploySettings("prod", "ap-southeast-1", {});

      expect(read).toThrow(ConfigError);
      expect(read).toThrow(
        /^SENDER_EMAIL must be the stage's verified SES sender, got the placeholder "payments@payment3\.example"; OPS_ALARM_EMAIL .*OPS_ALARM_TOPIC_ARN/,
      );
      expect(read).toThrow(/stage "prod".*ALLOW_UNALERTED_STAGE=true/);
    });

    it("refuses prod with the .example placeholder sender, naming SENDER_EMAIL only", () => {
      const read = () => readDeploySettings("prod", "ap-southeast-1", { OPS_ALARM_EMAIL: REAL.OPS_ALARM_EMAIL });

      expect(read).toThrow(/^SENDER_EMAIL /);
      expect(read).not.toThrow(/OPS_ALARM_EMAIL/);
    });

    it("refuses prod with a real sender but no alarm destination, naming OPS_ALARM_EMAIL and OPS_ALARM_TOPIC_ARN", () => {
      const read = () => readDeploySettings("prod", "ap-southeast-1", { SENDER_EMAIL: REAL.SENDER_EMAIL });

      expect(read).toThrow(/^OPS_ALARM_EMAIL \(an address\) or OPS_ALARM_TOPIC_ARN/);
      expect(read).not.toThrow(/SENDER_EMAIL/);
    });

    it("accepts prod with a real sender and either alarm destination", () => {
      const topicArn = "arn:aws:sns:ap-southeast-1:123456789012:on-call";

      expect(readDeploySettings("prod", "ap-southeast-1", REAL).opsAlarmEmail).toBe(REAL.OPS_ALARM_EMAIL);
      expect(
        readDeploySettings("prod", "ap-southeast-1", { SENDER_EMAIL: REAL.SENDER_EMAIL, OPS_ALARM_TOPIC_ARN: topicArn })
          .opsAlarmTopicArn,
      ).toBe(topicArn);
    });

    it("lets dev, and a stage deployed with ALLOW_UNALERTED_STAGE=true, go without them", () => {
      expect(readDeploySettings("dev", "ap-southeast-1", {}).config.senderEmail).toBe("payments@payment3.example");
      expect(
        readDeploySettings("pr-42", "ap-southeast-1", { ALLOW_UNALERTED_STAGE: "true" }).opsAlarmEmail,
      ).toBeUndefined();
      expect(() => readDeploySettings("pr-42", "ap-southeast-1", { ALLOW_UNALERTED_STAGE: "false" })).toThrow(
        /^SENDER_EMAIL /,
      );
    });
  });
});
