import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { credentialScopeOf } from "../http/signing-service";
import { DEFAULT_LOCAL_REGION } from "../local-account";
import { localFunctionArn } from "./lambda-context";
import { functionNameOf, type LocalFunction } from "./lambda-invoke-service";

const FUNCTION_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/?(?:\?.*)?$/;

/** What GetFunction tells about an in-process function besides its name: set by whoever registers it. */
export interface LocalFunctionInfo {
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): LocalResponse {
  return { status, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}

/**
 * GetFunction (`GET /2015-03-31/functions/{name}`) for in-process functions: its configuration
 * (name, ARN, description, state) and tags, so read-only checks (does a function of this name
 * exist, whose is it) work locally. There is no code to download: `Code` is absent.
 */
export function createGetFunctionService(
  functions: ReadonlyMap<string, LocalFunction>,
  info: ReadonlyMap<string, LocalFunctionInfo>,
  options: { readonly region?: string } = {},
): LocalService {
  return {
    name: "Lambda",
    canHandle: (req) => req.method === "GET" && FUNCTION_PATH.test(req.url),
    async handle(req: LocalRequest) {
      const name = functionNameOf(FUNCTION_PATH.exec(req.url)![1]!);
      const region = credentialScopeOf(req)?.region ?? options.region ?? DEFAULT_LOCAL_REGION;
      if (!functions.has(name)) {
        return json(
          404,
          { Type: "User", message: `Function not found: ${localFunctionArn(name, region)}` },
          { "x-amzn-errortype": "ResourceNotFoundException" },
        );
      }
      const details = info.get(name) ?? {};
      return json(200, {
        Configuration: {
          FunctionName: name,
          FunctionArn: localFunctionArn(name, region),
          Description: details.description ?? "",
          Version: "$LATEST",
          State: "Active",
          PackageType: "Zip",
        },
        Tags: { ...details.tags },
      });
    },
  };
}
