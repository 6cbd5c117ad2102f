import type { LocalRequest } from "./local-endpoint";

/** The SigV4 credential scope a request was signed with: `AKID/DATE/REGION/SERVICE/aws4_request`. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  /** The signing name, e.g. `ses` (SES v1 and v2 both sign as `ses`; `email` is its endpoint prefix), `sns`. */
  readonly service: string;
}

const AUTHORIZATION_CREDENTIAL = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

/**
 * The credential scope from the `Authorization` header, or from `X-Amz-Credential` on a presigned
 * URL. Undefined when the request is unsigned or signed some other way (SigV2, garbage); the
 * signature itself is never checked, locally any key works.
 */
export function credentialScopeOf(request: Pick<LocalRequest, "headers" | "url">): CredentialScope | undefined {
  const authorization = request.headers.authorization;
  const fromHeader = typeof authorization === "string" ? AUTHORIZATION_CREDENTIAL.exec(authorization) : null;
  if (fromHeader) return scopeFrom(fromHeader);
  const queryStart = request.url.indexOf("?");
  if (queryStart < 0) return undefined;
  const credential = new URLSearchParams(request.url.slice(queryStart + 1)).get("X-Amz-Credential");
  const fromQuery = credential === null ? null : AUTHORIZATION_CREDENTIAL.exec(`Credential=${credential}`);
  return fromQuery ? scopeFrom(fromQuery) : undefined;
}

function scopeFrom(match: RegExpExecArray): CredentialScope {
  return { accessKeyId: match[1]!, date: match[2]!, region: match[3]!, service: match[4]! };
}

/**
 * The SigV4 signing service of a request (`ses`, `sns`, `events`, ...), or undefined when it is
 * not SigV4-signed. SES v1 and SNS both send form-encoded `POST /` with `Action=...`, so the
 * signing service is what tells them apart behind one endpoint.
 */
export function signingServiceOf(request: Pick<LocalRequest, "headers" | "url">): string | undefined {
  return credentialScopeOf(request)?.service;
}
