import { crc32 } from "node:zlib";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { credentialScopeOf } from "../http/signing-service";
import { DYNAMODB_TARGET_PREFIX as TARGET_PREFIX, type DynaliteAnswer, type DynaliteServer } from "./dynalite-server";
import { DEFAULT_LOCAL_REGION } from "../local-account";

/** The operations dynalite implements; anything else would get an UnknownOperationException without a message. */
export const DYNALITE_OPERATIONS: readonly string[] = [
  "BatchGetItem",
  "BatchWriteItem",
  "CreateTable",
  "DeleteItem",
  "DeleteTable",
  "DescribeTable",
  "DescribeTimeToLive",
  "GetItem",
  "ListTables",
  "ListTagsOfResource",
  "PutItem",
  "Query",
  "Scan",
  "TagResource",
  "UntagResource",
  "UpdateItem",
  "UpdateTable",
];

/** Answers that describe a table (and so carry its ARN, with the region dynalite was started in). */
const TABLE_DESCRIBING_OPERATIONS: ReadonlySet<string> = new Set([
  "CreateTable",
  "DescribeTable",
  "UpdateTable",
  "DeleteTable",
]);
const CONDITIONAL_WRITES: ReadonlySet<string> = new Set(["PutItem", "UpdateItem", "DeleteItem"]);

export interface DynamoDbProxyOptions {
  /** Region written in table ARNs when the request is not SigV4-signed. Default `ap-southeast-1`. */
  readonly region?: string;
}

/**
 * DynamoDB behind the shared endpoint: requests with `X-Amz-Target: DynamoDB_20120810.*` are forwarded to dynalite,
 * and its answers are brought closer to DynamoDB's:
 * - an operation dynalite lacks (`TransactWriteItems`, `ExecuteStatement`, ...) answers `UnknownOperationException`
 *   with a message naming it, instead of none;
 * - table ARNs name the request's region (dynalite writes the one it was started in, usually `us-east-1`);
 * - a conditional write that fails with `ReturnValuesOnConditionCheckFailure: ALL_OLD` carries the item in the
 *   `ConditionalCheckFailedException`, read just after the failure (DynamoDB returns it atomically; here a write
 *   between the failure and the read would show).
 */
export function createDynamoDbProxyService(
  dynalite: Pick<DynaliteServer, "forward">,
  options: DynamoDbProxyOptions = {},
): LocalService {
  const defaultRegion = options.region ?? DEFAULT_LOCAL_REGION;
  return {
    name: "DynamoDB",
    canHandle: (req) => String(req.headers["x-amz-target"] ?? "").startsWith(TARGET_PREFIX),
    async handle(req: LocalRequest): Promise<LocalResponse> {
      const operation = String(req.headers["x-amz-target"]).slice(TARGET_PREFIX.length);
      if (!DYNALITE_OPERATIONS.includes(operation)) {
        return dynamoDbJsonAnswer(
          400,
          {},
          {
            __type: "com.amazonaws.dynamodb.v20120810#UnknownOperationException",
            message:
              `The local DynamoDB (dynalite) does not serve ${operation}; it serves ${DYNALITE_OPERATIONS.join(", ")}. ` +
              "Transactions and PartiQL need a real DynamoDB table.",
          },
        );
      }
      const answer = await dynalite.forward(req);
      if (TABLE_DESCRIBING_OPERATIONS.has(operation) && answer.status === 200) {
        return withTableArnRegion(answer, credentialScopeOf(req)?.region ?? defaultRegion);
      }
      if (CONDITIONAL_WRITES.has(operation) && answer.status === 400) {
        return withItemOnConditionCheckFailure(dynalite, req, operation, answer);
      }
      return answer;
    },
  };
}

/**
 * A DynamoDB JSON answer with its `x-amz-crc32`: botocore (the AWS CLI) checks that header against the body, so a rewritten body
 * needs a new one.
 */
export function dynamoDbJsonAnswer(status: number, headers: Record<string, string>, body: unknown): LocalResponse {
  const bytes = Buffer.from(JSON.stringify(body), "utf8");
  return {
    status,
    headers: { ...headers, "content-type": "application/x-amz-json-1.0", "x-amz-crc32": String(crc32(bytes)) },
    body: bytes,
  };
}

function withTableArnRegion(answer: DynaliteAnswer, region: string): LocalResponse {
  const text = answer.body.toString("utf8");
  const rewritten = text.replace(/arn:aws:dynamodb:[a-z0-9-]+:/g, `arn:aws:dynamodb:${region}:`);
  return rewritten === text ? answer : dynamoDbJsonAnswer(answer.status, answer.headers, JSON.parse(rewritten));
}

async function withItemOnConditionCheckFailure(
  dynalite: Pick<DynaliteServer, "forward">,
  req: LocalRequest,
  operation: string,
  answer: DynaliteAnswer,
): Promise<LocalResponse> {
  const error = parseJsonObject(answer.body);
  if (!String(error?.__type ?? "").endsWith("#ConditionalCheckFailedException")) return answer;
  const request = parseJsonObject(req.body);
  if (request?.ReturnValuesOnConditionCheckFailure !== "ALL_OLD" || typeof request.TableName !== "string")
    return answer;
  const key = operation === "PutItem" ? await keyOfItem(dynalite, req, request.TableName, request.Item) : request.Key;
  if (key === undefined) return answer;
  const read = await dynalite.forward({
    ...req,
    headers: withTarget(req.headers, "GetItem"),
    body: Buffer.from(JSON.stringify({ TableName: request.TableName, Key: key, ConsistentRead: true })),
  });
  const item = read.status === 200 ? parseJsonObject(read.body)?.Item : undefined;
  return item === undefined ? answer : dynamoDbJsonAnswer(answer.status, answer.headers, { ...error, Item: item });
}

/** A PutItem names its item, not its key: the key is the item's attributes named in the table's key schema. */
async function keyOfItem(
  dynalite: Pick<DynaliteServer, "forward">,
  req: LocalRequest,
  tableName: string,
  item: unknown,
): Promise<Record<string, unknown> | undefined> {
  if (typeof item !== "object" || item === null) return undefined;
  const described = await dynalite.forward({
    ...req,
    headers: withTarget(req.headers, "DescribeTable"),
    body: Buffer.from(JSON.stringify({ TableName: tableName })),
  });
  const schema = (parseJsonObject(described.body)?.Table as { KeySchema?: { AttributeName: string }[] } | undefined)
    ?.KeySchema;
  if (!schema) return undefined;
  return Object.fromEntries(
    schema.map(({ AttributeName }) => [AttributeName, (item as Record<string, unknown>)[AttributeName]]),
  );
}

/** The request's headers (dynalite checks no signature) for a follow-up call of `operation`. */
function withTarget(headers: LocalRequest["headers"], operation: string): LocalRequest["headers"] {
  return { ...headers, "x-amz-target": `${TARGET_PREFIX}${operation}` };
}

function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
