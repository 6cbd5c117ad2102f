import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "../local-account";

/** The ARN Lambda would give a function of this name in the local account. */
export function localFunctionArn(functionName: string, region = DEFAULT_LOCAL_REGION): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName}`;
}

/**
 * A Lambda-like invocation context for an in-process handler: a fresh request id, the
 * function's ARN, and a deadline so `getRemainingTimeInMillis` counts down as on Lambda.
 */
export function createLambdaContext(
  functionName: string,
  options: { timeoutMs?: number; region?: string; memoryMb?: number } = {},
): Context {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const unsupported = () => {
    throw new Error("the callback-style done/fail/succeed API is not supported; return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: localFunctionArn(functionName, options.region),
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
