import type { FailureReason } from "@payment3/events";

/**
 * The CloudWatch namespace of the business metrics. Every data point also carries the
 * dimensions `service` (the function's Powertools service name, `payment3-<subscription>`) and
 * `stage`, so two stages in one account never share a metric.
 */
export const BUSINESS_METRICS_NAMESPACE = "payment3";

/** The business figures the functions count, one data point (value 1, unit Count) per occurrence. */
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
  /** An earlier attempt may have sent the email or SNS message: recorded `uncertain`, a person must check. */
  notificationUncertain: "NotificationUncertain",
  /** The payment-notifications topic accepted the message. */
  snsPublished: "SnsPublished",
} as const;

export type BusinessMetricName = (typeof BUSINESS_METRIC)[keyof typeof BUSINESS_METRIC];

/** Dimensions a count adds to `service` and `stage`. */
export type BusinessMetricDimensions = { readonly reason?: FailureReason };

/**
 * Where the business figures go. On Lambda, CloudWatch embedded metric format lines in the
 * function's log (Powertools Metrics, in `@payment3/functions`): no API call, nothing to fail.
 * A count must never throw into the business path.
 */
export interface BusinessMetrics {
  count(name: BusinessMetricName, dimensions?: BusinessMetricDimensions): void;
}

/** Counts nothing: the default where no metrics port is wired (most tests, the local runtime today). */
export const uncountedBusinessMetrics: BusinessMetrics = { count: () => {} };

/** Business metrics kept in memory: counts since start, keyed `Name` or `Name reason=REASON`. */
export interface BusinessMetricsCounter extends BusinessMetrics {
  counts(): Readonly<Record<string, number>>;
}

/** An in-memory counter of the business metrics: the tests' port, and one a local `payment3 status` could read counts since start from. */
export function createBusinessMetricsCounter(): BusinessMetricsCounter {
  const counts: Record<string, number> = {};
  return {
    count(name, dimensions = {}) {
      const key = [name, ...Object.entries(dimensions).map(([dimension, value]) => `${dimension}=${value}`)].join(" ");
      counts[key] = (counts[key] ?? 0) + 1;
    },
    counts: () => ({ ...counts }),
  };
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

export const ALARMED_BUSINESS_METRICS: readonly AlarmedBusinessMetric[] = [
  {
    id: "AlreadyPaid",
    subscription: "processor",
    name: BUSINESS_METRIC.orderPaymentFailed,
    dimensions: { reason: "ALREADY_PAID" },
    meaning:
      "A payment was captured for an order another payment had already paid: refund it (OrderPaymentFailed ALREADY_PAID, paymentSucceeded true)",
  },
  {
    id: "AmountMismatch",
    subscription: "processor",
    name: BUSINESS_METRIC.orderPaymentFailed,
    dimensions: { reason: "AMOUNT_MISMATCH" },
    meaning:
      "A payment below the order's grand total was captured and not applied: collect the difference or refund it (OrderPaymentFailed AMOUNT_MISMATCH)",
  },
  {
    id: "EmailRefused",
    subscription: "notifications",
    name: BUSINESS_METRIC.emailRefused,
    dimensions: {},
    meaning:
      "SES refused a customer email (unverified sender, sandbox or rejected address); it is recorded failed and not retried: check SES, then resend by hand",
  },
  {
    id: "NotificationUncertain",
    subscription: "notifications",
    name: BUSINESS_METRIC.notificationUncertain,
    dimensions: {},
    meaning:
      "A customer email or SNS message may or may not have gone out; it is recorded uncertain and not repeated: check SES / the topic and resend by hand if it never arrived",
  },
];
