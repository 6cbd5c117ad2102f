import {
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  LambdaClient,
  PutFunctionEventInvokeConfigCommand,
} from "@aws-sdk/client-lambda";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import { LocalAsyncInvocations } from "./async-invocations";

let stack: AwsLocal;
let lambda: LambdaClient;
const warnings: string[] = [];
const runs = new Map<string, unknown[]>();
const DESTINATION = "arn:aws:sqs:eu-west-1:000000000000:orders-on-failure";
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** A function that records each payload and throws for the first `failures` runs. */
function failingFunction(name: string, failures: number) {
  runs.set(name, []);
  stack.functions.set(name, (payload) => {
    const calls = runs.get(name)!;
    calls.push(payload);
    if (calls.length <= failures)
      throw Object.assign(new Error(`${name} refused run ${calls.length}`), { name: "RefusedError" });
    return { ok: true };
  });
}

beforeAll(async () => {
  stack = await startAwsLocal({
    region: "eu-west-1",
    lambdaAsync: { retryDelaysMs: [10, 20], logger: { warn: (message) => warnings.push(message) } },
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

describe("InvocationType Event on the local endpoint", () => {
  it("answers 202 at once and retries a failing function twice by default, as Lambda does", async () => {
    // Prepare
    failingFunction("flaky", 2);

    // Act
    const answer = await lambda.send(
      new InvokeCommand({ FunctionName: "flaky", InvocationType: "Event", Payload: encode({ orderId: "1" }) }),
    );
    await stack.lambdaAsync.whenIdle();

    // Assert
    expect(answer.StatusCode).toBe(202);
    expect(runs.get("flaky")).toEqual([{ orderId: "1" }, { orderId: "1" }, { orderId: "1" }]);
    expect(stack.lambdaAsync.listFailures({ functionName: "flaky" })).toEqual([]);
  });

  it("with MaximumRetryAttempts 0 and an on-failure destination, runs once and keeps the payload and the error there", async () => {
    // Prepare
    failingFunction("strict", Number.POSITIVE_INFINITY);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: "strict",
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: DESTINATION } },
      }),
    );

    // Act
    await lambda.send(
      new InvokeCommand({ FunctionName: "strict", InvocationType: "Event", Payload: encode('{"orderId":"2"}') }),
    );
    await stack.lambdaAsync.whenIdle();

    // Assert
    expect(runs.get("strict")).toHaveLength(1);
    const failures = stack.lambdaAsync.listFailures({ destination: DESTINATION });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      functionName: "strict",
      destination: DESTINATION,
      record: {
        requestContext: {
          functionArn: "arn:aws:lambda:eu-west-1:000000000000:function:strict:$LATEST",
          condition: "RetriesExhausted",
          approximateInvokeCount: 1,
        },
        requestPayload: '{"orderId":"2"}',
        responsePayload: { errorType: "RefusedError", errorMessage: "strict refused run 1" },
      },
    });
  });

  it("discards a failure with no on-failure destination, saying so in the log, as Lambda does", async () => {
    // Prepare
    failingFunction("careless", Number.POSITIVE_INFINITY);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "careless", MaximumRetryAttempts: 1 }));

    // Act
    await lambda.send(
      new InvokeCommand({ FunctionName: "careless", InvocationType: "Event", Payload: encode({ orderId: "3" }) }),
    );
    await stack.lambdaAsync.whenIdle();

    // Assert
    expect(runs.get("careless")).toHaveLength(2);
    expect(stack.lambdaAsync.listFailures({ functionName: "careless" })).toEqual([]);
    expect(
      warnings.some((warning) =>
        warning.includes("careless failed after 2 attempt(s) and is discarded (no on-failure destination)"),
      ),
    ).toBe(true);
  });
});

describe("event-invoke config on the local endpoint", () => {
  it("answers GetFunctionEventInvokeConfig with what was put", async () => {
    // Prepare
    failingFunction("configured", 0);
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: "configured",
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 600,
        DestinationConfig: { OnFailure: { Destination: DESTINATION } },
      }),
    );

    // Act
    const config = await lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "configured" }));

    // Assert
    expect(config).toMatchObject({
      FunctionArn: "arn:aws:lambda:eu-west-1:000000000000:function:configured:$LATEST",
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnFailure: { Destination: DESTINATION } },
    });
    expect(config.LastModified).toBeInstanceOf(Date);
  });

  it("refuses MaximumRetryAttempts above Lambda's 2, and a function that does not exist", async () => {
    // Prepare
    failingFunction("bounded", 0);

    // Act
    const tooMany = await lambda
      .send(new PutFunctionEventInvokeConfigCommand({ FunctionName: "bounded", MaximumRetryAttempts: 3 }))
      .catch((caught: unknown) => caught);
    const missing = await lambda
      .send(new GetFunctionEventInvokeConfigCommand({ FunctionName: "nowhere" }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(tooMany).toMatchObject({
      name: "InvalidParameterValueException",
      message: "MaximumRetryAttempts must be 0, 1 or 2, got 3",
    });
    expect(missing).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:nowhere",
    });
  });
});

describe("kept failures in a data file", () => {
  it("are listed again by the next run on the same file, and a removal is kept too", async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), "aws-local-async-"));
    const failuresFile = join(directory, "lambda", "async-failures.json");
    const functions = new Map([
      [
        "broken",
        () => {
          throw new Error("broken for good");
        },
      ],
    ]);
    try {
      const first = new LocalAsyncInvocations(functions, { failuresFile });
      first.putEventInvokeConfig("broken", { maximumRetryAttempts: 0, onFailureDestination: DESTINATION });
      first.invoke("broken", { orderId: "5" });
      first.invoke("broken", { orderId: "6" });
      await first.whenIdle();
      await first.close();

      // Act
      const second = new LocalAsyncInvocations(functions, { failuresFile });
      const kept = second.listFailures().map((failure) => failure.record.requestPayload);
      second.removeFailure(second.listFailures()[0]!.id);
      const third = new LocalAsyncInvocations(functions, { failuresFile });

      // Assert
      expect(kept).toEqual([{ orderId: "5" }, { orderId: "6" }]);
      expect(third.listFailures().map((failure) => failure.record.requestPayload)).toEqual([{ orderId: "6" }]);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("tells run listeners of every run once it ended, retries included, with what it threw", async () => {
    // Prepare
    let runs = 0;
    const functions = new Map([
      [
        "second-time-lucky",
        () => {
          runs += 1;
          if (runs === 1) throw new Error("first run fails");
          return { ok: true };
        },
      ],
    ]);
    const invocations = new LocalAsyncInvocations(functions, { retryDelaysMs: [1] });
    const heard: [number, string | undefined, unknown][] = [];
    const stop = invocations.onRunEnded((run) => heard.push([run.attempt, run.error?.message, run.payload]));

    // Act
    invocations.invoke("second-time-lucky", { orderId: "7" });
    await invocations.whenIdle();
    stop();
    invocations.invoke("second-time-lucky", { orderId: "8" });
    await invocations.whenIdle();
    await invocations.close();

    // Assert
    expect(heard).toEqual([
      [1, "first run fails", { orderId: "7" }],
      [2, undefined, { orderId: "7" }],
    ]);
  });
});
