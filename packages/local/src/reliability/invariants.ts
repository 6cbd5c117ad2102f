import { isAuditErrorReason, readAuditRow, type ReadAuditRow } from "@payment3/core";
import type { FailureReason } from "@payment3/events";
import type { OutcomeRecorder, RecordedOutcome } from "./outcome-recorder";
import type { OrderScenario, PlannedOrder, PlannedPayment } from "./scenario";
import type { PublishedSnsMessage, SentEmail } from "@payment3/aws-local";
import type { UndeliveredEvent } from "../runtime/undelivered-events";

/**
 * - `lost`: something that should have happened did not (no final outcome, a missing audit row,
 *   email, SNS message or email-log row, an event still dead-lettered, a paid order not paid).
 * - `duplicated`: something happened twice (two final outcomes for one confirmation, a second
 *   audit row, email or SNS message, an order paid by two payments).
 * - `wrong`: the outcome is not the one the business rules give (a double payment not
 *   ALREADY_PAID, an underpayment not AMOUNT_MISMATCH, an order flipped from paid to unpaid), or
 *   an audit row the legacy table's readers would misread.
 */
export type ViolationKind = "lost" | "duplicated" | "wrong";

export interface Violation {
  readonly kind: ViolationKind;
  /** Undefined for what belongs to no order of the plan. */
  readonly orderId?: string;
  readonly message: string;
}

/** A sample of an order's payment header during the run (to catch a paid order flipping back). */
export interface HeaderSample {
  readonly isPaid: boolean | undefined;
  readonly paymentId: string | undefined;
}

/** Everything a run left behind, read after the last retry, redrive and replay. */
export interface RunObservations {
  readonly orders: readonly PlannedOrder[];
  readonly recorder: OutcomeRecorder;
  /** Order-table items by orderId. */
  readonly orderItems: ReadonlyMap<string, Record<string, unknown>>;
  readonly auditRows: readonly Record<string, unknown>[];
  readonly emailLogRows: readonly Record<string, unknown>[];
  readonly emails: readonly SentEmail[];
  readonly snsMessages: readonly PublishedSnsMessage[];
  /** Rule dead letters and function on-failure records still there after the last redrive. */
  readonly deadLettersLeft: readonly UndeliveredEvent[];
  readonly headerSamples: ReadonlyMap<string, readonly HeaderSample[]>;
}

export interface InvariantReport {
  readonly violations: readonly Violation[];
  /** The kinds of violation each order has (orders without any are absent). */
  readonly byOrder: ReadonlyMap<string, ReadonlySet<ViolationKind>>;
  readonly finalOutcomes: number;
  /** Notifications the email log records as `uncertain`: not a violation by themselves (their effects are checked). */
  readonly uncertainNotifications: number;
  readonly auditRows: number;
  readonly emails: number;
  readonly snsMessages: number;
  readonly emailLogRows: number;
}

const NOTIFIED_RESULTS = new Set(["OrderPaid", "PAYMENT_DECLINED"]);

/**
 * The issue's invariants, per order: every confirmation has exactly one final outcome, and the
 * right one for its scenario; no order is paid twice or flips from paid to unpaid; every final
 * outcome has exactly one audit row, readable as the legacy table's readers read it; every
 * notified outcome exactly one SNS message, one email-log row and (with an address) one email;
 * nothing is left in a dead-letter store.
 */
export function checkInvariants(observations: RunObservations): InvariantReport {
  const violations: Violation[] = [];
  const index = indexEffects(observations);
  let finalOutcomes = 0;
  let uncertainNotifications = 0;
  for (const order of observations.orders) {
    const report = (kind: ViolationKind, message: string) => violations.push({ kind, orderId: order.orderId, message });
    const finals = new Map<PlannedPayment, RecordedOutcome[]>();
    for (const payment of order.payments) {
      const outcomes = observations.recorder.finalOutcomesOf(order.orderId, payment.paymentId);
      finals.set(payment, outcomes);
      finalOutcomes += outcomes.length;
      if (outcomes.length === 0) {
        const attempts = observations.recorder
          .outcomesOf(order.orderId, payment.paymentId)
          .map((outcome) => outcome.result);
        report(
          "lost",
          `${payment.paymentId}: no final outcome (accepted ${observations.recorder.timesAccepted(order.orderId, payment.paymentId)}x; retryable attempts: ${attempts.join(", ") || "none"})`,
        );
      } else if (outcomes.length > 1) {
        report(
          "duplicated",
          `${payment.paymentId}: ${outcomes.length} final outcomes: ${outcomes.map((outcome) => outcome.idempotencyKey).join(", ")}`,
        );
      }
    }
    checkExpectedResults(order, finals, report);

    const allFinals = [...finals.values()].flat();
    const paidBy = new Set(
      allFinals.filter((outcome) => outcome.result === "OrderPaid").map((outcome) => outcome.paymentId),
    );
    if (paidBy.size > 1) report("duplicated", `paid by ${paidBy.size} payments: ${[...paidBy].join(", ")}`);
    checkOrderState(order, observations, paidBy, report);
    checkRecordedOutcomes(finals, observations.orderItems.get(order.orderId), report);
    checkHeaderHistory(observations.headerSamples.get(order.orderId) ?? [], report);
    checkEffects(order, allFinals, index, report, () => (uncertainNotifications += 1));

    for (const letter of index.deadLettersByOrder.get(order.orderId) ?? []) {
      report(
        "lost",
        `still dead-lettered after redrive and replay: ${letter.event?.["detail-type"]} for ${letter.where} (${letter.kind}): ${letter.errorName}: ${letter.errorMessage}`,
      );
    }
  }
  for (const letter of index.deadLettersByOrder.get("") ?? []) {
    violations.push({
      kind: "lost",
      message: `dead letter ${letter.id} of ${letter.where} (${letter.kind}) names no order of the run: ${letter.errorMessage}`,
    });
  }
  const byOrder = new Map<string, Set<ViolationKind>>();
  for (const violation of violations) {
    if (violation.orderId === undefined) continue;
    const kinds = byOrder.get(violation.orderId) ?? new Set<ViolationKind>();
    kinds.add(violation.kind);
    byOrder.set(violation.orderId, kinds);
  }
  return {
    violations,
    byOrder,
    finalOutcomes,
    uncertainNotifications,
    auditRows: observations.auditRows.length,
    emails: observations.emails.length,
    snsMessages: observations.snsMessages.length,
    emailLogRows: observations.emailLogRows.length,
  };
}

type Report = (kind: ViolationKind, message: string) => void;

/** The one result a confirmation may end with, or the results allowed when the order of two payments decides. */
const EXPECTED: Readonly<Record<OrderScenario, readonly (readonly string[])[]>> = {
  paid: [["OrderPaid"]],
  overpaid: [["OrderPaid"]],
  declined: [["PAYMENT_DECLINED"]],
  underpaid: [["AMOUNT_MISMATCH"]],
  "unknown-order": [["ORDER_NOT_FOUND"]],
  "double-payment": [
    ["OrderPaid", "ALREADY_PAID"],
    ["OrderPaid", "ALREADY_PAID"],
  ],
  "declined-then-paid": [["PAYMENT_DECLINED", "ALREADY_PAID"], ["OrderPaid"]],
  "underpaid-then-paid": [["AMOUNT_MISMATCH", "ALREADY_PAID"], ["OrderPaid"]],
  "paid-by-another-flow": [["ALREADY_PAID"]],
  "amount-not-reported": [["OrderPaid"]],
};

function checkExpectedResults(
  order: PlannedOrder,
  finals: ReadonlyMap<PlannedPayment, readonly RecordedOutcome[]>,
  report: Report,
): void {
  order.payments.forEach((payment, position) => {
    const allowed = EXPECTED[order.scenario][position] ?? [];
    for (const outcome of finals.get(payment) ?? []) {
      if (!allowed.includes(outcome.result))
        report(
          "wrong",
          `${payment.paymentId} (${order.scenario}) ended ${outcome.result}; expected ${allowed.join(" or ")}`,
        );
    }
  });
  if (order.scenario === "double-payment") {
    const results = order.payments
      .flatMap((payment) => (finals.get(payment) ?? []).map((outcome) => outcome.result))
      .sort();
    if (results.length === 2 && results.join() !== "ALREADY_PAID,OrderPaid") {
      report("wrong", `double payment ended ${results.join(" and ")}; expected one OrderPaid and one ALREADY_PAID`);
    }
  }
}

function checkOrderState(
  order: PlannedOrder,
  observations: RunObservations,
  paidBy: ReadonlySet<string | null>,
  report: Report,
): void {
  const item = observations.orderItems.get(order.orderId);
  if (!order.item) {
    if (item) report("wrong", "an unknown order was created in the order table");
    return;
  }
  if (!item) {
    report("lost", "the order is gone from the order table");
    return;
  }
  const header = item.payment as
    | { isPaid?: boolean; paymentId?: string; totalPaid?: number; amountReported?: boolean }
    | undefined;
  if (order.scenario === "paid-by-another-flow") {
    // Another flow's header is never overwritten, not a field of it.
    if (JSON.stringify(header) !== JSON.stringify(order.item.payment))
      report(
        "wrong",
        `the QR flow's header changed: ${JSON.stringify(order.item.payment)} became ${JSON.stringify(header ?? null)}`,
      );
    return;
  }
  const [paid] = [...paidBy];
  if (paid !== undefined) {
    if (header?.isPaid !== true || header.paymentId !== paid) {
      report("lost", `OrderPaid by ${paid} but the order's header is ${JSON.stringify(header ?? null)}`);
    }
    if (order.scenario === "amount-not-reported" && (header?.totalPaid !== 0 || header.amountReported !== false)) {
      report(
        "wrong",
        `a payment without an amount must be paid with totalPaid 0 and amountReported false, got ${JSON.stringify(header ?? null)}`,
      );
    }
    return;
  }
  if (header?.isPaid === true) report("wrong", `order is paid by ${header.paymentId} without any OrderPaid`);
  if (
    order.scenario === "declined" &&
    (header?.isPaid !== false || header.paymentId !== order.payments[0]!.paymentId)
  ) {
    report("lost", `declined payment's header missing: ${JSON.stringify(header ?? null)}`);
  }
  if (order.scenario === "underpaid" && header !== undefined)
    report("wrong", `an underpayment wrote a header: ${JSON.stringify(header)}`);
}

/** Each payment's outcome kept on the order is the one published: a later redelivery re-publishes that record. */
function checkRecordedOutcomes(
  finals: ReadonlyMap<PlannedPayment, RecordedOutcome[]>,
  item: Record<string, unknown> | undefined,
  report: Report,
): void {
  if (!item) return;
  const recorded = (item.paymentOutcomes ?? {}) as Record<string, { idempotencyKey?: string }>;
  for (const [payment, outcomes] of finals) {
    if (outcomes.length !== 1) continue;
    const key = recorded[payment.paymentId]?.idempotencyKey;
    if (key !== outcomes[0]!.idempotencyKey)
      report(
        "wrong",
        `${payment.paymentId}: published ${outcomes[0]!.idempotencyKey} but the order records ${key ?? "no outcome"}`,
      );
  }
}

function checkHeaderHistory(samples: readonly HeaderSample[], report: Report): void {
  let paidBy: string | undefined;
  for (const sample of samples) {
    if (paidBy !== undefined && (sample.isPaid !== true || sample.paymentId !== paidBy)) {
      report(
        sample.isPaid === true ? "duplicated" : "wrong",
        `order was paid by ${paidBy}, later ${sample.isPaid === true ? `paid by ${sample.paymentId} (a second payment header)` : `unpaid (${String(sample.paymentId)})`}`,
      );
      return;
    }
    if (sample.isPaid === true) paidBy = sample.paymentId;
  }
}

interface EffectIndex {
  readonly auditByOrder: Map<string, Map<string, number>>;
  readonly auditRowsByOrder: Map<string, Record<string, unknown>[]>;
  readonly snsByOrder: Map<string, Map<string, number>>;
  readonly emailLogByOrder: Map<string, Map<string, Record<string, unknown>>>;
  readonly emailsByOrder: Map<string, SentEmail[]>;
  readonly loggedMessageIds: Set<string>;
  readonly deadLettersByOrder: Map<string, UndeliveredEvent[]>;
}

function indexEffects(observations: RunObservations): EffectIndex {
  const count = (map: Map<string, Map<string, number>>, orderId: string, key: string) => {
    const perOrder = map.get(orderId) ?? new Map<string, number>();
    perOrder.set(key, (perOrder.get(key) ?? 0) + 1);
    map.set(orderId, perOrder);
  };
  const auditByOrder = new Map<string, Map<string, number>>();
  const auditRowsByOrder = new Map<string, Record<string, unknown>[]>();
  for (const row of observations.auditRows) {
    count(auditByOrder, String(row.orderId), String(row.idempotencyKey));
    auditRowsByOrder.set(String(row.orderId), [...(auditRowsByOrder.get(String(row.orderId)) ?? []), row]);
  }
  const snsByOrder = new Map<string, Map<string, number>>();
  for (const message of observations.snsMessages) {
    const body = JSON.parse(message.message) as { orderId?: string; idempotencyKey?: string };
    count(snsByOrder, String(body.orderId), String(body.idempotencyKey));
  }
  const emailLogByOrder = new Map<string, Map<string, Record<string, unknown>>>();
  const loggedMessageIds = new Set<string>();
  for (const row of observations.emailLogRows) {
    const perOrder = emailLogByOrder.get(String(row.orderId)) ?? new Map<string, Record<string, unknown>>();
    perOrder.set(String(row.notificationKey), row);
    emailLogByOrder.set(String(row.orderId), perOrder);
    if (typeof row.messageId === "string") loggedMessageIds.add(row.messageId);
  }
  const emailsByOrder = new Map<string, SentEmail[]>();
  for (const email of observations.emails) {
    const orderId = /#(\d+)/.exec(email.subject)?.[1] ?? "";
    emailsByOrder.set(orderId, [...(emailsByOrder.get(orderId) ?? []), email]);
  }
  const deadLettersByOrder = new Map<string, UndeliveredEvent[]>();
  for (const letter of observations.deadLettersLeft) {
    const orderId = (letter.event?.detail as { orderId?: unknown } | undefined)?.orderId;
    const key = typeof orderId === "string" ? orderId : "";
    deadLettersByOrder.set(key, [...(deadLettersByOrder.get(key) ?? []), letter]);
  }
  return {
    auditByOrder,
    auditRowsByOrder,
    snsByOrder,
    emailLogByOrder,
    emailsByOrder,
    loggedMessageIds,
    deadLettersByOrder,
  };
}

function checkEffects(
  order: PlannedOrder,
  finals: readonly RecordedOutcome[],
  index: EffectIndex,
  report: Report,
  uncertain: () => void,
): void {
  const audit = index.auditByOrder.get(order.orderId) ?? new Map<string, number>();
  for (const [key, rows] of audit) if (rows > 1) report("duplicated", `${rows} audit rows for ${key}`);
  for (const outcome of finals)
    if (!audit.has(outcome.idempotencyKey)) report("lost", `no audit row for ${outcome.idempotencyKey}`);
  checkAuditRows(order.orderId, index.auditRowsByOrder.get(order.orderId) ?? [], report);

  const notified = finals
    .filter((outcome) => NOTIFIED_RESULTS.has(outcome.result))
    .map((outcome) => outcome.idempotencyKey);
  const sns = index.snsByOrder.get(order.orderId) ?? new Map<string, number>();
  for (const [key, messages] of sns) {
    if (messages > 1) report("duplicated", `${messages} SNS messages for ${key}`);
    if (!notified.includes(key)) report("wrong", `an SNS message for ${key}, which is not a notified final outcome`);
  }
  const emailLog = index.emailLogByOrder.get(order.orderId) ?? new Map<string, Record<string, unknown>>();
  for (const key of emailLog.keys())
    if (!notified.includes(key)) report("wrong", `an email-log row for ${key}, which is not a notified final outcome`);
  const expectedStatus = order.email ? "sent" : "skipped";
  for (const key of notified) {
    if (!sns.has(key)) report("lost", `no SNS message for ${key}`);
    const row = emailLog.get(key);
    if (!row) report("lost", `no email-log row for ${key}`);
    // `uncertain` (an attempt without a recorded result, never repeated) is the notification protocol's answer
    // (notifyCustomer; docs/design.md §Idempotency) to a step it cannot vouch for; whether the email and the SNS
    // message went out once is checked on SES and SNS themselves. An uncertain email is settled by its SES events
    // or the uncertain-email sweep, which the run fires at its end: one still uncertain is a violation.
    else if (row.status === "uncertain") {
      uncertain();
      if (row.emailResult === "uncertain")
        report("lost", `the email of ${key} is still uncertain after the uncertain-email sweep`);
    } else if (row.status !== expectedStatus)
      report("lost", `email-log row for ${key} is ${String(row.status)}, expected ${expectedStatus}`);
  }
  const emails = index.emailsByOrder.get(order.orderId) ?? [];
  const expectedEmails = order.email ? notified.length : 0;
  if (emails.length > expectedEmails) {
    const unrecorded = emails
      .filter((email) => !index.loggedMessageIds.has(email.messageId))
      .map((email) => email.messageId);
    report(
      "duplicated",
      `${emails.length} emails sent, expected ${expectedEmails}${unrecorded.length > 0 ? ` (not in the email log: ${unrecorded.join(", ")})` : ""}`,
    );
  }
  if (emails.length < expectedEmails) {
    // The rows' states tell the documented `uncertain` window from an email the log calls sent but SES never got.
    const rows = notified.map((key) => `${key} ${String(emailLog.get(key)?.status ?? "no row")}`).join(", ");
    report("lost", `${emails.length} emails sent, expected ${expectedEmails} (email log: ${rows})`);
  }
}

/**
 * Each audit row reads back as the legacy table's readers read it: `data` a JSON string (of the
 * order for OrderPaid and a declined payment), `created_at` in one of the formats, `is_error`
 * only for an error.
 */
function checkAuditRows(orderId: string, items: readonly Record<string, unknown>[], report: Report): void {
  for (const item of items) {
    let row: ReadAuditRow;
    try {
      row = readAuditRow(item);
    } catch (error) {
      report("wrong", `unreadable audit row: ${(error as Error).message}`);
      continue;
    }
    const key = row.idempotencyKey ?? "(no idempotency key)";
    if (typeof item.data !== "string")
      report(
        "wrong",
        `audit row for ${key}: data is a ${typeof item.data}, not the JSON string the table's readers parse`,
      );
    const isError = row.reason !== null && row.reason !== undefined && isAuditErrorReason(row.reason as FailureReason);
    if (row.is_error !== isError)
      report(
        "wrong",
        `audit row for ${key} has is_error ${row.is_error}; ${row.reason ?? row.outcome} rows have ${isError}`,
      );
    if ((row.outcome === "OrderPaid" || row.reason === "PAYMENT_DECLINED") && row.data.orderId !== orderId) {
      report("wrong", `audit row for ${key}: data is not the order (orderId ${JSON.stringify(row.data.orderId)})`);
    }
  }
}

export interface ViolationClass {
  readonly kind: ViolationKind;
  /** The message with order ids, payment ids, keys and message ids taken out. */
  readonly template: string;
  readonly count: number;
}

/** Violations grouped by what went wrong, most frequent first: the shape of a failing run at a glance. */
export function classifyViolations(violations: readonly Violation[]): ViolationClass[] {
  const counts = new Map<string, ViolationClass>();
  for (const violation of violations) {
    const template = violation.message
      .replace(/"[^"]*"/g, '"..."')
      .replace(/\bpay_[A-Za-z0-9_]+/g, "<payment>")
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
      .replace(/\bses-\d+/g, "<message>")
      .replace(/#[A-Za-z0-9+/=]{8,}/g, "<hash>")
      .replace(/\b\d{5,}\b/g, "<order>")
      .replace(/\b\d+(?= (emails|SNS messages|audit rows|final outcomes|payments))/g, "<n>")
      .replace(/(<order>:<payment>:[A-Za-z:_]+)(, \1)+/g, "$1, ...");
    const key = `${violation.kind}\u241f${template}`;
    const existing = counts.get(key);
    counts.set(key, { kind: violation.kind, template, count: (existing?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count);
}

export function formatViolationClasses(classes: readonly ViolationClass[]): string {
  return classes.map((entry) => `  ${String(entry.count).padStart(5)}  [${entry.kind}] ${entry.template}`).join("\n");
}
