import { TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start() {
  const harness = await startEventBridgeHarness();
  harnesses.push(harness);
  return harness;
}

const EVENT = {
  id: "e-1",
  account: "000000000000",
  source: "orders",
  time: "2026-01-01T00:00:00Z",
  region: "ap-southeast-1",
  resources: [],
  "detail-type": "OrderPlaced",
  detail: { amount: 300 },
};

describe("TestEventPattern", () => {
  it.each([
    [{ source: ["orders"], detail: { amount: [{ numeric: [">", 100] }] } }, true],
    [{ source: ["payments"] }, false],
  ])("answers whether %j matches", async (pattern, expected) => {
    // Prepare
    const { client } = await start();

    // Act
    const response = await client.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: JSON.stringify(EVENT) }),
    );

    // Assert
    expect(response.Result).toBe(expected);
  });

  it("accepts an event without resources", async () => {
    // Prepare
    const { client } = await start();
    const { resources: _resources, ...withoutResources } = EVENT;

    // Act
    const response = await client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ["orders"] }),
        Event: JSON.stringify(withoutResources),
      }),
    );

    // Assert
    expect(response.Result).toBe(true);
  });

  it.each([
    ["not JSON", "{oops"],
    ["a JSON array", "[]"],
    ["an event without detail-type", JSON.stringify({ ...EVENT, "detail-type": undefined })],
  ])("rejects an Event that is %s with AWS's ValidationException", async (_, event) => {
    // Prepare
    const { client } = await start();

    // Act
    const testing = client.send(
      new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: ["orders"] }), Event: event }),
    );

    // Assert
    await expect(testing).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
      message: "Parameter Event is not valid.",
    });
  });

  it("rejects an invalid pattern with InvalidEventPatternException and the pattern engine's reason", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const testing = client.send(new TestEventPatternCommand({ EventPattern: "[1, 2]", Event: JSON.stringify(EVENT) }));

    // Assert
    await expect(testing).rejects.toMatchObject({
      name: "InvalidEventPatternException",
      $metadata: { httpStatusCode: 400 },
      message:
        'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"[1, 2]"; line: 1, column: 2]',
    });
  });

  it("rejects a pattern over 4096 characters with a ValidationException", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const testing = client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify({ source: ["x".repeat(4096)] }),
        Event: JSON.stringify(EVENT),
      }),
    );

    // Assert
    await expect(testing).rejects.toMatchObject({
      name: "ValidationException",
      message: expect.stringMatching(/Member must have length less than or equal to 4096$/),
    });
  });
});
