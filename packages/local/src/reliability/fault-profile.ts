import type { FaultKind, FaultRule } from "../faults/index";

/** A subscriber taken down for a while, starting as a given wave is published. */
export interface PlannedOutage {
  readonly subscription: "audit-log" | "notifications" | "processor";
  readonly atWave: number;
  readonly durationMs: number;
}

export interface FaultProfile {
  readonly rules: Partial<Record<FaultKind, FaultRule>>;
  readonly outages: readonly PlannedOutage[];
}

/*
 * Burst lengths are chosen per layer of retries the fault has to get through: the SDK makes 3
 * attempts (4 for DynamoDB, 5 for the notifications' SES and SNS calls), the email log retries its record writes 3 times, the project's publisher makes 4
 * PutEvents attempts, and a function that throws is run 3 times by Lambda (1 + the function's 2 async retries)
 * before its on-failure store. Short bursts are absorbed by the SDK, middle ones fail the handler and are retried
 * by Lambda, and the long ones outlast every retry and end in the on-failure store, to be redriven. A refused
 * invoke (`lambda-throttle`) is EventBridge's to retry: 9 times (the rule target's 8 retries), then the rule's
 * dead-letter queue.
 */
const DYNAMODB_BURSTS = [1, 1, 1, 2, 2, 3, 3, 4, 6, 30];
const CALCULATE_COST_BURSTS = [1, 1, 2, 3, 10];
const PUT_EVENTS_TOTAL_BURSTS = [1, 2, 3, 4, 13];
const PUT_EVENTS_PARTIAL_BURSTS = [1, 1, 2, 3, 5];
const NOTIFICATION_BURSTS = [1, 1, 2, 3, 3, 4, 30];
const CRASH_BURSTS = [1, 1, 1, 2, 12];
const LAMBDA_THROTTLE_BURSTS = [1, 1, 2, 4, 12];

/**
 * The faults of a reliability run: every kind at once, at rates that hit a few percent of the
 * calls of each kind, plus subscriber outages (one per subscriber every ~150 orders, the first
 * early on). Outage waves are spread over the run from `waves`.
 */
export function defaultFaultProfile(waves: number): FaultProfile {
  const outages: PlannedOutage[] = [];
  const perSubscriber = Math.max(1, Math.round(waves / 8));
  for (let index = 0; index < perSubscriber; index++) {
    const span = waves / perSubscriber;
    outages.push({ subscription: "audit-log", atWave: Math.floor(span * index + span * 0.25), durationMs: 150 });
    outages.push({ subscription: "notifications", atWave: Math.floor(span * index + span * 0.6), durationMs: 150 });
  }
  return {
    rules: {
      "dynamodb-throttle": { probability: 0.01, burst: DYNAMODB_BURSTS },
      "dynamodb-5xx": { probability: 0.005, burst: DYNAMODB_BURSTS },
      "calculate-cost-error": { probability: 0.04, burst: CALCULATE_COST_BURSTS },
      "calculate-cost-timeout": { probability: 0.02, burst: CALCULATE_COST_BURSTS },
      "put-events-partial": { probability: 0.03, burst: PUT_EVENTS_PARTIAL_BURSTS },
      "put-events-total": { probability: 0.02, burst: PUT_EVENTS_TOTAL_BURSTS },
      "ses-failure": { probability: 0.05, burst: NOTIFICATION_BURSTS },
      // A send without an answer is never retried: each makes an uncertain email, for SES events or the sweep.
      "ses-answer-lost": { probability: 0.03 },
      "ses-request-lost": { probability: 0.03 },
      "sns-failure": { probability: 0.05, burst: NOTIFICATION_BURSTS },
      "crash-after-order-write": { probability: 0.03, burst: CRASH_BURSTS },
      "crash-before-publish": { probability: 0.03, burst: CRASH_BURSTS },
      "lambda-throttle": { probability: 0.02, burst: LAMBDA_THROTTLE_BURSTS },
    },
    outages,
  };
}
