import type { PublishedSnsMessage } from "@payment3/aws-local";
import { readAuditRow } from "@payment3/core";
import type { FlowRecord } from "./flow-recorder";
import type { OrderSnapshot } from "./order-history";

/** What a timeline entry is. */
export type TimelineKind = "event" | "payment-header" | "outcome-record" | "audit-row" | "email" | "sns-message";

/** One thing that happened to an order, in the console's timeline. */
export interface TimelineEntry {
  readonly time: string;
  readonly kind: TimelineKind;
  readonly title: string;
  readonly summary: string;
  /** A page that shows more (the mail page for an email). */
  readonly link?: string;
  /** Shown expanded, as JSON. */
  readonly data: unknown;
}

export interface OrderTimeline {
  readonly orderId: string;
  /** Whether the order table has the order. */
  readonly exists: boolean;
  /** Time-ordered, oldest first. */
  readonly entries: TimelineEntry[];
}

/** Everything stored about an order, read for its timeline. */
export interface OrderRecords {
  readonly order: Record<string, unknown> | undefined;
  readonly auditRows: readonly Record<string, unknown>[];
  readonly emailLogRows: readonly Record<string, unknown>[];
  readonly snsMessages: readonly PublishedSnsMessage[];
}

const text = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** The header as it is now, as one snapshot at the time its payment's outcome was recorded (or now). */
function currentHeader(
  order: Record<string, unknown> | undefined,
  outcomes: Record<string, Record<string, unknown>>,
): OrderSnapshot[] {
  const payment = order?.payment as Record<string, unknown> | undefined;
  if (!payment) return [];
  const recordedAt = outcomes[text(payment.paymentId)]?.occurredAt;
  return [
    {
      time: typeof recordedAt === "string" ? recordedAt : new Date().toISOString(),
      seenWhen: "(as it is now: the console keeps no header history here)",
      payment,
      paymentOutcomes: order?.paymentOutcomes ?? null,
    },
  ];
}

/** The SNS messages about this order: a JSON message or an attribute naming it. */
export function snsMessagesOfOrder(messages: readonly PublishedSnsMessage[], orderId: string): PublishedSnsMessage[] {
  return messages.filter((message) => {
    if (message.attributes.orderId?.stringValue === orderId) return true;
    try {
      const parsed = JSON.parse(message.message) as Record<string, unknown>;
      return String(parsed.orderId ?? (parsed.detail as Record<string, unknown> | undefined)?.orderId) === orderId;
    } catch {
      return false;
    }
  });
}

/**
 * An order's timeline: its events on the buses (each with the rules and deliveries), each change of its `payment`
 * header seen by the console, its outcome records, audit rows, emails and SNS messages, oldest first.
 */
export function buildOrderTimeline(input: {
  readonly orderId: string;
  readonly flow: readonly FlowRecord[];
  /** The header changes the console saw; null when it keeps no history (the header is shown as it is now). */
  readonly snapshots: readonly OrderSnapshot[] | null;
  readonly records: OrderRecords;
  readonly mailPageUrl: string;
}): OrderTimeline {
  const { orderId, flow, snapshots, records } = input;
  const entries: TimelineEntry[] = [];
  for (const record of flow) {
    const detail = (record.event.detail ?? {}) as Record<string, unknown>;
    entries.push({
      time: record.time,
      kind: "event",
      title: `${record.detailType}${record.replayName ? ` (replay ${record.replayName})` : ""}`,
      summary: [
        text(detail.paymentId),
        text(detail.reason),
        `${record.outcome}: ${record.deliveries.length} deliveries to ${record.rules.join(", ") || "no rule"}`,
      ]
        .filter(Boolean)
        .join(" · "),
      data: record,
    });
  }
  const outcomes = (records.order?.paymentOutcomes ?? {}) as Record<string, Record<string, unknown>>;
  let previousPayment: string | undefined;
  for (const snapshot of snapshots ?? currentHeader(records.order, outcomes)) {
    const payment = JSON.stringify(snapshot.payment);
    if (payment === previousPayment) continue;
    previousPayment = payment;
    const header = (snapshot.payment ?? null) as Record<string, unknown> | null;
    entries.push({
      time: snapshot.time,
      kind: "payment-header",
      title: "payment header",
      summary: header
        ? `isPaid ${text(header.isPaid)}: ${text(header.paymentId)} (${text(header.paymentMethod)}, ${text(header.totalPaid)}) ${snapshot.seenWhen}`
        : `no payment header ${snapshot.seenWhen}`,
      data: snapshot,
    });
  }
  for (const [paymentId, outcome] of Object.entries(outcomes)) {
    entries.push({
      time: text(outcome.occurredAt),
      kind: "outcome-record",
      title: `outcome record ${paymentId}`,
      summary: `${text(outcome.outcome)}, amount ${text(outcome.amount)}`,
      data: { paymentId, ...outcome },
    });
  }
  for (const row of records.auditRows) {
    let time = text(row.created_at);
    try {
      time = new Date(readAuditRow(row).createdAtMillis).toISOString();
    } catch {
      // An unreadable row is still shown, at its raw created_at.
    }
    entries.push({
      time,
      kind: "audit-row",
      title: "audit row",
      summary: [text(row.outcome), text(row.reason), `is_error ${text(row.is_error)}`].filter(Boolean).join(" · "),
      data: row,
    });
  }
  for (const row of records.emailLogRows) {
    entries.push({
      time: typeof row.sentAt === "string" ? row.sentAt : new Date(Number(row.claimedAt ?? 0)).toISOString(),
      kind: "email",
      title: `email ${text(row.template)}`,
      summary: `${text(row.status)} (email ${text(row.emailResult) || "not sent"}) to ${text(row.recipient) || "(no recipient)"}`,
      link: input.mailPageUrl,
      data: row,
    });
  }
  for (const message of records.snsMessages) {
    entries.push({
      time: message.time.toISOString(),
      kind: "sns-message",
      title: "SNS message",
      summary: message.topicArn.split(":").at(-1) ?? message.topicArn,
      data: message,
    });
  }
  entries.sort((a, b) => a.time.localeCompare(b.time));
  return { orderId, exists: records.order !== undefined, entries };
}
