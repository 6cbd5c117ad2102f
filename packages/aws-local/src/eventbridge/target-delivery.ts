import { randomUUID } from "node:crypto";
import type { DeadLetter, DeadLetterStore, ExhaustedRetryCondition } from "./dead-letter-store";
import type { EventEnvelope } from "./event-envelope";
import type { Target } from "./eventbridge-shapes";
import type { PendingWork } from "./pending-work";

/** Defaults of a target's `RetryPolicy`: 185 retries within 24 hours. [semantics §8, DOC rule-dlq] */
export const DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 185;
export const DEFAULT_MAXIMUM_EVENT_AGE_SECONDS = 86_400;
/** ERROR_CODE recorded when an invoker throws something other than a {@link TargetInvocationError}. */
export const DEFAULT_DELIVERY_ERROR_CODE = "SDK_CLIENT_ERROR";

export interface TargetReference {
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly targetId: string;
}

export interface TargetInvocationContext {
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly deliveryAttempt: number;
  /** The original event, whatever input transformation the target has. */
  readonly event: EventEnvelope;
  readonly eventBusName: string;
  readonly ruleName: string;
}

/**
 * Delivers one event to one target (the local runtime maps Lambda ARNs to in-process handlers). A rejection is a
 * failed attempt and is retried; reject with a {@link TargetInvocationError} whose `retryable` is false for failures
 * that retrying cannot fix.
 *
 * Trap for Lambda targets: EventBridge invokes Lambda asynchronously, so on AWS a *function* error is retried by
 * Lambda (two more runs, 1 and 2 minutes apart, then the function's own DLQ or on-failure destination), and
 * EventBridge's RetryPolicy/DeadLetterConfig only cover failing to hand the event to Lambda (throttling, missing
 * function or permission). The local Lambda invoker (`lambda/lambda-target-invoker.ts`) resolves once the local
 * Lambda queued the event, and rejects only for a refused invoke. [semantics §13]
 */
export type TargetInvoker = (
  target: TargetReference,
  input: unknown,
  context: TargetInvocationContext,
) => Promise<void>;

/**
 * A delivery failure with an AWS `ERROR_CODE` (`NO_RESOURCE`, `NO_PERMISSIONS`, `THROTTLING`, `TIMEOUT`, ...).
 * Non-retryable failures (a missing target, missing permissions) skip the retries and go straight to the dead-letter
 * store, as on AWS. [semantics §8, DOC rule-dlq]
 */
export class TargetInvocationError extends Error {
  override readonly name = "TargetInvocationError";
  readonly errorCode: string;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: { readonly errorCode: string; readonly retryable: boolean; readonly cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.errorCode = options.errorCode;
    this.retryable = options.retryable;
  }
}

export interface DeliveryJob {
  readonly event: EventEnvelope;
  readonly input: unknown;
  readonly eventBusName: string;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly targetId: string;
  readonly targetArn: string;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
  /** Where the event goes when delivery gives up; `undefined`: it is dropped. */
  readonly deadLetterArn?: string | undefined;
  /** When the bus received the event (recorded in dead letters). */
  readonly ingestionTime: Date;
  /** Where `MaximumEventAgeInSeconds` counts from; the ingestion time except for redeliveries. */
  readonly ageOrigin: Date;
}

/** What a delivery job takes from the event and its rule; the rest comes from the target. */
export type DeliveryOrigin = Omit<
  DeliveryJob,
  "targetId" | "targetArn" | "maximumRetryAttempts" | "maximumEventAgeSeconds" | "deadLetterArn"
>;

/** The delivery of an event to `target`, with the target's RetryPolicy (AWS's defaults where absent) and DeadLetterConfig. */
export function deliveryJobFor(target: Target, origin: DeliveryOrigin): DeliveryJob {
  // Every member written out, in one order: jobs are made per event and target, and spreads made this the hot spot.
  return {
    event: origin.event,
    input: origin.input,
    eventBusName: origin.eventBusName,
    ruleName: origin.ruleName,
    ruleArn: origin.ruleArn,
    targetId: target.Id,
    targetArn: target.Arn,
    maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
    maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
    deadLetterArn: target.DeadLetterConfig?.Arn,
    ingestionTime: origin.ingestionTime,
    ageOrigin: origin.ageOrigin,
  };
}

export type DeliveryOutcome =
  | { readonly status: "delivered"; readonly attempts: number }
  | { readonly status: "dead-lettered"; readonly deadLetter: DeadLetter }
  | { readonly status: "dropped"; readonly attempts: number; readonly error: unknown }
  | { readonly status: "cancelled"; readonly attempts: number };

export interface DeliveryStatistics {
  readonly delivered: number;
  readonly failedAttempts: number;
  readonly deadLettered: number;
  readonly droppedAfterFailure: number;
}

/** One attempt of a delivery, as a {@link DeliveryObserver} sees it. */
export interface DeliveryAttemptRecord {
  readonly job: DeliveryJob;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** Wall-clock time (not the bus's injected clock). */
  readonly startedAt: Date;
  readonly durationMs: number;
  /** What the attempt failed with; absent when the target took the event. */
  readonly error?: unknown;
}

/** Watches deliveries (a console, a test): told after every attempt and when a delivery settles. */
export interface DeliveryObserver {
  attemptEnded(record: DeliveryAttemptRecord): void;
  settled(job: DeliveryJob, outcome: DeliveryOutcome): void;
}

export interface TargetDeliveryOptions {
  readonly invoker: TargetInvoker;
  /** Told about every attempt and outcome; must not throw. */
  readonly observer?: DeliveryObserver;
  readonly deadLetters: DeadLetterStore;
  readonly pending: PendingWork;
  readonly warn: (message: string, details?: Record<string, unknown>) => void;
  /** Gets one short line per failed attempt. */
  readonly attemptFailed: (message: string, details?: Record<string, unknown>) => void;
  /** Gets each failed attempt's full error (stack and causes); absent, it is only printed once, at dead-letter. */
  readonly debug?: (message: string, details?: Record<string, unknown>) => void;
  readonly now: () => number;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly random: () => number;
}

/** Runs deliveries with AWS's retry policy: exponential backoff with jitter, then dead-letter or drop. */
export class TargetDelivery {
  private readonly scheduledRetries = new Map<NodeJS.Timeout, () => void>();
  private statistics: DeliveryStatistics = { delivered: 0, failedAttempts: 0, deadLettered: 0, droppedAfterFailure: 0 };

  constructor(private readonly options: TargetDeliveryOptions) {}

  /** Starts delivering `job`; the promise settles (never rejects) when it is delivered, dead-lettered or dropped. */
  deliver(job: DeliveryJob): Promise<DeliveryOutcome> {
    const end = this.options.pending.begin();
    return new Promise<DeliveryOutcome>((resolve) => {
      const finish = (outcome: DeliveryOutcome): void => {
        this.options.observer?.settled(job, outcome);
        resolve(outcome);
        end();
      };
      this.run(job, 1, finish);
    });
  }

  getStatistics(): DeliveryStatistics {
    return { ...this.statistics };
  }

  /** Cancels every scheduled retry (their deliveries end as `cancelled`). */
  cancelScheduledRetries(): void {
    for (const [timer, cancel] of this.scheduledRetries) {
      clearTimeout(timer);
      cancel();
    }
    this.scheduledRetries.clear();
  }

  /** Runs one attempt; a failure of the delivery machinery itself (a throwing logger) ends the delivery. */
  private run(job: DeliveryJob, attempt: number, finish: (outcome: DeliveryOutcome) => void): void {
    this.attempt(job, attempt, finish).catch((error: unknown) => {
      console.error(`[local-eventbridge] delivery of event ${job.event.id} to target ${job.targetId} failed:`, error);
      finish({ status: "dropped", attempts: attempt, error });
    });
  }

  private async attempt(job: DeliveryJob, attempt: number, finish: (outcome: DeliveryOutcome) => void): Promise<void> {
    const target: TargetReference = { ruleArn: job.ruleArn, targetArn: job.targetArn, targetId: job.targetId };
    const context: TargetInvocationContext = {
      deliveryAttempt: attempt,
      event: job.event,
      eventBusName: job.eventBusName,
      ruleName: job.ruleName,
    };
    // Wall-clock readings only: the injected clock is the bus's notion of time, and tests count its readings.
    const startedAt = Date.now();
    const started = performance.now();
    const observe = (error?: unknown) =>
      this.options.observer?.attemptEnded({
        job,
        attempt,
        startedAt: new Date(startedAt),
        durationMs: performance.now() - started,
        ...(error === undefined ? {} : { error }),
      });
    try {
      await this.options.invoker(target, job.input, context);
      observe();
      this.count("delivered");
      finish({ status: "delivered", attempts: attempt });
      return;
    } catch (error) {
      observe(error ?? "failed");
      this.count("failedAttempts");
      this.reportFailedAttempt(job, attempt, error);
      const retries = attempt - 1;
      if (error instanceof TargetInvocationError && !error.retryable) {
        finish(this.giveUp(job, error, retries, undefined));
        return;
      }
      if (retries >= job.maximumRetryAttempts) {
        finish(this.giveUp(job, error, retries, "MaximumRetryAttempts"));
        return;
      }
      const delay = this.backoffDelay(attempt);
      if (this.options.now() + delay - job.ageOrigin.getTime() > job.maximumEventAgeSeconds * 1000) {
        finish(this.giveUp(job, error, retries, "MaximumEventAgeInSeconds"));
        return;
      }
      const timer = setTimeout(() => {
        this.scheduledRetries.delete(timer);
        this.run(job, attempt + 1, finish);
      }, delay);
      this.scheduledRetries.set(timer, () => finish({ status: "cancelled", attempts: attempt }));
    }
  }

  /**
   * One short line per failed attempt (a target failing 185 retries must not print 185 stacks); the full
   * error goes to `debug` when there is one, and is printed once when the event is given up on.
   */
  private reportFailedAttempt(job: DeliveryJob, attempt: number, error: unknown): void {
    const details = { eventId: job.event.id, ruleName: job.ruleName, targetId: job.targetId, attempt };
    this.options.attemptFailed(describeFailedAttempt(job, attempt, error), details);
    this.options.debug?.(
      `Delivery attempt ${attempt} of event ${job.event.id} failed with: ${describeErrorInFull(error)}`,
      details,
    );
  }

  /** Exponential backoff with "equal jitter": half the capped delay plus a random part of the other half. */
  private backoffDelay(failedAttempt: number): number {
    const exponential = this.options.retryBaseDelayMs * 2 ** Math.min(failedAttempt - 1, 30);
    const capped = Math.min(exponential, this.options.retryMaxDelayMs);
    return capped / 2 + this.options.random() * (capped / 2);
  }

  private giveUp(
    job: DeliveryJob,
    error: unknown,
    retries: number,
    condition: ExhaustedRetryCondition | undefined,
  ): DeliveryOutcome {
    const errorName = error instanceof Error ? error.name : typeof error;
    const errorMessage = error instanceof Error ? error.message : String(error);
    const errorCode = error instanceof TargetInvocationError ? error.errorCode : DEFAULT_DELIVERY_ERROR_CODE;
    const why = condition
      ? `after ${retries} retries (${condition} reached)`
      : `without retrying (${errorCode} is not retryable)`;
    const details = { eventId: job.event.id, ruleArn: job.ruleArn, targetId: job.targetId, targetArn: job.targetArn };
    if (job.deadLetterArn === undefined) {
      this.count("droppedAfterFailure");
      this.options.warn(
        `EventBridge dropped event ${job.event.id} for target ${job.targetId} (${job.targetArn}) of rule ${job.ruleName} ` +
          `${why}. Give the target a DeadLetterConfig to keep undeliverable events. Last error: ${describeErrorInFull(error)}`,
        details,
      );
      return { status: "dropped", attempts: retries + 1, error };
    }
    const deadLetter: DeadLetter = {
      id: randomUUID(),
      event: job.event,
      input: job.input,
      eventBusName: job.eventBusName,
      ruleName: job.ruleName,
      ruleArn: job.ruleArn,
      targetId: job.targetId,
      targetArn: job.targetArn,
      deadLetterArn: job.deadLetterArn,
      errorName,
      errorMessage,
      errorCode,
      ...(condition ? { exhaustedRetryCondition: condition } : {}),
      retryAttempts: retries,
      ingestionTime: job.ingestionTime,
      time: new Date(this.options.now()),
    };
    this.count("deadLettered");
    try {
      this.options.deadLetters.add(deadLetter);
    } catch (listenerError) {
      this.options.warn(`A dead-letter listener failed: ${String(listenerError)}`, details);
    }
    this.options.warn(
      `EventBridge could not deliver event ${job.event.id} to target ${job.targetId} (${job.targetArn}) of rule ` +
        `${job.ruleName} ${why}. Kept as dead letter ${deadLetter.id} (${job.deadLetterArn}). Last error: ${describeErrorInFull(error)}`,
      { ...details, deadLetterId: deadLetter.id },
    );
    return { status: "dead-lettered", deadLetter };
  }

  private count(key: keyof DeliveryStatistics): void {
    this.statistics = { ...this.statistics, [key]: this.statistics[key] + 1 };
  }
}

/** Longest error message a per-attempt line quotes; the full error is printed at dead-letter. */
const ATTEMPT_MESSAGE_LIMIT = 300;

/**
 * The per-attempt line: rule, target, attempt n of m, the order when the event names one, and the error's
 * name and message (shortened), e.g.
 * `Delivery attempt 2 of 4 failed: rule payment3-dev-processor, target processor, event 1b2c..., order 7000001: CostCalculationError: ...`.
 */
export function describeFailedAttempt(
  job: Pick<DeliveryJob, "event" | "ruleName" | "targetId" | "maximumRetryAttempts">,
  attempt: number,
  error: unknown,
): string {
  const orderId = orderIdOf(job.event);
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const oneLine = message.replace(/\s+/g, " ");
  const short = oneLine.length > ATTEMPT_MESSAGE_LIMIT ? `${oneLine.slice(0, ATTEMPT_MESSAGE_LIMIT)}…` : oneLine;
  return (
    `Delivery attempt ${attempt} of ${job.maximumRetryAttempts + 1} failed: rule ${job.ruleName}, target ${job.targetId}, ` +
    `event ${job.event.id}${orderId === undefined ? "" : `, order ${orderId}`}: ${short}`
  );
}

/** The error with its stack and its chain of causes, for the one line that reports a given-up event. */
export function describeErrorInFull(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth += 1) {
    if (!(current instanceof Error)) {
      parts.push(String(current));
      break;
    }
    parts.push(current.stack ?? `${current.name}: ${current.message}`);
    current = current.cause;
  }
  return parts.join("\nCaused by: ");
}

function orderIdOf(event: EventEnvelope): string | undefined {
  const detail = event.detail as { orderId?: unknown } | null | undefined;
  const orderId = typeof detail === "object" && detail !== null ? detail.orderId : undefined;
  return typeof orderId === "string" || typeof orderId === "number" ? String(orderId) : undefined;
}
