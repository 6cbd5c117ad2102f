import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { startLocalEndpoint, type LocalEndpoint } from "../http/local-endpoint";
import { createEventBridgeService } from "./eventbridge-api";
import { LocalEventBridge, type LocalEventBridgeOptions } from "./local-event-bridge";
import type { TargetInvocationContext, TargetInvoker, TargetReference } from "./target-delivery";

/** A local EventBridge behind a real HTTP endpoint, with the unmodified SDK client pointed at it (tests only). */
export interface EventBridgeHarness {
  readonly bridge: LocalEventBridge;
  readonly endpoint: LocalEndpoint;
  readonly client: EventBridgeClient;
  readonly warnings: string[];
  close(): Promise<void>;
}

export async function startEventBridgeHarness(options: LocalEventBridgeOptions = {}): Promise<EventBridgeHarness> {
  const warnings: string[] = [];
  const bridge = new LocalEventBridge({
    logger: { warn: (message) => warnings.push(message) },
    retryBaseDelayMs: 5,
    ...options,
  });
  const endpoint = await startLocalEndpoint({ port: 0, services: [createEventBridgeService(bridge)] });
  const client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  return {
    bridge,
    endpoint,
    client,
    warnings,
    async close() {
      client.destroy();
      bridge.close();
      await endpoint.close();
    },
  };
}

export interface RecordedInvocation {
  readonly target: TargetReference;
  readonly input: unknown;
  readonly context: TargetInvocationContext;
}

/** A target invoker that records every call and succeeds, unless told to fail the next n calls or all of them. */
export function recordingInvoker(): {
  readonly invoker: TargetInvoker;
  readonly calls: RecordedInvocation[];
  failNext(count: number, error?: Error): void;
  failAlways(error?: Error): void;
} {
  const calls: RecordedInvocation[] = [];
  let remainingFailures = 0;
  let failure: Error = new Error("target is down");
  return {
    calls,
    invoker: (target, input, context) => {
      calls.push({ target, input, context });
      if (remainingFailures > 0) {
        remainingFailures -= 1;
        return Promise.reject(failure);
      }
      return Promise.resolve();
    },
    failNext(count, error) {
      remainingFailures = count;
      if (error) failure = error;
    },
    failAlways(error) {
      remainingFailures = Number.POSITIVE_INFINITY;
      if (error) failure = error;
    },
  };
}

/** Sends a raw JSON 1.1 request, for what the SDK would refuse to send. */
export async function sendRawRequest(
  url: string,
  operation: string,
  body: string,
  method = "POST",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/`, {
    method,
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSEvents.${operation}` },
    ...(method === "GET" ? {} : { body }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The error a promise rejects with (fails the test if it resolves), so several calls can be awaited together. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/**
 * A target invoker whose targets (by Id) can be taken down and brought back: calls to a down target reject (a
 * retryable failure), calls to the others succeed. Successful and failed calls are recorded separately.
 */
export function switchableInvoker(): {
  readonly invoker: TargetInvoker;
  readonly delivered: RecordedInvocation[];
  readonly failed: RecordedInvocation[];
  readonly down: Set<string>;
} {
  const delivered: RecordedInvocation[] = [];
  const failed: RecordedInvocation[] = [];
  const down = new Set<string>();
  return {
    delivered,
    failed,
    down,
    invoker: (target, input, context) => {
      if (down.has(target.targetId)) {
        failed.push({ target, input, context });
        return Promise.reject(new Error(`target ${target.targetId} is down`));
      }
      delivered.push({ target, input, context });
      return Promise.resolve();
    },
  };
}

/** Polls `probe` until it returns something other than `undefined`; fails after `timeoutMs` (a hard limit, not a sleep). */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
