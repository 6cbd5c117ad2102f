import { ContractValidationError, parseWithSchema } from "@payment3/events";
import * as z from "zod/mini";
import { notificationKeyOfTags } from "./email-log-tag";
import type { NotificationKey } from "./notification-log";

/** What an SES email event says happened to a message. */
export type EmailEventKind = "sent" | "delivered" | "bounced" | "complained" | "rejected" | "delayed";

/** The detail-types SES publishes to EventBridge for the email events the email-events subscriber records. */
export const SES_EMAIL_EVENT_DETAIL_TYPES = {
  "Email Sent": "sent",
  "Email Delivered": "delivered",
  "Email Bounced": "bounced",
  "Email Complaint Received": "complained",
  "Email Rejected": "rejected",
  "Email Delivery Delayed": "delayed",
} as const satisfies Record<string, EmailEventKind>;

/**
 * The event types the stage's configuration set publishes to EventBridge (SESv2 `MatchingEventTypes` names): the
 * stacks and the local runtime both read this list. Opens and clicks are not tracked: payment emails carry no tracking.
 */
export const RECORDED_SES_EVENT_TYPES = [
  "SEND",
  "DELIVERY",
  "BOUNCE",
  "COMPLAINT",
  "REJECT",
  "DELIVERY_DELAY",
] as const;

/** One SES email event, read: which message, which email-log row (from its tag), what happened, to whom, when. */
export interface EmailEvent {
  /** The EventBridge event id (the same on a duplicate delivery). */
  readonly eventId: string;
  readonly kind: EmailEventKind;
  readonly messageId: string;
  /** The configuration set the email was sent with (`ses:configuration-set`). */
  readonly configurationSetName: string | undefined;
  /** The email-log row, from the email's `payment3-email-log` tag; undefined for an email we did not tag. */
  readonly key: NotificationKey | undefined;
  /** When it happened (the event record's own timestamp; the send time for `sent`). */
  readonly at: string;
  /** The recipients it concerns: bounced, complained, delayed or delivered ones; all for sent and rejected. */
  readonly recipients: readonly string[];
  /** `Permanent/General`, `Transient/MailboxFull`, ...: only for bounces. */
  readonly bounceType?: string;
  /**
   * A permanent bounce or a complaint: the address must not be written to again. False for a report of an email SES
   * did not send because the address is on its suppression list already (see `onSuppressionList`).
   */
  readonly suppressesRecipients: boolean;
  /**
   * SES accepted the email but did not send it: the recipient is on the account-level suppression list (a bounce
   * `Permanent`/`OnAccountSuppressionList`, or a complaint whose `complaintSubType` says so).
   */
  readonly onSuppressionList: boolean;
}

/** An event that is not an SES email event this subscriber can read; names the field. Not retried: it will not change. */
export class InvalidEmailEventError extends Error {
  override readonly name = "InvalidEmailEventError";
  readonly code = "INVALID_EMAIL_EVENT";
  readonly transient = false;
}

const text = () => z.string().check(z.minLength(1));
const recipientList = () => z.array(z.looseObject({ emailAddress: text() }));

/**
 * zod/mini, as the event contracts: full zod would add ~430 KB to every function's bundle. Built on first use, so the
 * functions that never read an SES event (all but email-events) do not carry it.
 */
function buildSesEmailEventSchema() {
  return z.looseObject({
    id: text(),
    source: z.literal("aws.ses"),
    "detail-type": z.enum(Object.keys(SES_EMAIL_EVENT_DETAIL_TYPES) as [keyof typeof SES_EMAIL_EVENT_DETAIL_TYPES]),
    detail: z.looseObject({
      mail: z.looseObject({
        timestamp: text(),
        messageId: text(),
        destination: z.array(z.string()),
        tags: z.optional(z.record(z.string(), z.array(z.string()))),
      }),
      delivery: z.optional(z.looseObject({ timestamp: text(), recipients: z.array(z.string()) })),
      bounce: z.optional(
        z.looseObject({
          timestamp: text(),
          bounceType: text(),
          bounceSubType: z.string(),
          bouncedRecipients: recipientList(),
        }),
      ),
      complaint: z.optional(
        z.looseObject({
          timestamp: text(),
          complainedRecipients: recipientList(),
          complaintSubType: z.optional(z.nullable(z.string())),
        }),
      ),
      deliveryDelay: z.optional(z.looseObject({ timestamp: text(), delayedRecipients: recipientList() })),
    }),
  });
}

type SesEmailEventEnvelope = z.infer<ReturnType<typeof buildSesEmailEventSchema>>;
let sesEmailEventSchema: ReturnType<typeof buildSesEmailEventSchema> | undefined;

/** The sub-type SES gives the report of an email it did not send to a suppressed address. */
const SUPPRESSION_LIST_SUB_TYPE = "OnAccountSuppressionList";

/** The event record field each kind carries its own facts in (SES: `delivery`, `bounce`, ...). */
const RECORD_FIELD = {
  delivered: "delivery",
  bounced: "bounce",
  complained: "complaint",
  delayed: "deliveryDelay",
} as const;

/**
 * Reads an SES email event as EventBridge delivers it (https://docs.aws.amazon.com/ses/latest/dg/monitoring-eventbridge.html;
 * record contents: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html).
 * Throws `InvalidEmailEventError` naming the first field that is missing or wrong.
 */
export function parseSesEmailEvent(input: unknown): EmailEvent {
  let envelope: SesEmailEventEnvelope;
  try {
    sesEmailEventSchema ??= buildSesEmailEventSchema();
    envelope = parseWithSchema("SES email event", sesEmailEventSchema, input);
  } catch (error) {
    if (!(error instanceof ContractValidationError)) throw error;
    const problem = error.problems[0]!;
    throw new InvalidEmailEventError(
      `not an SES email event this subscriber reads: ${problem.field} ${problem.message}. It routes only source aws.ses with the Email Sent/Delivered/Bounced/Complaint Received/Rejected/Delivery Delayed detail-types; check the rule's pattern.`,
      { cause: error },
    );
  }
  const kind = SES_EMAIL_EVENT_DETAIL_TYPES[envelope["detail-type"]];
  const { detail } = envelope;
  const field = kind === "sent" || kind === "rejected" ? undefined : RECORD_FIELD[kind];
  const record = field === undefined ? undefined : detail[field];
  if (field !== undefined && record === undefined)
    throw new InvalidEmailEventError(
      `an SES "${envelope["detail-type"]}" event without detail.${field}: SES always sends it; the event was changed on the way`,
    );
  const tags = detail.mail.tags ?? {};
  const onSuppressionList =
    (kind === "bounced" &&
      detail.bounce?.bounceType === "Permanent" &&
      detail.bounce.bounceSubType === SUPPRESSION_LIST_SUB_TYPE) ||
    (kind === "complained" && detail.complaint?.complaintSubType === SUPPRESSION_LIST_SUB_TYPE);
  return {
    eventId: envelope.id,
    kind,
    messageId: detail.mail.messageId,
    configurationSetName: tags["ses:configuration-set"]?.[0],
    key: notificationKeyOfTags(tags),
    at: record?.timestamp ?? detail.mail.timestamp,
    recipients: recipientsOf(detail, kind),
    ...(detail.bounce ? { bounceType: `${detail.bounce.bounceType}/${detail.bounce.bounceSubType}` } : {}),
    suppressesRecipients:
      !onSuppressionList &&
      (kind === "complained" || (kind === "bounced" && detail.bounce?.bounceType === "Permanent")),
    onSuppressionList,
  };
}

function recipientsOf(detail: SesEmailEventEnvelope["detail"], kind: EmailEventKind): string[] {
  switch (kind) {
    case "delivered":
      return detail.delivery?.recipients ?? [];
    case "bounced":
      return (detail.bounce?.bouncedRecipients ?? []).map((recipient) => recipient.emailAddress);
    case "complained":
      return (detail.complaint?.complainedRecipients ?? []).map((recipient) => recipient.emailAddress);
    case "delayed":
      return (detail.deliveryDelay?.delayedRecipients ?? []).map((recipient) => recipient.emailAddress);
    default:
      return detail.mail.destination;
  }
}
