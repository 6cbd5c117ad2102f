import { randomUUID } from "node:crypto";
import { InvalidEventPatternError } from "../event-pattern/index";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import { EventBridgeError, EventBridgeSerializationError, EventBridgeUnknownOperationError } from "./errors";
import type { LocalEventBridge } from "./local-event-bridge";
import {
  decodeArchiveName,
  decodeCreateArchive,
  decodeListArchives,
  decodeListReplays,
  decodeReplayName,
  decodeStartReplay,
  decodeUpdateArchive,
  decodeCreateEventBus,
  decodeEventBusName,
  decodeListEventBuses,
  decodeListRules,
  decodeListTargetsByRule,
  decodePutEvents,
  decodePutRule,
  decodePutTargets,
  decodeRemoveTargets,
  decodeRuleReference,
  decodeTestEventPattern,
  MemberReader,
} from "./request-decoding";

/** The `X-Amz-Target` prefix of EventBridge (the model's `targetPrefix`). [semantics §1, BOTO] */
export const EVENTBRIDGE_TARGET_PREFIX = "AWSEvents.";
const CONTENT_TYPE = "application/x-amz-json-1.1";

type Operation = (bridge: LocalEventBridge, body: MemberReader) => unknown;

const OPERATIONS: Readonly<Record<string, Operation>> = {
  PutEvents: (bridge, body) => bridge.putEvents(decodePutEvents(body)),
  TestEventPattern: (bridge, body) => bridge.testEventPattern(decodeTestEventPattern(body)),
  PutRule: (bridge, body) => bridge.putRule(decodePutRule(body)),
  DescribeRule: (bridge, body) => bridge.describeRule(decodeRuleReference(body)),
  ListRules: (bridge, body) => bridge.listRules(decodeListRules(body)),
  DeleteRule: (bridge, body) => bridge.deleteRule(decodeRuleReference(body)),
  EnableRule: (bridge, body) => bridge.enableRule(decodeRuleReference(body)),
  DisableRule: (bridge, body) => bridge.disableRule(decodeRuleReference(body)),
  PutTargets: (bridge, body) => bridge.putTargets(decodePutTargets(body)),
  ListTargetsByRule: (bridge, body) => bridge.listTargetsByRule(decodeListTargetsByRule(body)),
  RemoveTargets: (bridge, body) => bridge.removeTargets(decodeRemoveTargets(body)),
  CreateEventBus: (bridge, body) => bridge.createEventBus(decodeCreateEventBus(body)),
  DescribeEventBus: (bridge, body) => bridge.describeEventBus(decodeEventBusName(body, false)),
  ListEventBuses: (bridge, body) => bridge.listEventBuses(decodeListEventBuses(body)),
  DeleteEventBus: (bridge, body) => bridge.deleteEventBus(decodeEventBusName(body, true)),
  CreateArchive: (bridge, body) => bridge.createArchive(decodeCreateArchive(body)),
  DescribeArchive: (bridge, body) => bridge.describeArchive(decodeArchiveName(body)),
  ListArchives: (bridge, body) => bridge.listArchives(decodeListArchives(body)),
  UpdateArchive: (bridge, body) => bridge.updateArchive(decodeUpdateArchive(body)),
  DeleteArchive: (bridge, body) => bridge.deleteArchive(decodeArchiveName(body)),
  StartReplay: (bridge, body) => bridge.startReplay(decodeStartReplay(body)),
  DescribeReplay: (bridge, body) => bridge.describeReplay(decodeReplayName(body)),
  ListReplays: (bridge, body) => bridge.listReplays(decodeListReplays(body)),
  CancelReplay: (bridge, body) => bridge.cancelReplay(decodeReplayName(body)),
};

/** The operations the local EventBridge serves. */
export const SUPPORTED_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/**
 * The EventBridge API over AWS JSON 1.1 (`POST /`, `X-Amz-Target: AWSEvents.<Operation>`) for the shared local
 * endpoint, so the unmodified `@aws-sdk/client-eventbridge` (with `endpoint`) and `aws events --endpoint-url` work.
 * Errors come back as `{"__type", "message"}` with HTTP 400, or 500 `InternalException`; the service never throws.
 */
export function createEventBridgeService(bridge: LocalEventBridge): LocalService {
  return {
    name: "EventBridge",
    canHandle: (request) => targetHeader(request)?.startsWith(EVENTBRIDGE_TARGET_PREFIX) ?? false,
    handle: (request) => Promise.resolve(handleRequest(bridge, request)),
  };
}

function handleRequest(bridge: LocalEventBridge, request: LocalRequest): LocalResponse {
  const requestId = randomUUID();
  try {
    const operationName = (targetHeader(request) ?? "").slice(EVENTBRIDGE_TARGET_PREFIX.length);
    const operation = Object.hasOwn(OPERATIONS, operationName) ? OPERATIONS[operationName] : undefined;
    if (!operation) {
      throw new EventBridgeUnknownOperationError(
        `The local EventBridge does not serve operation ${JSON.stringify(operationName)}. Supported: ${SUPPORTED_OPERATIONS.join(", ")}.`,
      );
    }
    if (request.method !== "POST") {
      throw new EventBridgeSerializationError(
        `EventBridge is called with POST /, got ${request.method} ${request.url}.`,
      );
    }
    const body = MemberReader.forBody(parseBody(request.body));
    const result = operation(bridge, body);
    warnAboutIgnoredMembers(bridge, operationName, body);
    return respond(200, requestId, toWire(result ?? {}));
  } catch (error) {
    return errorResponse(bridge, requestId, error);
  }
}

/** Fails on malformed UTF-8 instead of silently turning it into U+FFFD inside event details. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function parseBody(body: Buffer): unknown {
  let text: string;
  try {
    text = STRICT_UTF8.decode(body);
  } catch (error) {
    throw new EventBridgeSerializationError(
      `The request body is not valid UTF-8. Send JSON encoded as UTF-8 with Content-Type ${CONTENT_TYPE}.`,
      { cause: error },
    );
  }
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EventBridgeSerializationError(
      `The request body is not valid JSON (${error instanceof Error ? error.message : String(error)}). ` +
        `Send a JSON object with Content-Type ${CONTENT_TYPE}.`,
      { cause: error },
    );
  }
}

function errorResponse(bridge: LocalEventBridge, requestId: string, error: unknown): LocalResponse {
  if (error instanceof EventBridgeError) {
    return respond(error.httpStatus, requestId, { __type: error.code, message: error.message }, error.code);
  }
  if (error instanceof InvalidEventPatternError) {
    return respond(400, requestId, { __type: error.code, message: error.message }, error.code);
  }
  bridge.logger.warn(
    `EventBridge request ${requestId} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  const message = error instanceof Error ? error.message : String(error);
  return respond(500, requestId, { __type: "InternalException", message }, "InternalException");
}

function respond(status: number, requestId: string, body: unknown, errorType?: string): LocalResponse {
  return {
    status,
    headers: {
      "content-type": CONTENT_TYPE,
      "x-amzn-requestid": requestId,
      ...(errorType ? { "x-amzn-errortype": errorType } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** Dates become epoch seconds, the JSON 1.1 timestamp format. [semantics §1] */
function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, toWire(member)]));
  }
  return value;
}

function targetHeader(request: LocalRequest): string | undefined {
  const header = request.headers["x-amz-target"];
  return Array.isArray(header) ? header[0] : header;
}

function warnAboutIgnoredMembers(bridge: LocalEventBridge, operationName: string, body: MemberReader): void {
  const ignored = body.ignoredMembers();
  if (ignored.length > 0) {
    bridge.logger.warn(`${operationName}: the local EventBridge ignores ${ignored.join(", ")}.`);
  }
}
