import { randomUUID } from "node:crypto";
import { bareAddress } from "./recipient-addresses";
import type { SesEventType } from "./ses-configuration-sets";

/** What SES knows of one accepted message when it publishes events about it. */
export interface AcceptedMessage {
  readonly messageId: string;
  /** The sender as the request gave it (`Source` / `FromEmailAddress`), display name included. */
  readonly source: string;
  /** Every recipient (To, Cc, Bcc), as the request gave them. */
  readonly destination: readonly string[];
  readonly subject: string | undefined;
  /** Absent for a send without a configuration set: its feedback still feeds the suppression list, no event is published. */
  readonly configurationSetName: string | undefined;
  /** Recipients SES did not send to because the suppression list holds them (bare, lower-case). */
  readonly suppressed?: readonly string[];
  /** Message tags (`Tags` in v1, `EmailTags` in v2), in request order. */
  readonly tags: readonly { readonly Name: string; readonly Value: string }[];
  readonly timestamp: Date;
}

/**
 * How a recipient's email ends, locally decided: delivered; bounced (hard, `Permanent/General`); soft-bounced
 * (`Transient/General`, which SES reports only after it gave up retrying); suppressed (`Permanent/
 * OnAccountSuppressionList`); complained (delivered, then a complaint); delayed (`DeliveryDelay`, then delivered);
 * rejected (SES found a virus: one `Reject`, nothing delivered).
 */
export type EmailFate = "delivered" | "bounced" | "soft-bounced" | "suppressed" | "complained" | "delayed" | "rejected";

export const EMAIL_FATES: readonly EmailFate[] = [
  "delivered",
  "bounced",
  "soft-bounced",
  "suppressed",
  "complained",
  "delayed",
  "rejected",
];

/**
 * The SES mailbox simulator's addresses and what SES does with them
 * (https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator).
 */
const MAILBOX_SIMULATOR: Readonly<Record<string, EmailFate>> = {
  "success@simulator.amazonses.com": "delivered",
  "ooto@simulator.amazonses.com": "delivered",
  "bounce@simulator.amazonses.com": "bounced",
  "complaint@simulator.amazonses.com": "complained",
  "suppressionlist@simulator.amazonses.com": "suppressed",
};

/** The fate the mailbox simulator gives `address` (label addresses such as `bounce+x@…` included), if any. */
export function simulatorFateOf(address: string): EmailFate | undefined {
  const bare = bareAddress(address).toLowerCase();
  const [local = "", domain = ""] = bare.split("@");
  return MAILBOX_SIMULATOR[`${local.split("+")[0]}@${domain}`];
}

/** One email event as SES publishes it to EventBridge: the `detail-type` and the event record as `detail`. */
export interface SesEmailEvent {
  /** The destination's `MatchingEventTypes` value that selects this event. */
  readonly matchingType: SesEventType;
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
  readonly time: Date;
}

export interface EmailEventContext {
  readonly region: string;
  readonly account: string;
  readonly now: Date;
}

/**
 * The events SES publishes for `message`, in the order it publishes them: one `Send`, then per recipient what its
 * fate brings (`Reject` is for the whole message and ends it). Shapes as the SES developer guide documents them
 * (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html and
 * https://docs.aws.amazon.com/ses/latest/dg/monitoring-eventbridge.html), with the configuration set's tags.
 */
export function emailEventsOf(
  message: AcceptedMessage,
  fateOf: (recipient: string) => EmailFate,
  context: EmailEventContext,
): SesEmailEvent[] {
  const mail = mailObjectOf(message, context);
  const at = context.now.toISOString();
  const event = (eventType: string, matchingType: SesEventType, detailType: string, body: Record<string, unknown>) => ({
    matchingType,
    detailType,
    detail: { eventType, mail, ...body },
    time: context.now,
  });
  const events: SesEmailEvent[] = [event("Send", "SEND", "Email Sent", { send: {} })];
  const fates = message.destination.map((recipient) => ({
    recipient: bareAddress(recipient),
    fate: fateOf(recipient),
  }));
  if (fates.some(({ fate }) => fate === "rejected")) {
    events.push(event("Reject", "REJECT", "Email Rejected", { reject: { reason: "Bad content" } }));
    return events;
  }
  const delivery = (recipients: readonly string[]) =>
    event("Delivery", "DELIVERY", "Email Delivered", {
      delivery: {
        timestamp: at,
        processingTimeMillis: 0,
        recipients,
        smtpResponse: "250 2.6.0 Message received (local SES)",
        reportingMTA: "local-ses.localhost",
      },
    });
  for (const { recipient, fate } of fates) {
    switch (fate) {
      case "delivered":
        events.push(delivery([recipient]));
        break;
      case "delayed":
        events.push(
          event("DeliveryDelay", "DELIVERY_DELAY", "Email Delivery Delayed", {
            deliveryDelay: {
              timestamp: at,
              delayType: "TransientCommunicationFailure",
              expirationTime: new Date(context.now.getTime() + 14 * 60 * 60 * 1000).toISOString(),
              delayedRecipients: [
                { emailAddress: recipient, status: "4.4.1", diagnosticCode: "smtp; 421 4.4.1 Unable to connect" },
              ],
            },
          }),
          delivery([recipient]),
        );
        break;
      case "complained":
        events.push(
          delivery([recipient]),
          event("Complaint", "COMPLAINT", "Email Complaint Received", {
            complaint: {
              complainedRecipients: [{ emailAddress: recipient }],
              timestamp: at,
              feedbackId: feedbackId(),
              userAgent: "local-ses",
              complaintFeedbackType: "abuse",
              arrivalDate: at,
            },
          }),
        );
        break;
      case "bounced":
      case "soft-bounced":
      case "suppressed":
        events.push(event("Bounce", "BOUNCE", "Email Bounced", { bounce: bounceOf(recipient, fate, at) }));
        break;
      case "rejected":
        break;
    }
  }
  return events;
}

function bounceOf(recipient: string, fate: "bounced" | "soft-bounced" | "suppressed", at: string) {
  const [bounceType, bounceSubType, status, diagnosticCode] =
    fate === "bounced"
      ? ["Permanent", "General", "5.1.1", "smtp; 550 5.1.1 user unknown"]
      : fate === "suppressed"
        ? ["Permanent", "OnAccountSuppressionList", "5.1.1", "Amazon SES did not send the message to this address"]
        : ["Transient", "General", "4.4.7", "smtp; 421 4.4.7 delivery time expired"];
  return {
    bounceType,
    bounceSubType,
    bouncedRecipients: [{ emailAddress: recipient, action: "failed", status, diagnosticCode }],
    timestamp: at,
    feedbackId: feedbackId(),
    reportingMTA: "dsn; local-ses.localhost",
  };
}

function mailObjectOf(message: AcceptedMessage, context: EmailEventContext): Record<string, unknown> {
  const sender = bareAddress(message.source);
  const fromDomain = sender.split("@")[1] ?? sender;
  const tags: Record<string, string[]> = {
    ...(message.configurationSetName === undefined ? {} : { "ses:configuration-set": [message.configurationSetName] }),
    "ses:source-ip": ["127.0.0.1"],
    "ses:from-domain": [fromDomain],
    "ses:caller-identity": ["local"],
  };
  for (const tag of message.tags) tags[tag.Name] = [tag.Value];
  const headers = [
    { name: "From", value: message.source },
    { name: "To", value: message.destination.join(", ") },
    ...(message.subject === undefined ? [] : [{ name: "Subject", value: message.subject }]),
  ];
  return {
    timestamp: message.timestamp.toISOString(),
    source: message.source,
    sourceArn: `arn:aws:ses:${context.region}:${context.account}:identity/${sender}`,
    sendingAccountId: context.account,
    messageId: message.messageId,
    destination: [...message.destination],
    headersTruncated: false,
    headers,
    commonHeaders: {
      from: [message.source],
      to: [...message.destination],
      messageId: message.messageId,
      ...(message.subject === undefined ? {} : { subject: message.subject }),
    },
    tags,
  };
}

function feedbackId(): string {
  return `local-${randomUUID()}-000000`;
}
