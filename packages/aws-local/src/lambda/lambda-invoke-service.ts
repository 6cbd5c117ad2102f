import type { Context } from "aws-lambda";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { credentialScopeOf } from "../http/signing-service";
import { captureFunctionOutput, logResultHeader } from "./function-log-tail";
import { createLambdaContext, localFunctionArn } from "./lambda-context";
import { DEFAULT_LOCAL_REGION } from "../local-account";
import { AsyncInvokeRejectedError, LocalAsyncInvocations } from "./async-invocations";

/** An in-process function as Lambda runs it: JSON in, JSON out; a throw is a FunctionError. */
export type LocalFunction = (payload: unknown, context: Context) => Promise<unknown> | unknown;

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?(?:\?.*)?$/;
const INVOCATION_TYPES = ["RequestResponse", "Event", "DryRun"] as const;

function json(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

function userError(status: number, type: string, message: string): LocalResponse {
  return json(status, { Type: "User", message }, { "x-amzn-errortype": type });
}

/** The function name from a name, partial ARN or full ARN (`...:function:NAME[:qualifier]`). */
export function functionNameOf(identifier: string): string {
  const decoded = decodeURIComponent(identifier);
  const match = /(?:^|:)function:([^:]+)/.exec(decoded);
  return match?.[1] ?? decoded.split(":")[0]!;
}

export interface LambdaInvokeOptions {
  /** Region of function ARNs when the request is not SigV4-signed. Default `ap-southeast-1`. */
  readonly region?: string;
  /**
   * Where `InvocationType: Event` invocations queue, retry and record their failures (shared
   * with the event-invoke-config API). Default: one of its own, with Lambda's default settings.
   */
  readonly asyncInvocations?: LocalAsyncInvocations;
}

/**
 * The Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`) for in-process functions, so the
 * unmodified LambdaClient reaches them. RequestResponse returns the result (with `LogType: Tail`, the last 4 KB of
 * the invocation's log in `X-Amz-Log-Result`); Event answers 202 and queues the invocation (run in the background,
 * retried and, when it still fails, recorded for its on-failure destination: see LocalAsyncInvocations); DryRun
 * answers 204 and runs nothing, as on AWS.
 */
export function createLambdaInvokeService(
  functions: ReadonlyMap<string, LocalFunction>,
  options: LambdaInvokeOptions = {},
): LocalService {
  const asyncInvocations =
    options.asyncInvocations ??
    new LocalAsyncInvocations(functions, { ...(options.region ? { region: options.region } : {}) });
  return {
    name: "Lambda",
    canHandle: (req) => req.method === "POST" && INVOKE_PATH.test(req.url),
    async handle(req: LocalRequest) {
      const name = functionNameOf(INVOKE_PATH.exec(req.url)![1]!);
      const region = credentialScopeOf(req)?.region ?? options.region ?? DEFAULT_LOCAL_REGION;
      const fn = functions.get(name);
      if (!fn)
        return userError(404, "ResourceNotFoundException", `Function not found: ${localFunctionArn(name, region)}`);
      const invocationType = String(req.headers["x-amz-invocation-type"] ?? "RequestResponse");
      if (!(INVOCATION_TYPES as readonly string[]).includes(invocationType)) {
        return userError(
          400,
          "InvalidParameterValueException",
          `InvocationType must be one of ${INVOCATION_TYPES.join(", ")}, got ${JSON.stringify(invocationType)}`,
        );
      }
      let payload: unknown;
      try {
        payload = req.body.length === 0 ? {} : JSON.parse(req.body.toString("utf8"));
      } catch {
        return userError(
          400,
          "InvalidRequestContentException",
          "Could not parse request body into json: the payload must be JSON",
        );
      }
      // DryRun checks the function and the request, and runs nothing: against the processor, a run is a payment.
      if (invocationType === "DryRun") return { status: 204, body: "" };
      if (invocationType === "Event") {
        try {
          const requestId = asyncInvocations.invoke(name, payload);
          return { status: 202, headers: { "x-amzn-requestid": requestId }, body: "" };
        } catch (error) {
          if (error instanceof AsyncInvokeRejectedError) return userError(error.statusCode, error.name, error.message);
          throw error;
        }
      }
      const context = createLambdaContext(name, { region });
      const started = performance.now();
      const tail = String(req.headers["x-amz-log-type"] ?? "None") === "Tail";
      const run = () => Promise.resolve().then(() => fn(payload, context));
      const { result, output } = tail ? await captureFunctionOutput(run) : { result: await settle(run()), output: "" };
      const headers: Record<string, string> = {
        "x-amz-executed-version": "$LATEST",
        ...(tail
          ? { "x-amz-log-result": logResultHeader(context.awsRequestId, output, performance.now() - started) }
          : {}),
      };
      if (result.status === "fulfilled") return json(200, result.value ?? null, headers);
      const err = result.reason instanceof Error ? result.reason : new Error(String(result.reason));
      // Lambda answers 200 and flags the failure in a header; the SDK surfaces it as FunctionError.
      return json(
        200,
        { errorType: err.name, errorMessage: err.message, trace: [] },
        { ...headers, "x-amz-function-error": "Unhandled" },
      );
    },
  };
}

function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return promise.then(
    (value): PromiseSettledResult<T> => ({ status: "fulfilled", value }),
    (reason: unknown): PromiseSettledResult<T> => ({ status: "rejected", reason }),
  );
}
