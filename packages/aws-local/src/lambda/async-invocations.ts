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

/**
 * Lambda refused to queue an asynchronous invocation: the Invoke call itself failed (a missing function, throttling,
 * a service error), so the caller (EventBridge, for a rule target) sees the error and applies its own retries.
 * `name` is Lambda's error type (`TooManyRequestsException`, `ResourceNotFoundException`, ...).
 */
export class AsyncInvokeRejectedError extends Error {
  readonly code: string;
  constructor(
    errorType: string,
    /** The HTTP status Lambda answers with: 404 missing function, 429 throttled, 5xx service error. */
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = errorType;
    this.code = errorType;
  }

  /** Whether a caller's retry can succeed: throttling and service errors, not a missing function or permission. */
  get retryable(): boolean {
    return this.statusCode === 429 || this.statusCode >= 500;
  }
}

/** Decides whether an asynchronous Invoke is refused before Lambda queues it (fault injection); `undefined` queues it. */
export type AsyncInvokeFaultHook = (request: {
  readonly functionName: string;
  readonly payload: unknown;
}) => AsyncInvokeRejectedError | undefined;

/** Hears what happens to one queued invocation after it was accepted (a rule target's delivery log, say). */
export interface AsyncInvocationObserver {
  /** A run failed; Lambda retries it unless `attempt` reached `maximumAttempts` or the event is too old. */
  attemptFailed?(failure: { readonly attempt: number; readonly maximumAttempts: number; readonly error: Error }): void;
  /** Lambda gave up: the record went to the on-failure destination (`kept`), or was discarded without one. */
  gaveUp?(outcome: {
    readonly record: InvocationRecord;
    readonly error: Error;
    readonly kept: AsyncInvocationFailure | undefined;
  }): void;
}

/** One run of a function for an asynchronous invocation, as a run listener hears of it once the run ended. */
export interface AsyncFunctionRun {
  readonly functionName: string;
  readonly payload: unknown;
  /** 1 for the first run, 2 and 3 for Lambda's retries. */
  readonly attempt: number;
  /** What the run threw; undefined when it returned. */
  readonly error: Error | undefined;
  /** The run failed and Lambda will run it again; false when it returned or Lambda gives up now. */
  readonly willRetry: boolean;
}

/** Counts work in flight so a caller's `whenIdle` also waits for queued invocations and their retries. */
export interface AsyncWorkTracker {
  /** Marks one invocation as started; the returned function is called once when it ends. */
  begin(): () => void;
}

/** What a redrive of kept failures did to one of them. */
export interface FailureRedriveResult {
  readonly failureId: string;
  readonly status: "delivered" | "failed" | "not-found";
  readonly functionName?: string;
  readonly requestId?: string;
  readonly errorMessage?: string;
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
  /** By the clock: where `MaximumEventAgeInSeconds` counts from. */
  readonly enqueuedAt: number;
  readonly observer: AsyncInvocationObserver | undefined;
  /** Ends this invocation's unit of tracked work. */
  readonly end: () => void;
  /** The error of the last failed run, for a record written when the event ages out before its retry. */
  lastError?: Error;
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
   * then 2 s, so a retried invocation ends within a test's patience (tests pass a few ms).
   */
  readonly retryDelaysMs?: readonly number[];
  /** Event age, record timestamps. Default: the system clock; tests advance their own to age events out. */
  readonly clock?: () => Date;
  /** Told of every accepted invocation until it ends (the local EventBridge's pending work, so its `whenIdle` covers them). */
  readonly pending?: AsyncWorkTracker;
  /** Refuses chosen invocations before they are queued, as a throttled or failing Lambda would (tests only). */
  readonly invokeFaults?: AsyncInvokeFaultHook;
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
  private readonly runListeners = new Set<(run: AsyncFunctionRun) => void>();
  private readonly configs = new Map<string, EventInvokeConfig>();
  private readonly failures = new Map<string, AsyncInvocationFailure>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Map<NodeJS.Timeout, QueuedInvocation>();
  private readonly region: string;
  private readonly retryDelaysMs: readonly number[];
  private readonly logger: { warn(message: string): void };
  private closed = false;
  private readonly failuresFile: string | undefined;
  private readonly now: () => number;
  private readonly pending: AsyncWorkTracker | undefined;
  private readonly invokeFaults: AsyncInvokeFaultHook | undefined;

  constructor(
    private readonly functions: ReadonlyMap<string, LocalFunction>,
    options: LocalAsyncInvocationsOptions = {},
  ) {
    this.region = options.region ?? DEFAULT_LOCAL_REGION;
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 2000];
    this.logger = options.logger ?? { warn: (message) => console.warn(`[local-lambda] ${message}`) };
    this.failuresFile = options.failuresFile;
    const clock = options.clock ?? (() => new Date());
    this.now = () => clock().getTime();
    this.pending = options.pending;
    this.invokeFaults = options.invokeFaults;
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

  /**
   * Queues one asynchronous invocation and returns its request id at once, as Lambda's 202 does. Throws
   * {@link AsyncInvokeRejectedError} when Lambda would refuse the call itself: no such function, or an injected
   * fault. `observer` hears each failed run and the end of the retries.
   */
  invoke(functionName: string, payload: unknown, observer?: AsyncInvocationObserver): string {
    const refused = this.invokeFaults?.({ functionName, payload });
    if (refused) throw refused;
    if (!this.functions.has(functionName))
      throw new AsyncInvokeRejectedError(
        "ResourceNotFoundException",
        404,
        `Function not found: ${localFunctionArn(functionName, this.region)}`,
      );
    const requestId = randomUUID();
    const end = this.pending?.begin() ?? (() => undefined);
    this.scheduleAttempt({ functionName, payload, requestId, enqueuedAt: this.now(), observer, end }, 1, 0);
    return requestId;
  }

  private scheduleAttempt(invocation: QueuedInvocation, count: number, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) {
        invocation.end();
        return;
      }
      const run = this.runAttempt(invocation, count)
        .catch((error: unknown) => {
          // The machinery failed (writing the failures file, say): the invocation ends here, so whenIdle cannot hang.
          this.logger.warn(`async invocation ${invocation.requestId} failed: ${String(error)}`);
          invocation.end();
        })
        .finally(() => {
          this.running.delete(run);
        });
      this.running.add(run);
    }, delayMs);
    this.timers.set(timer, invocation);
  }

  /**
   * Calls `listener` after every run of every function for an asynchronous invocation (a rule target's too), once it
   * returned or threw: what an observer of the function's effects (the local console's order history) waits for,
   * since a Lambda target's delivery ends when the event is queued, before the function runs. Returns the unsubscribe.
   */
  onRunEnded(listener: (run: AsyncFunctionRun) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  private runEnded(run: AsyncFunctionRun): void {
    for (const listener of this.runListeners) {
      try {
        listener(run);
      } catch (error) {
        this.logger.warn(`an async function-run listener failed: ${String(error)}`);
      }
    }
  }

  private async runAttempt(invocation: QueuedInvocation, count: number): Promise<void> {
    const { functionName, payload } = invocation;
    const config = this.eventInvokeConfig(functionName);
    // Lambda checks an event's age when it takes it from the queue: one too old is not run again.
    if (count > 1 && this.now() - invocation.enqueuedAt > config.maximumEventAgeSeconds * 1000) {
      this.giveUp(invocation, count - 1, invocation.lastError ?? new Error("event too old"), "EventAgeExceeded");
      return;
    }
    const fn = this.functions.get(functionName);
    let error: Error;
    try {
      if (!fn)
        throw Object.assign(new Error(`Function not found: ${localFunctionArn(functionName, this.region)}`), {
          name: "ResourceNotFoundException",
        });
      await fn(payload, createLambdaContext(functionName, { region: this.region }));
      this.runEnded({ functionName, payload, attempt: count, error: undefined, willRetry: false });
      invocation.end();
      return;
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
    }
    invocation.lastError = error;
    const maximumAttempts = config.maximumRetryAttempts + 1;
    this.runEnded({ functionName, payload, attempt: count, error, willRetry: count < maximumAttempts && !this.closed });
    try {
      invocation.observer?.attemptFailed?.({ attempt: count, maximumAttempts, error });
    } catch (observerError) {
      this.logger.warn(`an async invocation observer failed: ${String(observerError)}`);
    }
    if (count < maximumAttempts && !this.closed) {
      const delay = this.retryDelaysMs[Math.min(count - 1, this.retryDelaysMs.length - 1)] ?? 0;
      this.scheduleAttempt(invocation, count + 1, delay);
      return;
    }
    this.giveUp(invocation, count, error, "RetriesExhausted");
  }

  /** Writes the invocation record for the on-failure destination (or discards it without one), as Lambda does. */
  private giveUp(
    invocation: QueuedInvocation,
    invokeCount: number,
    error: Error,
    condition: InvocationRecord["requestContext"]["condition"],
  ): void {
    const { functionName, payload, requestId, observer } = invocation;
    const config = this.eventInvokeConfig(functionName);
    const record: InvocationRecord = {
      version: "1.0",
      timestamp: new Date(this.now()).toISOString(),
      requestContext: {
        requestId,
        functionArn: `${localFunctionArn(functionName, this.region)}:$LATEST`,
        condition,
        approximateInvokeCount: invokeCount,
      },
      requestPayload: payload,
      responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
      responsePayload: { errorType: error.name, errorMessage: error.message, trace: [] },
    };
    let kept: AsyncInvocationFailure | undefined;
    if (config.onFailureDestination) {
      kept = { id: randomUUID(), functionName, destination: config.onFailureDestination, record };
      this.failures.set(kept.id, kept);
      this.saveFailures();
    }
    try {
      if (observer?.gaveUp) observer.gaveUp({ record, error, kept });
      else if (!kept)
        this.logger.warn(
          `async invocation ${requestId} of ${functionName} failed after ${invokeCount} attempt(s) and is discarded (no on-failure destination): ${error.name}: ${error.message}`,
        );
    } finally {
      invocation.end();
    }
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
          timestamp: new Date(this.now()).toISOString(),
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

  /**
   * Redrives kept failures one after the other (see {@link redriveFailure}): the given ids (unknown ones are
   * reported `not-found`), or else every failure of `functionName` / `destination` (all when neither is given).
   */
  async redriveFailures(
    selection: { readonly ids?: readonly string[]; readonly functionName?: string; readonly destination?: string } = {},
  ): Promise<{ readonly results: FailureRedriveResult[]; readonly delivered: number; readonly failed: number }> {
    const { ids, ...filter } = selection;
    const chosen = ids ?? this.listFailures(filter).map((failure) => failure.id);
    const results: FailureRedriveResult[] = [];
    for (const failureId of chosen) {
      const failure = this.failures.get(failureId);
      const outcome = await this.redriveFailure(failureId);
      results.push({
        failureId,
        status: outcome.status,
        ...(failure ? { functionName: failure.functionName, requestId: failure.record.requestContext.requestId } : {}),
        ...(outcome.errorMessage ? { errorMessage: outcome.errorMessage } : {}),
      });
    }
    const delivered = results.filter((result) => result.status === "delivered").length;
    return { results, delivered, failed: results.length - delivered };
  }

  /** Resolves when no attempt is running and none is waiting for its retry delay. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      // Only retries waiting: let their timers fire (a settled promise alone would spin here).
      if (this.running.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      else await Promise.allSettled([...this.running]);
    }
  }

  /** Drops waiting retries (they are lost, as nothing keeps Lambda's queue between runs) and lets running attempts finish. */
  async close(): Promise<void> {
    this.closed = true;
    for (const [timer, invocation] of this.timers) {
      clearTimeout(timer);
      invocation.end();
    }
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
