import type { Context } from "aws-lambda";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { createLambdaContext } from "./lambda-context";

/** An in-process function as Lambda runs it: JSON in, JSON out; a throw is a FunctionError. */
export type LocalFunction = (payload: unknown, context: Context) => Promise<unknown> | unknown;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?(?:\?.*)?$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/** The function name from a name, partial ARN or full ARN (`...:function:NAME[:qualifier]`). */
export function functionNameOf(identifier: string): string {
  const decoded = decodeURIComponent(identifier);
  const match = /(?:^|:)function:([^:]+)/.exec(decoded);
  return match?.[1] ?? decoded.split(":")[0]!;
}

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for in-process
 * functions, so the unmodified LambdaClient reaches them. RequestResponse returns the
 * result; Event (async) answers 202 and runs the function in the background.
 */
export function createLambdaInvokeService(functions: ReadonlyMap<string, LocalFunction>): LocalService {
  return {
    name: "Lambda",
    canHandle: (req) => req.method === "POST" && INVOKE_PATH.test(req.url),
    async handle(req: LocalRequest) {
      const name = functionNameOf(INVOKE_PATH.exec(req.url)![1]!);
      const fn = functions.get(name);
      if (!fn) {
        return json(404, { Type: "User", message: `Function not found: arn:aws:lambda:local:000000000000:function:${name}` }, {
          "x-amzn-errortype": "ResourceNotFoundException",
        });
      }
      let payload: unknown;
      try {
        payload = req.body.length === 0 ? {} : JSON.parse(req.body.toString("utf8"));
      } catch {
        return json(400, { Type: "User", message: "Could not parse request body into json: the payload must be JSON" }, {
          "x-amzn-errortype": "InvalidRequestContentException",
        });
      }
      const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
      if (invocationType === "Event") {
        queueMicrotask(() => void Promise.resolve().then(() => fn(payload, createLambdaContext(name))).catch(() => undefined));
        return { status: 202, body: "" };
      }
      try {
        const result = await fn(payload, createLambdaContext(name));
        return json(200, result ?? null, { "x-amz-executed-version": "$LATEST" });
      } catch (error) {
        const err = error instanceof Error ? error : new Error(String(error));
        // Lambda answers 200 and flags the failure in a header; the SDK surfaces it as FunctionError.
        return json(200, { errorType: err.name, errorMessage: err.message, trace: [] }, {
          "x-amz-function-error": "Unhandled",
          "x-amz-executed-version": "$LATEST",
        });
      }
    },
  };
}
