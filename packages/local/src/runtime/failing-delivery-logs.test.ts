import { PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  CALCULATE_COST_FUNCTION_NAME,
  createAwsClients,
  createEventBridgePublisher,
  publishWalletPaymentConfirmed,
} from "@payment3/core";
import { functionAsyncInvokeSettings, SUBSCRIPTIONS } from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "./local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "./provision";
import { captureProcessOutput } from "../testing/captured-output";
import { createLocalFunctionLogger } from "@payment3/aws-local";

let stack: LocalStack;
const warnings: string[] = [];
const printed: string[] = [];
const config = () => localConfig(stack, { BRANCH: "floodcheck" });
const processor = SUBSCRIPTIONS.find((subscription) => subscription.name === "processor")!;

const capture = (run: () => Promise<void>) => captureProcessOutput(printed, run);

beforeAll(async () => {
  stack = await startLocalStack({
    eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 5, logger: { warn: (message) => warnings.push(message) } },
    lambdaAsync: { retryDelaysMs: [1, 2] },
  });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), [processor], createLocalFunctionLogger("payment3-local", "WARN"));
  const { documentClient } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });
  await documentClient.send(
    new PutCommand({
      TableName: config().orderTableName,
      Item: { orderId: "7000001", items: [{ name: "Tea", quantity: 2, unitPrice: 150 }] },
    }),
  );
});

afterAll(async () => {
  await stack?.close();
});

describe("a delivery that fails every attempt", () => {
  it("prints one short line per attempt (rule, target, attempt n of m, order, error) and the full error once, when Lambda gives up", async () => {
    // Prepare: calculate-cost always throws an error with a cause, so every processor attempt fails.
    stack.functions.set(CALCULATE_COST_FUNCTION_NAME, () => {
      throw new Error("pricing database unreachable", { cause: new Error("connect ECONNREFUSED 10.0.0.7:5432") });
    });
    const { ruleName } = subscriptionResourceNames(config(), processor);
    // A function error: the attempts are Lambda's, 1 + the function's retries (not the rule target's RetryPolicy).
    const attempts = functionAsyncInvokeSettings(processor).maximumRetryAttempts + 1;
    const { eventBridge } = createAwsClients({ region: "ap-southeast-1", endpoint: stack.url });

    // Act
    await capture(async () => {
      await publishWalletPaymentConfirmed(
        { orderId: "7000001", paymentId: "pay_flood", success: true, amount: 300 },
        { publisher: createEventBridgePublisher({ client: eventBridge }), eventBusName: config().eventBusName },
      );
      await stack.eventBridge.whenIdle();
    });

    // Assert
    const attemptLines = warnings.filter((line) => line.startsWith("Delivery attempt"));
    expect(attemptLines).toHaveLength(attempts);
    attemptLines.forEach((line, index) => {
      expect(line.length, line).toBeLessThan(600);
      expect(line).toContain(
        `Delivery attempt ${index + 1} of ${attempts} failed: rule ${ruleName}, target processor,`,
      );
      expect(line).toContain("order 7000001");
      expect(line).toContain("calculate-cost");
      expect(line).not.toContain("\n");
    });
    const deadLetterLines = warnings.filter((line) => line.includes("Kept as on-failure record"));
    expect(deadLetterLines).toHaveLength(1);
    expect(deadLetterLines[0]).toMatch(/\n\s+at /);
    const everything = [...warnings, ...printed].join("\n");
    expect(everything.match(/\n\s+at /g)?.length, "stack frames outside the dead-letter line").toBe(
      deadLetterLines[0]!.match(/\n\s+at /g)?.length,
    );
    const functionLines = printed
      .join("")
      .split("\n")
      .filter((line) => line.startsWith("{"));
    expect(functionLines.length).toBeGreaterThanOrEqual(attempts);
    for (const line of functionLines) {
      expect(line.length, line).toBeLessThan(1500);
      expect(line).not.toContain('"stack"');
    }
    expect(everything.length).toBeLessThan(30_000);
  });
});
