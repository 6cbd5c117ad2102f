import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand } from "@aws-sdk/client-eventbridge";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "./local-stack";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({ region: "eu-central-1" });
});
afterAll(async () => {
  await stack?.close();
});

describe("the local stack's ARNs", () => {
  it("name the configured region for buses, rules and topics", async () => {
    // Prepare
    const events = new EventBridgeClient({ endpoint: stack.url, region: "eu-central-1", credentials, maxAttempts: 1 });
    const sns = new SNSClient({ endpoint: stack.url, region: "eu-central-1", credentials, maxAttempts: 1 });

    // Act
    const bus = await events.send(new CreateEventBusCommand({ Name: "region-check" }));
    const rule = await events.send(
      new PutRuleCommand({ Name: "r", EventBusName: "region-check", EventPattern: '{"source":["x"]}' }),
    );
    const topic = await sns.send(new CreateTopicCommand({ Name: "region-check" }));
    events.destroy();
    sns.destroy();

    // Assert
    expect(bus.EventBusArn).toBe("arn:aws:events:eu-central-1:000000000000:event-bus/region-check");
    expect(rule.RuleArn).toBe("arn:aws:events:eu-central-1:000000000000:rule/region-check/r");
    expect(topic.TopicArn).toBe("arn:aws:sns:eu-central-1:000000000000:region-check");
    expect(stack.eventBridge.eventBusArn("default")).toBe("arn:aws:events:eu-central-1:000000000000:event-bus/default");
  });
});
