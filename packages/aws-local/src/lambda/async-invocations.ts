import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { readJsonFile, writeJsonFileAtomically } from "../json-files";
import { createLambdaContext, localFunctionArn } from "./lambda-context";
import type { LocalFunction } from "./lambda-invoke-service";
import { DEFAULT_LOCAL_REGION } from "../local-account";

/** A function's asynchronous invocation settings, as PutFunctionEventInvokeConfig sets them. */
export interface EventInvokeConfig {
  /** Retries after a failed attempt: 0-2, default 2 [Lambda: asynchronous invocation]. */
  readonly maximumRetryAttempts: number;
  /** How long an event may wait for an attempt: 60-21600 s, default 21600. */
  readonly maximumEventAgeSeconds: number;
  /** Where a failed invocation's record goes (an ARN); without one it is discarded, as on AWS. */
  readonly onFailureDestination: string | undefined;
}

export const DEFAULT_EVENT_INVOKE_CONFIG: EventInvokeConfig = {
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 21_600,
  onFailureDestination: undefined,
};

/** The record Lambda sends to an on-failure destination, as AWS writes it (version 1.0). */
export interface InvocationRecord {
  readonly version: "1.0";
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: "RetriesExhausted" | "EventAgeExceeded";
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  readonly responseContext: {
    readonly statusCode: number;
    readonly executedVersion: string;
    readonly functionError: "Unhandled";
  };
  readonly responsePayload: {
    readonly errorType: string;
    readonly errorMessage: string;
    readonly trace: readonly string[];
  };
}

/** One failed asynchronous invocation, kept where its on-failure destination would have received it. */
export interface AsyncInvocationFailure {
  /** The local store's id (an SQS destination would give a message id). */
  readonly id: string;
  readonly functionName: string;
  /** The on-failure destination's ARN (an SQS queue, SNS topic, …); locally a named store. */
  readonly destination: string;
  readonly record: InvocationRecord;
}

interface QueuedInvocation {
  readonly functionName: string;
  readonly payload: unknown;
  readonly requestId: string;
  readonly enqueuedAt: number;
}

/** An event-invoke config value Lambda would refuse. */
export class InvalidEventInvokeConfigError extends Error {
  override readonly name = "InvalidParameterValueException";
  readonly code = "InvalidParameterValueException";
}

export interface LocalAsyncInvocationsOptions {
  readonly region?: string;
  /**
   * Wait before each retry. Lambda waits about 1 minute, then 2; locally the default is 1 s,
   * then 2 s, so a retried invocation ends within a test's patience.
   */
  readonly retryDelaysMs?: readonly number[];
  readonly logger?: { warn(message: string): void };
  /**
   * Where kept failures live between runs (JSON, e.g. `<data>/lambda/async-failures.json`), as an
   * SQS destination keeps its messages. Absent: in memory only. Event-invoke configs are not kept:
   * whoever registers the functions puts them again.
   */
  readonly failuresFile?: string;
}

/**
 * Lambda's asynchronous invocation (`InvocationType: Event`) for in-process functions: the
 * event is queued and answered 202, the function runs in the background, a thrown error is
 * retried `maximumRetryAttempts` times, and then the invocation record (payload and error) goes
 * to the function's on-failure destination, where `listFailures` finds it. Without a
 * destination the failure is logged and discarded, as on AWS.
 */
export class LocalAsyncInvocations {
  private readonly configs = new Map<string, EventInvokeConfig>();
  private readonly failures = new Map<string, AsyncInvocationFailure>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly region: string;
  private readonly retryDelaysMs: readonly number[];
  private readonly logger: { warn(message: string): void };
  private closed = false;
  private readonly failuresFile: string | undefined;

  constructor(
    private readonly functions: ReadonlyMap<string, LocalFunction>,
    options: LocalAsyncInvocationsOptions = {},
  ) {
    this.region = options.region ?? DEFAULT_LOCAL_REGION;
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 2000];
    this.logger = options.logger ?? { warn: (message) => console.warn(`[local-lambda] ${message}`) };
    this.failuresFile = options.failuresFile;
    if (this.failuresFile) {
      mkdirSync(dirname(this.failuresFile), { recursive: true });
      const kept = readJsonFile(this.failuresFile);
      for (const failure of Array.isArray(kept) ? (kept as AsyncInvocationFailure[]) : [])
        this.failures.set(failure.id, failure);
    }
  }

  private saveFailures(): void {
    if (this.failuresFile) writeJsonFileAtomically(this.failuresFile, [...this.failures.values()]);
  }

  /** Sets a function's async settings (PutFunctionEventInvokeConfig: what is not given takes its default). */
  putEventInvokeConfig(functionName: string, config: Partial<EventInvokeConfig>): EventInvokeConfig {
    const merged = { ...DEFAULT_EVENT_INVOKE_CONFIG, ...config };
    if (
      !Number.isInteger(merged.maximumRetryAttempts) ||
      merged.maximumRetryAttempts < 0 ||
      merged.maximumRetryAttempts > 2
    ) {
      throw new InvalidEventInvokeConfigError(
        `MaximumRetryAttempts must be 0, 1 or 2, got ${merged.maximumRetryAttempts}`,
      );
    }
    if (
      !Number.isInteger(merged.maximumEventAgeSeconds) ||
      merged.maximumEventAgeSeconds < 60 ||
      merged.maximumEventAgeSeconds > 21_600
    ) {
      throw new InvalidEventInvokeConfigError(
        `MaximumEventAgeInSeconds must be 60-21600, got ${merged.maximumEventAgeSeconds}`,
      );
    }
    this.configs.set(functionName, merged);
    return merged;
  }

  /** A function's async settings; the defaults when none were put. */
  eventInvokeConfig(functionName: string): EventInvokeConfig {
    return this.configs.get(functionName) ?? DEFAULT_EVENT_INVOKE_CONFIG;
  }

  /** Forgets a function's settings: its invocations take the defaults again. */
  deleteEventInvokeConfig(functionName: string): boolean {
    return this.configs.delete(functionName);
  }

  /** True when settings were put for the function (GetFunctionEventInvokeConfig answers 404 otherwise). */
  hasEventInvokeConfig(functionName: string): boolean {
    return this.configs.has(functionName);
  }

  /** Queues one asynchronous invocation; returns its request id at once, as Lambda's 202 does. */
  invoke(functionName: string, payload: unknown): string {
    const requestId = randomUUID();
    this.scheduleAttempt({ functionName, payload, requestId, enqueuedAt: Date.now() }, 1, 0);
    return requestId;
  }

  private scheduleAttempt(invocation: QueuedInvocation, count: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      const run = this.runAttempt(invocation, count).finally(() => this.running.delete(run));
      this.running.add(run);
    }, delayMs);
    this.timers.add(timer);
  }

  private async runAttempt(invocation: QueuedInvocation, count: number): Promise<void> {
    const { functionName, payload, requestId, enqueuedAt } = invocation;
    const config = this.eventInvokeConfig(functionName);
    const fn = this.functions.get(functionName);
    let error: Error;
    try {
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${localFunctionArn(functionName, this.region)}`), {
          name: "ResourceNotFoundException",
        });
      await fn(payload, createLambdaContext(functionName, { region: this.region }));
      return;
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
    }
    const ageExceeded = Date.now() - enqueuedAt > config.maximumEventAgeSeconds * 1000;
    if (count <= config.maximumRetryAttempts && !ageExceeded && !this.closed) {
      this.scheduleAttempt(
        invocation,
        count + 1,
        this.retryDelaysMs[Math.min(count - 1, this.retryDelaysMs.length - 1)] ?? 0,
      );
      return;
    }
    const record: InvocationRecord = {
      version: "1.0",
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: `${localFunctionArn(functionName, this.region)}:$LATEST`,
        condition: ageExceeded ? "EventAgeExceeded" : "RetriesExhausted",
        approximateInvokeCount: count,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: error.name, errorMessage: error.message, trace: [] },
    };
    if (!config.onFailureDestination) {
      this.logger.warn(
        `async invocation ${requestId} of ${functionName} failed after ${count} attempt(s) and is discarded (no on-failure destination): ${error.name}: ${error.message}`,
      );
      return;
    }
    const id = randomUUID();
    this.failures.set(id, { id, functionName, destination: config.onFailureDestination, record });
    this.saveFailures();
  }

  /** Failed invocations kept by their on-failure destination, oldest first. */
  listFailures(
    filter: { readonly functionName?: string; readonly destination?: string } = {},
  ): AsyncInvocationFailure[] {
    return [...this.failures.values()].filter(
      (failure) =>
        (!filter.functionName || failure.functionName === filter.functionName) &&
        (!filter.destination || failure.destination === filter.destination),
    );
  }

  getFailure(id: string): AsyncInvocationFailure | undefined {
    return this.failures.get(id);
  }

  /** Removes a failure (after a redrive, or as a consumer of the destination would). */
  removeFailure(id: string): boolean {
    const removed = this.failures.delete(id);
    this.saveFailures();
    return removed;
  }

  /**
   * Runs a failed invocation's function once more with its payload, as a redrive from the
   * destination would: on success the failure is removed; on failure it stays, with the new
   * error and time, so the operator sees at once whether the fix worked.
   */
  async redriveFailure(
    id: string,
  ): Promise<{ readonly status: "delivered" | "failed" | "not-found"; readonly errorMessage?: string }> {
    const failure = this.failures.get(id);
    if (!failure) return { status: "not-found", errorMessage: `no failed invocation ${id}` };
    const fn = this.functions.get(failure.functionName);
    try {
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${localFunctionArn(failure.functionName, this.region)}`), {
          name: "ResourceNotFoundException",
        });
      await fn(failure.record.requestPayload, createLambdaContext(failure.functionName, { region: this.region }));
      this.removeFailure(id);
      return { status: "delivered" };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const { record } = failure;
      this.failures.set(id, {
        ...failure,
        record: {
          ...record,
          timestamp: new Date().toISOString(),
          requestContext: {
            ...record.requestContext,
            approximateInvokeCount: record.requestContext.approximateInvokeCount + 1,
          },
          responsePayload: { errorType: error.name, errorMessage: error.message, trace: [] },
        },
      });
      this.saveFailures();
      return { status: "failed", errorMessage: `${error.name}: ${error.message}` };
    }
  }

  /** Resolves when no attempt is running and none is waiting for its retry delay. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      // Only retries waiting: let their timers fire (a settled promise alone would spin here).
      if (this.running.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      else await Promise.allSettled([...this.running]);
    }
  }

  /** Drops waiting retries and lets running attempts finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
