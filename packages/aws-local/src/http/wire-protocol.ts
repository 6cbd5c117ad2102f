import { randomUUID } from "node:crypto";
import type { LocalRequest, LocalResponse } from "./local-endpoint";
import { escapeXml, pathOf, readQueryParameters } from "./aws-query-protocol";
import { signingServiceOf } from "./signing-service";

/**
 * How an AWS client speaks to a service, so an error can be answered in a form its deserializer reads:
 * `awsQuery` (form-encoded `Action=`, XML answers: STS, IAM, SQS and CloudWatch in older clients, SES v1, SNS),
 * `awsJson` (`X-Amz-Target`, JSON with `__type`), `rpcV2Cbor` (`smithy-protocol: rpc-v2-cbor`, CloudWatch in newer
 * clients), `restXml` (S3, Route 53, CloudFront, told by their signing name) and `rest` (every other REST API, in
 * JSON: Lambda, SES v2, ...).
 */
export type WireProtocol = "awsQuery" | "awsJson" | "rpcV2Cbor" | "restXml" | "rest";

/** Signing names of the REST APIs that answer in XML. */
const REST_XML_SERVICES: ReadonlySet<string> = new Set(["s3", "route53", "cloudfront"]);

/** What a request asks for, as far as it can be told without knowing the service. */
export interface RequestedOperation {
  readonly protocol: WireProtocol;
  /** The SigV4 signing name (`sts`, `iam`, `monitoring`), the X-Amz-Target prefix or the CBOR service; `unknown` if none. */
  readonly service: string;
  /** The operation (`GetSessionToken`, `TransactWriteItems`), or the method and path of a REST request. */
  readonly operation: string;
}

const RPC_V2_CBOR_PATH = /^\/service\/([^/]+)\/operation\/([^/?]+)/;

/** Reads protocol, service and operation from the request's headers, path and form body. */
export function requestedOperationOf(request: LocalRequest): RequestedOperation {
  const signingService = signingServiceOf(request);
  const cborPath = RPC_V2_CBOR_PATH.exec(pathOf(request));
  if (String(request.headers["smithy-protocol"] ?? "").toLowerCase() === "rpc-v2-cbor" || cborPath) {
    return {
      protocol: "rpcV2Cbor",
      service: signingService ?? cborPath?.[1] ?? "unknown",
      operation: cborPath?.[2] ?? "(no operation in the path)",
    };
  }
  const target = request.headers["x-amz-target"];
  if (typeof target === "string" && target !== "") {
    const dot = target.lastIndexOf(".");
    return {
      protocol: "awsJson",
      service: signingService ?? (dot < 0 ? "unknown" : target.slice(0, dot)),
      operation: target.slice(dot + 1),
    };
  }
  const contentType = String(request.headers["content-type"] ?? "");
  const action =
    contentType.startsWith("application/x-www-form-urlencoded") || request.url.includes("Action=")
      ? readQueryParameters(request).get("Action")
      : null;
  if (action) return { protocol: "awsQuery", service: signingService ?? "unknown", operation: action };
  const protocol = signingService !== undefined && REST_XML_SERVICES.has(signingService) ? "restXml" : "rest";
  return { protocol, service: signingService ?? "unknown", operation: `${request.method} ${pathOf(request)}` };
}

/** An AWS error: the wire code the SDK turns into an exception class, the HTTP status and a message. */
export interface WireError {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

/** The XML namespace of a Query-protocol service's answers (clients ignore it; it is there to look like AWS). */
const QUERY_XMLNS: Readonly<Record<string, string>> = {
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sqs: "http://queue.amazonaws.com/doc/2012-11-05/",
  monitoring: "http://monitoring.amazonaws.com/doc/2010-08-01/",
  ses: "http://ses.amazonaws.com/doc/2010-12-01/",
  sns: "http://sns.amazonaws.com/doc/2010-03-31/",
};

/** `error` in the protocol `operation` came in: XML ErrorResponse, JSON with `__type`, or CBOR with `__type`. */
export function wireErrorResponse(operation: RequestedOperation, error: WireError): LocalResponse {
  const requestId = randomUUID();
  switch (operation.protocol) {
    case "awsQuery":
      return {
        status: error.status,
        headers: { "content-type": "text/xml", "x-amzn-requestid": requestId },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${QUERY_XMLNS[operation.service] ?? "https://aws.amazon.com/"}">` +
          `<Error><Type>${error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${escapeXml(error.code)}</Code>` +
          `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case "restXml":
      // S3's shape; the SDKs also read it for Route 53 and CloudFront (they look for Error/Code at either depth).
      return {
        status: error.status,
        headers: { "content-type": "application/xml", "x-amz-request-id": requestId, "x-amzn-requestid": requestId },
        body:
          `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code>` +
          `<Message>${escapeXml(error.message)}</Message><RequestId>${requestId}</RequestId></Error>`,
      };
    case "rpcV2Cbor":
      return {
        status: error.status,
        headers: {
          "content-type": "application/cbor",
          "smithy-protocol": "rpc-v2-cbor",
          "x-amzn-requestid": requestId,
        },
        body: encodeCborTextMap({ __type: error.code, message: error.message }),
      };
    case "awsJson":
    case "rest":
      return {
        status: error.status,
        headers: {
          "content-type": operation.protocol === "awsJson" ? "application/x-amz-json-1.1" : "application/json",
          "x-amzn-errortype": error.code,
          "x-amzn-requestid": requestId,
        },
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
  }
}

/**
 * The answer to an operation no local service serves: `InvalidAction` (Query), `UnknownOperationException`
 * (JSON, CBOR, XML; 404 for REST paths), naming the operation and what the endpoint does serve.
 */
export function unservedOperationResponse(request: LocalRequest, served: readonly string[]): LocalResponse {
  const operation = requestedOperationOf(request);
  const named = operation.service === "unknown" ? operation.operation : `${operation.service} ${operation.operation}`;
  const message =
    `The local endpoint does not serve ${named}; ` +
    `it serves ${served.join(", ")}. Use a real AWS account for anything else.`;
  const code = operation.protocol === "awsQuery" ? "InvalidAction" : "UnknownOperationException";
  const rest = operation.protocol === "rest" || operation.protocol === "restXml";
  return wireErrorResponse(operation, { code, status: rest ? 404 : 400, message });
}

/** An unexpected failure of a local service: 500 `InternalFailure`, as AWS answers, in the request's protocol. */
export function internalFailureResponse(request: LocalRequest, serviceName: string, error: unknown): LocalResponse {
  const detail = error instanceof Error ? error.message : String(error);
  return wireErrorResponse(requestedOperationOf(request), {
    code: "InternalFailure",
    status: 500,
    message: `The local ${serviceName} failed unexpectedly: ${detail}`,
  });
}

/** A CBOR (RFC 8949) map of text strings: all an rpc-v2-cbor error body needs. */
export function encodeCborTextMap(record: Readonly<Record<string, string>>): Buffer {
  const entries = Object.entries(record);
  const parts: Buffer[] = [cborHead(5, entries.length)];
  for (const [key, value] of entries) {
    for (const text of [key, value]) {
      const bytes = Buffer.from(text, "utf8");
      parts.push(cborHead(3, bytes.length), bytes);
    }
  }
  return Buffer.concat(parts);
}

function cborHead(majorType: number, length: number): Buffer {
  const type = majorType << 5;
  if (length < 24) return Buffer.from([type | length]);
  if (length < 0x100) return Buffer.from([type | 24, length]);
  if (length < 0x10000) return Buffer.from([type | 25, length >> 8, length & 0xff]);
  const head = Buffer.alloc(5);
  head[0] = type | 26;
  head.writeUInt32BE(length, 1);
  return head;
}
