import { randomUUID } from "node:crypto";
import type { FaultInjector, FaultSite } from "./fault-injector";
import type { LocalRequest, LocalResponse, LocalService } from "@payment3/aws-local";

const TARGET_PREFIX = "DynamoDB_20120810.";
/** Key attributes of the project's tables, to identify an item from a PutItem's `Item`. */
const KEY_ATTRIBUTES = ["orderId", "id", "created_at", "notificationKey"] as const;

/**
 * DynamoDB behind the shared endpoint, with faults: before a request is forwarded to dynalite,
 * the injector may answer it with a real DynamoDB error instead, in DynamoDB's JSON error shape,
 * so the unmodified SDK sees (and retries) a real service error:
 *
 * - `dynamodb-throttle`: 400 `ProvisionedThroughputExceededException`
 * - `dynamodb-5xx`: 500 `InternalServerError`
 *
 * The fault site is the operation (`GetItem`, `UpdateItem`, ...), the table and the item key,
 * so a rule can pick operations and tables. Without an injector the service is returned as is.
 */
export function withDynamoDbFaults(service: LocalService, faults: FaultInjector | undefined): LocalService {
  if (!faults) return service;
  return {
    name: service.name,
    canHandle: (request) => service.canHandle(request),
    handle(request) {
      const site = dynamoDbFaultSite(request);
      if (faults.decide("dynamodb-throttle", site)) {
        return Promise.resolve(
          dynamoDbError(
            400,
            "ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
          ),
        );
      }
      if (faults.decide("dynamodb-5xx", site)) {
        return Promise.resolve(dynamoDbError(500, "InternalServerError", "Internal server error"));
      }
      return service.handle(request);
    },
  };
}

/** The operation, table, item key and order of a DynamoDB request (best effort: a bad body names nothing). */
export function dynamoDbFaultSite(request: LocalRequest): FaultSite {
  const target = String(request.headers["x-amz-target"] ?? "");
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  const body = parseObject(request.body.toString("utf8"));
  const table = typeof body.TableName === "string" ? body.TableName : undefined;
  const key = asObject(body.Key) ?? pick(asObject(body.Item), KEY_ATTRIBUTES);
  const orderIds = orderIdsOf(body, key);
  return {
    operation,
    ...(table ? { resource: table } : {}),
    ...(orderIds.length > 0 ? { orderIds } : {}),
    key: `${operation}|${table ?? ""}|${key ? JSON.stringify(key) : ""}`,
  };
}

function orderIdsOf(body: Record<string, unknown>, key: Record<string, unknown> | undefined): string[] {
  const fromKey = stringAttribute(key?.orderId);
  if (fromKey) return [fromKey];
  const values = asObject(body.ExpressionAttributeValues);
  const fromValues = stringAttribute(values?.[":orderId"]) ?? stringAttribute(values?.[":o"]);
  if (fromValues) return [fromValues];
  // The audit log pins row times under `audit-log#<orderId>:<paymentId>:...`.
  const id = stringAttribute(key?.id);
  const audit = id === undefined ? undefined : /^audit-log#([^:]+):/.exec(id);
  return audit?.[1] ? [audit[1]] : [];
}

function dynamoDbError(status: number, type: string, message: string): LocalResponse {
  return {
    status,
    headers: { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": randomUUID() },
    body: JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message }),
  };
}

function stringAttribute(value: unknown): string | undefined {
  const attribute = asObject(value);
  if (typeof attribute?.S === "string") return attribute.S;
  if (typeof attribute?.N === "string") return attribute.N;
  return undefined;
}

function pick(
  item: Record<string, unknown> | undefined,
  names: readonly string[],
): Record<string, unknown> | undefined {
  if (!item) return undefined;
  const picked = Object.fromEntries(names.filter((name) => name in item).map((name) => [name, item[name]]));
  return Object.keys(picked).length > 0 ? picked : undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function parseObject(text: string): Record<string, unknown> {
  try {
    return asObject(JSON.parse(text)) ?? {};
  } catch {
    return {};
  }
}
