import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { credentialScopeOf } from "../http/signing-service";
import { DEFAULT_LOCAL_REGION } from "../local-account";
import { InvalidEventInvokeConfigError, type EventInvokeConfig, type LocalAsyncInvocations } from "./async-invocations";
import { localFunctionArn } from "./lambda-context";
import { functionNameOf, type LocalFunction } from "./lambda-invoke-service";

const CONFIG_PATH = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?(?:\?.*)?$/;

function json(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

function userError(status: number, type: string, message: string): LocalResponse {
  return json(status, { Type: "User", message }, { "x-amzn-errortype": type });
}

interface ConfigRequestBody {
  readonly MaximumRetryAttempts?: number;
  readonly MaximumEventAgeInSeconds?: number;
  readonly DestinationConfig?: { readonly OnFailure?: { readonly Destination?: string } };
}

/**
 * Put / Update / Get / DeleteFunctionEventInvokeConfig (`/2019-09-25/functions/{name}/event-invoke-config`)
 * for in-process functions: the retries and on-failure destination their asynchronous invocations get.
 */
export function createEventInvokeConfigService(
  functions: ReadonlyMap<string, LocalFunction>,
  asyncInvocations: LocalAsyncInvocations,
  options: { readonly region?: string } = {},
): LocalService {
  const answer = (name: string, region: string, config: EventInvokeConfig) =>
    json(200, {
      FunctionArn: `${localFunctionArn(name, region)}:$LATEST`,
      LastModified: Math.floor(Date.now() / 1000),
      MaximumRetryAttempts: config.maximumRetryAttempts,
      MaximumEventAgeInSeconds: config.maximumEventAgeSeconds,
      DestinationConfig: {
        OnSuccess: {},
        OnFailure: config.onFailureDestination ? { Destination: config.onFailureDestination } : {},
      },
    });
  return {
    name: "Lambda",
    canHandle: (req) => CONFIG_PATH.test(req.url),
    async handle(req: LocalRequest) {
      const name = functionNameOf(CONFIG_PATH.exec(req.url)![1]!);
      const region = credentialScopeOf(req)?.region ?? options.region ?? DEFAULT_LOCAL_REGION;
      if (!functions.has(name))
        return userError(404, "ResourceNotFoundException", `Function not found: ${localFunctionArn(name, region)}`);
      if (req.method === "GET" || req.method === "DELETE") {
        if (!asyncInvocations.hasEventInvokeConfig(name)) {
          return userError(
            404,
            "ResourceNotFoundException",
            `The function ${localFunctionArn(name, region)} doesn't have an EventInvokeConfig`,
          );
        }
        const config = asyncInvocations.eventInvokeConfig(name);
        if (req.method === "DELETE") {
          asyncInvocations.deleteEventInvokeConfig(name);
          return { status: 204, body: "" };
        }
        return answer(name, region, config);
      }
      if (req.method !== "PUT" && req.method !== "POST")
        return userError(
          405,
          "InvalidParameterValueException",
          `${req.method} is not an event-invoke-config operation`,
        );
      let body: ConfigRequestBody;
      try {
        body = req.body.length === 0 ? {} : (JSON.parse(req.body.toString("utf8")) as ConfigRequestBody);
      } catch {
        return userError(400, "InvalidRequestContentException", "Could not parse request body into json");
      }
      // PUT replaces the settings (what is left out takes its default); POST (Update) changes only what is given.
      const base = req.method === "POST" ? asyncInvocations.eventInvokeConfig(name) : {};
      const destination = body.DestinationConfig?.OnFailure?.Destination;
      try {
        const config = asyncInvocations.putEventInvokeConfig(name, {
          ...base,
          ...(body.MaximumRetryAttempts !== undefined ? { maximumRetryAttempts: body.MaximumRetryAttempts } : {}),
          ...(body.MaximumEventAgeInSeconds !== undefined
            ? { maximumEventAgeSeconds: body.MaximumEventAgeInSeconds }
            : {}),
          ...(body.DestinationConfig !== undefined ? { onFailureDestination: destination } : {}),
        });
        return answer(name, region, config);
      } catch (error) {
        if (error instanceof InvalidEventInvokeConfigError)
          return userError(400, "InvalidParameterValueException", error.message);
        throw error;
      }
    },
  };
}
