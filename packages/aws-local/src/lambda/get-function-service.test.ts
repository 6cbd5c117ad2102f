import { GetFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";

let stack: AwsLocal;
let lambda: LambdaClient;

beforeAll(async () => {
  stack = await startAwsLocal({ region: "eu-west-1" });
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

describe("GetFunction on the local endpoint", () => {
  it("answers a function's name, ARN, description and tags as registered", async () => {
    // Prepare
    stack.functions.set("described", () => null);
    stack.functionInfo.set("described", { description: "does things", tags: { team: "payments" } });

    // Act
    const answer = await lambda.send(new GetFunctionCommand({ FunctionName: "described" }));

    // Assert
    expect(answer.Configuration).toMatchObject({
      FunctionName: "described",
      FunctionArn: "arn:aws:lambda:eu-west-1:000000000000:function:described",
      Description: "does things",
      State: "Active",
    });
    expect(answer.Tags).toEqual({ team: "payments" });
  });

  it("answers ResourceNotFoundException for a function that does not exist", async () => {
    // Act
    const error = await lambda
      .send(new GetFunctionCommand({ FunctionName: "absent" }))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Function not found: arn:aws:lambda:eu-west-1:000000000000:function:absent",
    });
  });
});
