import type { FailureReason } from "@payment3/events";
import type { CostCalculationFailureKind } from "../cost/cost-calculator";

/**
 * The CloudWatch namespace of the business metrics. Every data point also carries the
 * dimensions `service` (the function's Powertools service name, `payment3-<subscription>`) and
 * `stage`, so two stages in one account never share a metric.
 */
export const BUSINESS_METRICS_NAMESPACE = "payment3";

/**
 * The business figures the functions count, one data point (value 1, unit Count) per occurrence: the catalogue,
 * read by the alarms, the tests and the local status. Counting code names a metric by its literal (`"EmailSent"`),
 * which `BusinessMetricName` checks, so a function's bundle does not carry this whole table.
 */
export const BUSINESS_METRIC = {
  /** The processor received a WalletPaymentConfirmed delivery (valid or not). */
  confirmationReceived: "ConfirmationReceived",
  /** The processor applied a payment and published OrderPaid. */
  orderPaid: "OrderPaid",
  /** The processor published OrderPaymentFailed; dimension `reason` (one metric per reason). */
  orderPaymentFailed: "OrderPaymentFailed",
  /** A delivery of something already decided or notified: nothing was done again. */
  redeliveryRecognised: "RedeliveryRecognised",
  /** SES accepted the customer email. */
  emailSent: "EmailSent",
  /** SES refused the customer email (unverified sender, sandbox, rejected address): recorded `failed`, never retried. */
  emailRefused: "EmailRefused",
  /** The order has no customer address: no email. */
  emailSkipped: "EmailSkipped",
  /**
   * An earlier attempt may have sent the SNS message (or an email without the email-log tag): recorded `uncertain`,
   * a person must check. An uncertain tagged email is counted as EmailUncertain instead: SES events or the sweep settle it.
   */
  notificationUncertain: "NotificationUncertain",
  /** An earlier attempt may have sent the email: recorded `uncertain`, awaiting an SES event of it or the sweep. */
  emailUncertain: "EmailUncertain",
  /** The uncertain-email sweep sent an email no SES event had proved sent within the window. */
  emailResentBySweep: "EmailResentBySweep",
  /** SES reported a bounce of a customer email (permanent or transient). */
  emailBounced: "EmailBounced",
  /** A customer marked a payment email as spam (SES complaint). */
  emailComplained: "EmailComplained",
  /**
   * SES accepted a customer email and did not send it, the address being on its suppression list (an earlier hard
   * bounce or complaint): the email-log row is now `suppressed`. Not counted in `EmailBounced`.
   */
  emailSuppressed: "EmailSuppressed",
  /** An email recorded `uncertain` was proved sent by an SES event. */
  uncertainEmailResolved: "UncertainEmailResolved",
  /** The payment-notifications topic accepted the message. */
  snsPublished: "SnsPublished",
  /** A calculate-cost call failed; dimension `kind` (how: invoke, function error, error status, bad answer). */
  calculateCostFailed: "CalculateCostFailed",
} as const;

export type BusinessMetricName = (typeof BUSINESS_METRIC)[keyof typeof BUSINESS_METRIC];

/** Dimensions a count adds to `service` and `stage`. */
export type BusinessMetricDimensions = {
  readonly reason?: FailureReason;
  readonly kind?: CostCalculationFailureKind;
};

/** The business figures the functions measure, one data point per occurrence with its value. */
export const BUSINESS_MEASUREMENT = {
  /** How long one calculate-cost call took, answered or failed (its sample count is the number of calls). */
  calculateCostLatency: "CalculateCostLatency",
} as const;

export type BusinessMeasurementName = (typeof BUSINESS_MEASUREMENT)[keyof typeof BUSINESS_MEASUREMENT];

/** The units a measurement is written in (CloudWatch's names). */
export type BusinessMeasurementUnit = "Milliseconds";

/**
 * Where the business figures go. On Lambda, CloudWatch embedded metric format lines in the
 * function's log (`createEmfBusinessMetrics`, in `@payment3/functions`): no API call, nothing to fail.
 * A count must never throw into the business path.
 */
export interface BusinessMetrics {
  count(name: BusinessMetricName, dimensions?: BusinessMetricDimensions): void;
  /** One data point of a measured figure (a latency), in `unit`. */
  record(name: BusinessMeasurementName, value: number, unit: BusinessMeasurementUnit): void;
}

/** Counts nothing: the default where no metrics port is wired (most tests). */
export const uncountedBusinessMetrics: BusinessMetrics = { count: () => {}, record: () => {} };

/** A measured figure's data points since start, summarised. */
export interface MeasurementSummary {
  readonly unit: BusinessMeasurementUnit;
  /** Data points recorded (for a latency: calls). */
  readonly count: number;
  readonly mean: number;
  /** The median of the latest 10,000 data points (the lower middle one of an even count). */
  readonly p50: number;
  readonly max: number;
}

/** Business metrics kept in memory: counts since start, keyed `Name` or `Name reason=REASON`, and measurements by name. */
export interface BusinessMetricsCounter extends BusinessMetrics {
  /** When counting started. */
  readonly since: Date;
  counts(): Readonly<Record<string, number>>;
  measurements(): Readonly<Record<string, MeasurementSummary>>;
}

/**
 * An in-memory counter of the business metrics: the tests' port, and the local runtime's, which
 * every subscription shares and `payment3 status` reads (counts since start). It keeps every
 * measured value, one number per call: fine for a local run, not for a long-lived process.
 */
export function createBusinessMetricsCounter(now: () => Date = () => new Date()): BusinessMetricsCounter {
  const counts: Record<string, number> = {};
  const values: Record<string, RecordedMeasurement> = {};
  return {
    since: now(),
    count(name, dimensions = {}) {
      const key = [name, ...Object.entries(dimensions).map(([dimension, value]) => `${dimension}=${value}`)].join(" ");
      counts[key] = (counts[key] ?? 0) + 1;
    },
    record(name, value, unit) {
      const recorded = values[name] ?? { unit, count: 0, sum: 0, max: value, values: [] };
      recorded.count += 1;
      recorded.sum += value;
      recorded.max = Math.max(recorded.max, value);
      // A long `npm start` must not grow without bound: the median is of the latest values.
      if (recorded.values.push(value) > MEDIAN_WINDOW) recorded.values.shift();
      values[name] = recorded;
    },
    counts: () => ({ ...counts }),
    measurements: () =>
      Object.fromEntries(Object.entries(values).map(([name, recorded]) => [name, summarise(recorded)])),
  };
}

/** How many of the latest data points the in-memory median is taken over. */
const MEDIAN_WINDOW = 10_000;

interface RecordedMeasurement {
  readonly unit: BusinessMeasurementUnit;
  count: number;
  sum: number;
  max: number;
  /** The latest MEDIAN_WINDOW data points. */
  readonly values: number[];
}

function summarise({ unit, count, sum, max, values }: RecordedMeasurement): MeasurementSummary {
  const sorted = [...values].sort((a, b) => a - b);
  return { unit, count, mean: sum / count, p50: sorted[Math.floor((sorted.length - 1) / 2)]!, max };
}

/**
 * A business metric an alarm watches: a count above 0 in five minutes means money or a
 * customer message needs a person. The stacks create one alarm per entry; the functions' tests
 * check that the situation emits exactly this metric.
 */
export interface AlarmedBusinessMetric {
  /** Construct id stem of the alarm (`<id>Alarm`). */
  readonly id: string;
  /** The subscription whose function emits it (its `service` dimension). */
  readonly subscription: string;
  readonly name: BusinessMetricName;
  readonly dimensions: BusinessMetricDimensions;
  /** What it means and what to do: the alarm's description. */
  readonly meaning: string;
}

// Names as literals (typed by BusinessMetricName): a property read of BUSINESS_METRIC would keep this
// table, which only the stacks and tests read, in every function's bundle.
export const ALARMED_BUSINESS_METRICS: readonly AlarmedBusinessMetric[] = [
  {
    id: "AlreadyPaid",
    subscription: "processor",
    name: "OrderPaymentFailed",
    dimensions: { reason: "ALREADY_PAID" },
    meaning:
      "A payment was captured for an order another payment had already paid: refund it (OrderPaymentFailed ALREADY_PAID, paymentSucceeded true)",
  },
  {
    id: "AmountMismatch",
    subscription: "processor",
    name: "OrderPaymentFailed",
    dimensions: { reason: "AMOUNT_MISMATCH" },
    meaning:
      "A payment below the order's grand total was captured and not applied: collect the difference or refund it (OrderPaymentFailed AMOUNT_MISMATCH)",
  },
  {
    id: "EmailRefused",
    subscription: "notifications",
    name: "EmailRefused",
    dimensions: {},
    meaning:
      "SES refused a customer email (unverified sender, sandbox or rejected address); it is recorded failed and not retried: check SES, then resend by hand",
  },
  {
    id: "NotificationUncertain",
    subscription: "notifications",
    name: "NotificationUncertain",
    dimensions: {},
    meaning:
      "A payment-notifications SNS message (or a customer email without the email-log tag) may or may not have gone out; it is recorded uncertain and not repeated: check the topic's subscribers / SES and resend by hand if it never arrived. Uncertain tagged emails are settled by SES events or the uncertain-email sweep (EmailUncertain, EmailResentBySweep)",
  },
  {
    id: "EmailComplained",
    subscription: "email-events",
    name: "EmailComplained",
    dimensions: {},
    meaning:
      "A customer marked a payment email as spam; the address is suppressed. SES reviews accounts above a 0.1% complaint rate: check the email's content and why it was unexpected",
  },
  {
    id: "EmailBounced",
    subscription: "email-events",
    name: "EmailBounced",
    dimensions: {},
    meaning:
      "A customer email bounced (a hard bounce suppresses the address). SES reviews accounts above a 5% bounce rate: check the addresses the orders carry",
  },
  {
    id: "EmailSuppressed",
    subscription: "email-events",
    name: "EmailSuppressed",
    dimensions: {},
    meaning:
      "SES did not send a payment email: the address is on its suppression list (an earlier hard bounce or complaint); the email-log row is suppressed. Reach the customer another way; to email the address again, see README, Email events",
  },
];
