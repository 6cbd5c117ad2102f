import { ConfigError, defaultResourceNames } from "@payment3/core";
import { describe, expect, it } from "vitest";
import { readDeploySettings } from "./deploy-settings";

describe("readDeploySettings", () => {
  it("defaults every name to the config module's defaults for the stage", () => {
    const settings = readDeploySettings("test", "ap-southeast-1", {});

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
    ["test", { ORDER_TABLE_NAME: " " }, "ORDER_TABLE_NAME"],
    ["test", { AUDIT_CREATED_AT_FORMAT: "unix" }, "AUDIT_CREATED_AT_FORMAT"],
  ])("refuses stage %s with %o, naming %s", (stage, env, variable) => {
    const read = () => readDeploySettings(stage, "ap-southeast-1", env);

    expect(read).toThrow(ConfigError);
    expect(read).toThrow(new RegExp(`^${variable} `));
  });
});
