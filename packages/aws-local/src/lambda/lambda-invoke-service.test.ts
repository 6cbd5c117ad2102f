import { Logger } from "@aws-lambda-powertools/logger";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import { LOG_TAIL_BYTES } from "./function-log-tail";

let stack: AwsLocal;
let lambda: LambdaClient;
const runs: unknown[] = [];
// Functions log through Powertools, which writes to process.stdout as on Lambda (vitest replaces `console`).
const logger = new Logger({ serviceName: "invoke-test", logLevel: "INFO" });
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

beforeAll(async () => {
  stack = await startAwsLocal({ region: "eu-west-1" });
  stack.functions.set("recorder", (payload, context) => {
    runs.push(payload);
    logger.info(`recorder ran for ${JSON.stringify(payload)} as ${context.invokedFunctionArn}`);
    return { ok: true };
  });
  stack.functions.set("chatty", () => {
    for (let line = 1; line <= 200; line += 1) logger.info(`chatty line ${line} ${"x".repeat(40)}`);
    throw new Error("chatty failed at the end");
  });
  lambda = new LambdaClient({
    endpoint: stack.url,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  lambda?.destroy();
  await stack?.close();
});

/** Runs `run` without printing what the functions log (the tail still captures it). */
async function quietly<T>(run: () => Promise<T>): Promise<T> {
  const original = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await run();
  } finally {
    process.stdout.write = original;
  }
}

describe("Lambda Invoke on the local endpoint", () => {
  it("answers InvocationType DryRun with 204 and runs nothing", async () => {
    // Prepare
    runs.length = 0;

    // Act
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: "recorder", InvocationType: "DryRun", Payload: encode({ orderId: "1" }) }),
    );

    // Assert
    expect(answer.StatusCode).toBe(204);
    expect(runs).toEqual([]);
  });

  it("returns the base64 of the invocation's log in LogResult with LogType Tail, framed as Lambda frames it", async () => {
    // Act
    const answer = await quietly(() =>
      lambda.send(new InvokeCommand({ FunctionName: "recorder", LogType: "Tail", Payload: encode({ orderId: "2" }) })),
    );

    // Assert
    const log = Buffer.from(answer.LogResult ?? "", "base64").toString("utf8");
    expect(log).toMatch(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST\n/);
    expect(log).toContain(
      'recorder ran for {\\"orderId\\":\\"2\\"} as arn:aws:lambda:eu-west-1:000000000000:function:recorder',
    );
    expect(log).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [0-9a-f-]{36}\tDuration: [\d.]+ ms/);
  });

  it("keeps only the last 4 KB of a long log, the function's error included", async () => {
    // Act
    const answer = await quietly(() => lambda.send(new InvokeCommand({ FunctionName: "chatty", LogType: "Tail" })));

    // Assert
    const log = Buffer.from(answer.LogResult ?? "", "base64");
    expect(answer.FunctionError).toBe("Unhandled");
    expect(log.length).toBe(LOG_TAIL_BYTES);
    expect(log.toString("utf8")).toContain("chatty line 200 x");
    expect(log.toString("utf8")).not.toContain("chatty line 1 x");
  });

  it("returns no LogResult without LogType Tail", async () => {
    // Act
    const answer = await quietly(() =>
      lambda.send(new InvokeCommand({ FunctionName: "recorder", Payload: encode({ orderId: "3" }) })),
    );

    // Assert
    expect(answer.StatusCode).toBe(200);
    expect(answer.LogResult).toBeUndefined();
  });

  it("names the configured region in the ARN of a function that does not exist", async () => {
    // Act
    const error = await lambda
      .send(new InvokeCommand({ FunctionName: "missing", InvocationType: "DryRun" }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:missing",
    });
  });
});
