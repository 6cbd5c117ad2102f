import { InvalidEventPatternException, TestEventPatternCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conformanceCases, invalidPatternCases } from "../event-pattern/conformance-cases";
import { startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";

let harness: EventBridgeHarness;

beforeAll(async () => {
  harness = await startEventBridgeHarness();
});
afterAll(async () => {
  await harness?.close();
});

/** The conformance suite, through TestEventPattern over HTTP with the unmodified SDK client. */
describe("TestEventPattern conformance (EventBridge user guide, AWS-recorded cases)", () => {
  it.each(conformanceCases.map((c) => [`${c.name} [${c.source}]`, c] as const))("%s", async (_name, testCase) => {
    const { Result } = await harness.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify(testCase.pattern),
        Event: JSON.stringify(testCase.event),
      }),
    );

    expect(Result).toBe(testCase.expected);
  });

  it.each(invalidPatternCases.map((c) => [`${c.name} [${c.source}]`, c] as const))(
    "rejects %s",
    async (_name, testCase) => {
      const pattern = typeof testCase.pattern === "string" ? testCase.pattern : JSON.stringify(testCase.pattern);
      const event = JSON.stringify(conformanceCases[0]!.event);

      const attempt = harness.client.send(new TestEventPatternCommand({ EventPattern: pattern, Event: event }));

      await expect(attempt).rejects.toBeInstanceOf(InvalidEventPatternException);
      await expect(attempt).rejects.toThrow(/^Event pattern is not valid\. Reason: /);
      if (testCase.reasonIncludes) await expect(attempt).rejects.toThrow(testCase.reasonIncludes);
    },
  );
});
