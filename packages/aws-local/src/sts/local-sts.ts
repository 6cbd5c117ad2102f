import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import {
  AwsQueryError,
  escapeXml,
  pathOf,
  queryActionOf,
  queryErrorResponse,
  queryXmlResponse,
  readQueryParameters,
} from "../http/aws-query-protocol";
import { signingServiceOf } from "../http/signing-service";
import { LOCAL_ACCOUNT } from "../local-account";

const STS_XMLNS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** Who the local endpoint says the caller is: the root user of the local account. */
export interface LocalCallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

/** The identity `sts get-caller-identity` answers for `account` (default `000000000000`). */
export function localCallerIdentity(account = LOCAL_ACCOUNT): LocalCallerIdentity {
  return { account, arn: `arn:aws:iam::${account}:root`, userId: account };
}

/**
 * STS `GetCallerIdentity` in the Query protocol, which scripts call first to learn the account. Any other STS
 * action answers `InvalidAction` in STS's XML, naming it: there are no roles or sessions locally, any key works.
 * Routed by the SigV4 signing service `sts`, or, unsigned, by `Action=GetCallerIdentity`.
 */
export function createLocalStsService(identity: LocalCallerIdentity = localCallerIdentity()): LocalService {
  return {
    name: "STS",
    canHandle: (request) => {
      const signingService = signingServiceOf(request);
      if (signingService !== undefined) return signingService === "sts";
      return pathOf(request) === "/" && queryActionOf(request) === "GetCallerIdentity";
    },
    handle(request: LocalRequest): Promise<LocalResponse> {
      const action = readQueryParameters(request).get("Action");
      if (action === "GetCallerIdentity") {
        return Promise.resolve(
          queryXmlResponse({
            action,
            xmlns: STS_XMLNS,
            resultXml: `<Arn>${escapeXml(identity.arn)}</Arn><UserId>${escapeXml(identity.userId)}</UserId><Account>${escapeXml(identity.account)}</Account>`,
          }),
        );
      }
      const error = new AwsQueryError(
        "InvalidAction",
        400,
        `The local endpoint does not serve STS ${action ?? "(no Action)"}; of STS it serves only GetCallerIdentity ` +
          `(account ${identity.account}). There are no roles or sessions locally: any access key works.`,
      );
      return Promise.resolve(queryErrorResponse(error, STS_XMLNS));
    },
  };
}
