import {
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import {
  recordingInvoker,
  rejectionOf,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from "./eventbridge-test-harness";

const RECORDER_ARN = "arn:aws:lambda:ap-southeast-1:000000000000:function:recorder";
const ORDERS_PATTERN = JSON.stringify({ source: ["orders"] });

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start() {
  const recorder = recordingInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: recorder.invoker });
  harnesses.push(harness);
  return { ...harness, recorder };
}

function target(id: string, extra: Partial<Target> = {}): Target {
  return { Id: id, Arn: RECORDER_ARN, ...extra };
}

describe("PutRule, DescribeRule, ListRules", () => {
  it("returns rule/<name> ARNs on the default bus and rule/<bus>/<name> on a custom bus", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: "orders-bus" }));

    // Act
    const onDefault = await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    const onCustom = await client.send(
      new PutRuleCommand({ Name: "r1", EventBusName: "orders-bus", EventPattern: ORDERS_PATTERN }),
    );

    // Assert
    expect(onDefault.RuleArn).toBe("arn:aws:events:ap-southeast-1:000000000000:rule/r1");
    expect(onCustom.RuleArn).toBe("arn:aws:events:ap-southeast-1:000000000000:rule/orders-bus/r1");
  });

  it("describes a rule with the fields AWS returns", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN, Description: "all orders" }));

    // Act
    const rule = await client.send(new DescribeRuleCommand({ Name: "r1" }));

    // Assert
    expect(rule).toMatchObject({
      Name: "r1",
      Arn: "arn:aws:events:ap-southeast-1:000000000000:rule/r1",
      EventPattern: ORDERS_PATTERN,
      State: "ENABLED",
      Description: "all orders",
      EventBusName: "default",
      CreatedBy: "000000000000",
    });
  });

  it("lists rules of one bus by name prefix, in pages", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: "other" }));
    for (const name of ["orders-c", "orders-a", "orders-b", "payments"]) {
      await client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS_PATTERN }));
    }
    await client.send(new PutRuleCommand({ Name: "orders-z", EventBusName: "other", EventPattern: ORDERS_PATTERN }));

    // Act
    const first = await client.send(new ListRulesCommand({ NamePrefix: "orders-", Limit: 2 }));
    const second = await client.send(
      new ListRulesCommand({ NamePrefix: "orders-", Limit: 2, NextToken: first.NextToken }),
    );
    const other = await client.send(new ListRulesCommand({ EventBusName: "other" }));

    // Assert
    expect(first.Rules?.map((rule) => rule.Name)).toEqual(["orders-a", "orders-b"]);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(second.Rules?.map((rule) => rule.Name)).toEqual(["orders-c"]);
    expect(second.NextToken).toBeUndefined();
    expect(other.Rules?.map((rule) => [rule.Name, rule.EventBusName])).toEqual([["orders-z", "other"]]);
  });

  it("keeps a rule's targets when PutRule updates it", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1")] }));

    // Act
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: JSON.stringify({ source: ["payments"] }) }));
    const targets = await client.send(new ListTargetsByRuleCommand({ Rule: "r1" }));
    const rule = await client.send(new DescribeRuleCommand({ Name: "r1" }));

    // Assert
    expect(targets.Targets?.map((entry) => entry.Id)).toEqual(["t1"]);
    expect(rule.EventPattern).toBe(JSON.stringify({ source: ["payments"] }));
  });

  it.each([
    ["a name with a space", "bad name", "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"],
    ["a 65-character name", "x".repeat(65), "Member must have length less than or equal to 64"],
  ])("rejects %s with a ValidationException", async (_, name, constraint) => {
    // Prepare
    const { client } = await start();

    // Act
    const putting = client.send(new PutRuleCommand({ Name: name, EventPattern: ORDERS_PATTERN }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: ${constraint}`,
    });
  });

  it("rejects an invalid pattern with InvalidEventPatternException", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const putting = client.send(new PutRuleCommand({ Name: "r1", EventPattern: '"not an object"' }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      $metadata: { httpStatusCode: 400 },
      message:
        'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)""not an object""; line: 1, column: 16]',
    });
  });

  it("rejects a pattern over 4096 characters with a ValidationException", async () => {
    // Prepare
    const { client } = await start();
    const pattern = JSON.stringify({ source: ["x".repeat(4100)] });

    // Act
    const putting = client.send(new PutRuleCommand({ Name: "r1", EventPattern: pattern }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(
        /at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096$/,
      ),
    });
  });

  it("rejects a rule with neither EventPattern nor ScheduleExpression", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const putting = client.send(new PutRuleCommand({ Name: "r1" }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter(s) EventPattern or ScheduleExpression must be specified.",
    });
  });

  it("answers ResourceNotFoundException for a rule on a bus that does not exist, and for an unknown rule", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const [onMissingBus, missingRule] = await Promise.all([
      rejectionOf(client.send(new PutRuleCommand({ Name: "r1", EventBusName: "ghost", EventPattern: ORDERS_PATTERN }))),
      rejectionOf(client.send(new DescribeRuleCommand({ Name: "nope" }))),
    ]);

    // Assert
    expect(onMissingBus).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Event bus ghost does not exist.",
    });
    expect(missingRule).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Rule nope does not exist on EventBus default.",
    });
  });
});

describe("EnableRule, DisableRule", () => {
  it("stops delivering while a rule is disabled and resumes once enabled", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1")] }));
    const entry = { Source: "orders", DetailType: "OrderPlaced", Detail: "{}" };

    // Act
    await client.send(new DisableRuleCommand({ Name: "r1" }));
    const whileDisabled = await client.send(new DescribeRuleCommand({ Name: "r1" }));
    await client.send(new PutEventsCommand({ Entries: [entry] }));
    await bridge.whenIdle();
    const callsWhileDisabled = recorder.calls.length;
    await client.send(new EnableRuleCommand({ Name: "r1" }));
    await client.send(new PutEventsCommand({ Entries: [entry] }));
    await bridge.whenIdle();

    // Assert
    expect(whileDisabled.State).toBe("DISABLED");
    expect(callsWhileDisabled).toBe(0);
    expect(recorder.calls).toHaveLength(1);
  });

  it("answers ResourceNotFoundException for an unknown rule", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const [enabling, disabling] = await Promise.all([
      rejectionOf(client.send(new EnableRuleCommand({ Name: "nope" }))),
      rejectionOf(client.send(new DisableRuleCommand({ Name: "nope" }))),
    ]);

    // Assert
    expect(enabling).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Rule nope does not exist on EventBus default.",
    });
    expect(disabling).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Rule nope does not exist on EventBus default.",
    });
  });
});

describe("DeleteRule", () => {
  it("refuses to delete a rule with targets, then deletes it once they are removed", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1")] }));

    // Act
    const refused = client.send(new DeleteRuleCommand({ Name: "r1" }));
    await expect(refused).rejects.toMatchObject({
      name: "ValidationException",
      message: "Rule can't be deleted since it has targets.",
    });
    await client.send(new RemoveTargetsCommand({ Rule: "r1", Ids: ["t1"] }));
    await client.send(new DeleteRuleCommand({ Name: "r1" }));

    // Assert
    await expect(client.send(new DescribeRuleCommand({ Name: "r1" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("succeeds for a rule that does not exist but not for a bus that does not exist", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const missingRule = await client.send(new DeleteRuleCommand({ Name: "nope" }));
    const missingBus = client.send(new DeleteRuleCommand({ Name: "nope", EventBusName: "ghost" }));

    // Assert
    expect(missingRule.$metadata.httpStatusCode).toBe(200);
    await expect(missingBus).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      message: "Event bus ghost does not exist.",
    });
  });
});

describe("PutTargets, ListTargetsByRule, RemoveTargets", () => {
  it("stores targets with their input, retry and dead-letter settings and lists them in pages", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    const transformed = target("t2", {
      InputTransformer: { InputPathsMap: { order: "$.detail.orderId" }, InputTemplate: '{"order": <order>}' },
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 120 },
      DeadLetterConfig: { Arn: "arn:aws:sqs:ap-southeast-1:000000000000:dlq" },
    });

    // Act
    const put = await client.send(
      new PutTargetsCommand({
        Rule: "r1",
        Targets: [target("t1", { InputPath: "$.detail" }), transformed, target("t3")],
      }),
    );
    const first = await client.send(new ListTargetsByRuleCommand({ Rule: "r1", Limit: 2 }));
    const second = await client.send(
      new ListTargetsByRuleCommand({ Rule: "r1", Limit: 2, NextToken: first.NextToken }),
    );

    // Assert
    expect(put).toMatchObject({ FailedEntryCount: 0, FailedEntries: [] });
    expect(first.Targets).toEqual([target("t1", { InputPath: "$.detail" }), transformed]);
    expect(second.Targets).toEqual([target("t3")]);
  });

  it("replaces a target with the same Id", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1")] }));

    // Act
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1", { Input: '{"fixed":true}' })] }));
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "r1" }));

    // Assert
    expect(listed.Targets).toEqual([target("t1", { Input: '{"fixed":true}' })]);
  });

  it("reports an Id the rule does not have in FailedEntries and removes the others", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t1"), target("t2")] }));

    // Act
    const removed = await client.send(new RemoveTargetsCommand({ Rule: "r1", Ids: ["t1", "ghost"] }));
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "r1" }));

    // Assert
    expect(removed.FailedEntryCount).toBe(1);
    expect(removed.FailedEntries).toEqual([
      {
        TargetId: "ghost",
        ErrorCode: "ResourceNotFoundException",
        ErrorMessage: "Rule 'r1' does not have a target with the Id 'ghost'.",
      },
    ]);
    expect(listed.Targets?.map((entry) => entry.Id)).toEqual(["t2"]);
  });

  it("rejects more than 10 targets in one request", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));

    // Act
    const putting = client.send(
      new PutTargetsCommand({ Rule: "r1", Targets: Array.from({ length: 11 }, (_, i) => target(`t${i}`)) }),
    );

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(
        /at 'targets' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      ),
    });
  });

  it("rejects a sixth target on a rule with LimitExceededException and keeps the five", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));
    await client.send(
      new PutTargetsCommand({ Rule: "r1", Targets: Array.from({ length: 5 }, (_, i) => target(`t${i}`)) }),
    );

    // Act
    const putting = client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target("t5")] }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "LimitExceededException",
      message: "The requested resource exceeds the maximum number allowed.",
    });
    const listed = await client.send(new ListTargetsByRuleCommand({ Rule: "r1" }));
    expect(listed.Targets).toHaveLength(5);
  });

  it.each([
    ["!@#$@!#$", "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+"],
    ["x".repeat(65), "Member must have length less than or equal to 64"],
  ])("rejects target Id %s with AWS's validation message", async (id, constraint) => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));

    // Act
    const putting = client.send(new PutTargetsCommand({ Rule: "r1", Targets: [target(id)] }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: `1 validation error detected: Value '${id}' at 'targets.1.member.id' failed to satisfy constraint: ${constraint}`,
    });
  });

  it("rejects a malformed target ARN", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));

    // Act
    const putting = client.send(new PutTargetsCommand({ Rule: "r1", Targets: [{ Id: "t1", Arn: "not-an-arn" }] }));

    // Assert
    await expect(putting).rejects.toMatchObject({
      name: "ValidationException",
      message: "Parameter not-an-arn is not valid. Reason: Provided Arn is not in correct format.",
    });
  });

  it.each([
    [
      "Input and InputPath together",
      target("t1", { Input: "{}", InputPath: "$.detail" }),
      "Only one of Input, InputPath, or InputTransformer must be provided for target t1.",
    ],
    [
      "an undefined template placeholder",
      target("t1", { InputTransformer: { InputPathsMap: { a: "$.detail.a" }, InputTemplate: '"<a> <b>"' } }),
      "InputTemplate for target t1 contains invalid placeholder b.",
    ],
    [
      "Input that is not JSON",
      target("t1", { Input: "{oops" }),
      'Parameter Input of target t1 is not valid. Reason: Input must be valid JSON text, got "{oops".',
    ],
    [
      "MaximumRetryAttempts over 185",
      target("t1", { RetryPolicy: { MaximumRetryAttempts: 186 } }),
      "1 validation error detected: Value '186' at 'targets.1.member.retryPolicy.maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 185",
    ],
    [
      "MaximumEventAgeInSeconds under 60",
      target("t1", { RetryPolicy: { MaximumEventAgeInSeconds: 59 } }),
      "1 validation error detected: Value '59' at 'targets.1.member.retryPolicy.maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    ],
  ])("rejects %s", async (_, invalid, message) => {
    // Prepare
    const { client } = await start();
    await client.send(new PutRuleCommand({ Name: "r1", EventPattern: ORDERS_PATTERN }));

    // Act
    const putting = client.send(new PutTargetsCommand({ Rule: "r1", Targets: [invalid] }));

    // Assert
    await expect(putting).rejects.toMatchObject({ name: "ValidationException", message });
  });

  it("answers ResourceNotFoundException for targets of an unknown rule", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const errors = await Promise.all([
      rejectionOf(client.send(new PutTargetsCommand({ Rule: "nope", Targets: [target("t1")] }))),
      rejectionOf(client.send(new ListTargetsByRuleCommand({ Rule: "nope" }))),
      rejectionOf(client.send(new RemoveTargetsCommand({ Rule: "nope", Ids: ["t1"] }))),
    ]);

    // Assert
    for (const error of errors) {
      expect(error).toMatchObject({
        name: "ResourceNotFoundException",
        message: "Rule nope does not exist on EventBus default.",
      });
    }
  });
});
