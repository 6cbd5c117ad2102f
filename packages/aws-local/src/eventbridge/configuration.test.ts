import {
  CreateEventBusCommand,
  DescribeRuleCommand,
  ListEventBusesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { recordingInvoker, startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";
import type { EventBridgeConfiguration } from "./local-event-bridge";

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

describe("exportConfiguration / importConfiguration", () => {
  it("round-trips buses, rules and targets through JSON and routes events with the recompiled patterns", async () => {
    // Prepare
    const source = await start();
    await source.client.send(new CreateEventBusCommand({ Name: "orders", Description: "order events" }));
    await source.client.send(
      new PutRuleCommand({
        Name: "big",
        EventBusName: "orders",
        EventPattern: JSON.stringify({ detail: { amount: [{ numeric: [">", 100] }] } }),
        State: "DISABLED",
      }),
    );
    await source.client.send(
      new PutRuleCommand({ Name: "all", EventBusName: "orders", EventPattern: JSON.stringify({ source: ["orders"] }) }),
    );
    await source.client.send(
      new PutTargetsCommand({
        Rule: "all",
        EventBusName: "orders",
        Targets: [
          {
            Id: "t",
            Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:f",
            InputPath: "$.detail",
            RetryPolicy: { MaximumRetryAttempts: 4 },
          },
        ],
      }),
    );
    const copy = await start();
    let changes = 0;
    copy.bridge.onConfigurationChanged(() => (changes += 1));

    // Act
    const exported = JSON.parse(JSON.stringify(source.bridge.exportConfiguration())) as EventBridgeConfiguration;
    copy.bridge.importConfiguration(exported);
    await copy.client.send(
      new PutEventsCommand({
        Entries: [{ EventBusName: "orders", Source: "orders", DetailType: "OrderPlaced", Detail: '{"amount": 500}' }],
      }),
    );
    await copy.bridge.whenIdle();

    // Assert
    const buses = await copy.client.send(new ListEventBusesCommand({}));
    expect(buses.EventBuses?.map((bus) => [bus.Name, bus.Description])).toEqual([
      ["default", undefined],
      ["orders", "order events"],
    ]);
    const big = await copy.client.send(new DescribeRuleCommand({ Name: "big", EventBusName: "orders" }));
    expect(big.State).toBe("DISABLED");
    const targets = await copy.client.send(new ListTargetsByRuleCommand({ Rule: "all", EventBusName: "orders" }));
    expect(targets.Targets?.[0]).toMatchObject({
      Id: "t",
      InputPath: "$.detail",
      RetryPolicy: { MaximumRetryAttempts: 4 },
    });
    expect(copy.recorder.calls.map((call) => call.input)).toEqual([{ amount: 500 }]);
    expect(changes).toBe(1);
  });

  it("keeps the current configuration when the imported one has an invalid pattern", async () => {
    // Prepare
    const { bridge, client } = await start();
    await client.send(new PutRuleCommand({ Name: "kept", EventPattern: JSON.stringify({ source: ["orders"] }) }));
    const broken: EventBridgeConfiguration = {
      formatVersion: 1,
      eventBuses: [],
      rules: [
        {
          name: "broken",
          eventBusName: "default",
          eventPattern: '{"source": "not-a-list"',
          state: "ENABLED",
          targets: [],
        },
      ],
    };

    // Act
    const importing = () => bridge.importConfiguration(broken);

    // Assert
    expect(importing).toThrow(/Event pattern is not valid/);
    const kept = await client.send(new DescribeRuleCommand({ Name: "kept" }));
    expect(kept.Name).toBe("kept");
  });
});
