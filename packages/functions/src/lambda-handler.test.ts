import { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import { describe, expect, it, vi } from "vitest";
import { lambdaHandler } from "./lambda-handler";

const context = {
  functionName: "payment3-test-fn",
  awsRequestId: "req-1",
  invokedFunctionArn: "arn:aws:lambda:ap-southeast-1:000000000000:function:payment3-test-fn",
  memoryLimitInMB: "256",
  functionVersion: "$LATEST",
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;

describe("lambdaHandler", () => {
  it("clears the previous invocation's keys, adds the context to the log lines and returns the body's result", async () => {
    // Prepare
    const logger = new Logger({ serviceName: "payment3-test" });
    logger.appendKeys({ orderId: "from-the-last-invocation" });
    const addContext = vi.spyOn(logger, "addContext");
    const handler = lambdaHandler({ logger, failureMessage: "not done" }, async (event) => ({
      echoed: event,
      keys: logger.getPersistentLogAttributes(),
    }));

    // Act
    const result = await handler({ id: "e1" }, context);

    // Assert
    expect(result.echoed).toEqual({ id: "e1" });
    expect(result.keys).not.toHaveProperty("orderId");
    expect(addContext).toHaveBeenCalledWith(context);
  });

  it("logs the failure once at ERROR with the given message and rethrows the same error", async () => {
    // Prepare
    const logger = new Logger({ serviceName: "payment3-test" });
    const logged = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    const failure = new Error("calculate-cost unreachable");
    const handler = lambdaHandler(
      { logger, failureMessage: "confirmation not processed; it will be retried or dead-lettered" },
      async () => {
        throw failure;
      },
    );

    // Act
    const run = handler({}, context);

    // Assert
    await expect(run).rejects.toBe(failure);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged).toHaveBeenCalledWith("confirmation not processed; it will be retried or dead-lettered", failure);
  });
});
