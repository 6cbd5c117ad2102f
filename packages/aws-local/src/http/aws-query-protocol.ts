import { randomUUID } from "node:crypto";
import type { LocalRequest, LocalResponse } from "./local-endpoint";

/**
 * An error answered in the AWS Query protocol (SES v1, SNS): `code` is the wire `<Code>` the SDK
 * maps to its exception class (SNS `NotFound` becomes `NotFoundException`), `status` the HTTP status.
 */
export class AwsQueryError extends Error {
  override readonly name = "AwsQueryError";

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `&`, `<`, `>`, `"` and `'` as XML entities, for element text. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ENTITIES[character]!);
}

const XML_ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** The path without its query string. */
export function pathOf(request: Pick<LocalRequest, "url">): string {
  const queryStart = request.url.indexOf("?");
  return queryStart < 0 ? request.url : request.url.slice(0, queryStart);
}

/**
 * The Query-protocol parameters of a request: the form-encoded body of a `POST`, plus the query
 * string (AWS accepts `GET /?Action=...` too). Never throws: a body that is not a form simply has
 * no `Action`, which the caller reports.
 */
export function readQueryParameters(request: Pick<LocalRequest, "url" | "body">): URLSearchParams {
  const queryStart = request.url.indexOf("?");
  const parameters = new URLSearchParams(queryStart < 0 ? "" : request.url.slice(queryStart + 1));
  for (const [key, value] of new URLSearchParams(request.body.toString("utf8"))) parameters.append(key, value);
  return parameters;
}

/** The `Action` a Query-protocol request names, if any (cheap enough for `canHandle`). */
export function queryActionOf(request: Pick<LocalRequest, "url" | "body">): string | undefined {
  return readQueryParameters(request).get("Action") ?? undefined;
}

/**
 * A successful Query-protocol answer:
 * `<{Action}Response xmlns><{Action}Result>...</{Action}Result><ResponseMetadata>...</ResponseMetadata></{Action}Response>`.
 * `resultXml` must already be escaped; undefined leaves the Result element out (DeleteTopic).
 */
export function queryXmlResponse(options: { action: string; xmlns: string; resultXml?: string }): LocalResponse {
  const requestId = randomUUID();
  const result =
    options.resultXml === undefined ? "" : `<${options.action}Result>${options.resultXml}</${options.action}Result>`;
  return {
    status: 200,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<${options.action}Response xmlns="${options.xmlns}">${result}` +
      `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${options.action}Response>`,
  };
}

/** A Query-protocol error: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`. */
export function queryErrorResponse(
  error: { code: string; status: number; message: string },
  xmlns: string,
): LocalResponse {
  const requestId = randomUUID();
  const type = error.status >= 500 ? "Receiver" : "Sender";
  return {
    status: error.status,
    headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type>` +
      `<Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
