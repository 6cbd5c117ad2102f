import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { silentLogger, type Logger } from "../logger";
import { uncountedBusinessMetrics, type BusinessMetrics } from "../metrics/business-metrics";
import { maskEmail } from "./customer-contact";
import type { EmailSuppressions } from "./email-suppressions";
import { markEmailSuppressed } from "./mark-suppressed-email";
import type { NotificationLogRecord } from "./notification-log";
import type { EmailEvent, EmailEventKind } from "./ses-email-event";
import { AWAITING_PROOF_FIELDS } from "./email-awaiting-proof";

/** The email-log row attribute each kind of SES event sets, once (the first report wins). */
export const EMAIL_EVENT_ATTRIBUTE: Readonly<Record<EmailEventKind, string>> = {
  sent: "sesSentAt",
  delivered: "sesDeliveredAt",
  bounced: "sesBouncedAt",
  complained: "sesComplainedAt",
  rejected: "sesRejectedAt",
  delayed: "sesDelayedAt",
};

export interface EmailEventRecordingDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly emailLogTableName: string;
  /** This stage's configuration set: events of emails sent with another one (another stage) are not this stage's. */
  readonly configurationSetName: string;
  readonly suppressions: EmailSuppressions;
  readonly logger?: Logger;
  readonly metrics?: BusinessMetrics;
}

export interface EmailEventResult {
  /**
   * `recorded` on the email-log row; `untagged`: an email without our tag (not a customer email of this system);
   * `other-stage`: sent with another configuration set; `row-missing`: the tag names a row the table does not have.
   */
  readonly status: "recorded" | "untagged" | "other-stage" | "row-missing";
  /** The row's email was `uncertain` and this event proved SES accepted it: now `sent`. */
  readonly resolvedUncertain: boolean;
  /** Addresses newly added to the suppression list (lower-cased). */
  readonly suppressed: readonly string[];
  /** Present (true) when this event marked the row's email `suppressed`: SES did not send it to a suppressed address. */
  readonly emailSuppressed?: true;
}

/** The email-log row could not be written; the platform retries the event. */
export class EmailEventRecordingError extends Error {
  override readonly name = "EmailEventRecordingError";
  readonly code = "EMAIL_EVENT_NOT_RECORDED";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Records an SES email event on its email-log row, idempotently and in any order: each kind sets its own attribute
 * (`sesSentAt`, `sesDeliveredAt`, `sesBouncedAt` with `sesBounceType`, ...) only if absent, so a duplicate or a late
 * event changes nothing. Any event of a message proves SES accepted it, so a row whose email is `uncertain` becomes
 * `sent` with the SES message id (`emailResolvedBy: ses-event`). A permanent bounce or a complaint adds the
 * recipients to the suppression list, so no later customer email goes to them. A report that SES did not send the
 * email because the address is on its suppression list marks the row `suppressed` (see `markEmailSuppressed`).
 */
export async function recordEmailEvent(
  event: EmailEvent,
  deps: EmailEventRecordingDependencies,
): Promise<EmailEventResult> {
  const logger = deps.logger ?? silentLogger;
  const metrics = deps.metrics ?? uncountedBusinessMetrics;
  const ignored = (status: EmailEventResult["status"]): EmailEventResult => ({
    status,
    resolvedUncertain: false,
    suppressed: [],
  });
  if (event.configurationSetName !== deps.configurationSetName) {
    logger.debug("SES email event of another configuration set (another stage's email): not recorded", {
      messageId: event.messageId,
      configurationSetName: event.configurationSetName,
    });
    return ignored("other-stage");
  }
  // Suppression first: it must hold even when the row is gone or untagged.
  const suppressed = event.suppressesRecipients ? await suppressRecipients(event, deps) : [];
  countEvent(event, metrics);
  if (!event.key) {
    logger.warn("SES email event of an email without the email-log tag: recorded nowhere", {
      messageId: event.messageId,
      kind: event.kind,
    });
    return { ...ignored("untagged"), suppressed };
  }
  const key = event.key;
  const row = await setEventAttributes(event, key, deps);
  if (!row) {
    logger.warn("SES email event names an email-log row that does not exist: not recorded", {
      ...key,
      messageId: event.messageId,
      kind: event.kind,
    });
    return { ...ignored("row-missing"), suppressed };
  }
  // A row still being notified is left to the notifier, which completes it `uncertain`; the sweep then finds this
  // event's `sesMessageId` on it and records it sent without sending (sweep-uncertain-emails.ts).
  const resolvedUncertain =
    row.emailResult === "uncertain" && row.status === "uncertain" && (await resolveUncertainEmail(event, row, deps));
  if (resolvedUncertain) {
    metrics.count("UncertainEmailResolved");
    logger.info("uncertain email resolved: SES reports it accepted the email", { ...key, messageId: event.messageId });
  }
  const emailSuppressed = event.onSuppressionList && (await markEmailSuppressed(event, row, deps));
  if (emailSuppressed) {
    metrics.count("EmailSuppressed");
    logger.warn("email not sent: SES holds the address on its suppression list", {
      ...key,
      messageId: event.messageId,
    });
  }
  logger.info("SES email event recorded", { ...key, kind: event.kind, messageId: event.messageId });
  return { status: "recorded", resolvedUncertain, suppressed, ...(emailSuppressed ? { emailSuppressed } : {}) };
}

function countEvent(event: EmailEvent, metrics: BusinessMetrics): void {
  // A report of an email SES did not send to a suppressed address is counted as EmailSuppressed, once per row.
  if (event.onSuppressionList) return;
  if (event.kind === "bounced") metrics.count("EmailBounced");
  if (event.kind === "complained") metrics.count("EmailComplained");
}

async function suppressRecipients(event: EmailEvent, deps: EmailEventRecordingDependencies): Promise<string[]> {
  const added: string[] = [];
  for (const recipient of event.recipients) {
    const isNew = await deps.suppressions.suppress({
      address: recipient,
      reason: event.kind === "complained" ? "complaint" : "bounce",
      suppressedAt: event.at,
      messageId: event.messageId,
      ...(event.key ? { orderId: event.key.orderId, notificationKey: event.key.notificationKey } : {}),
      ...(event.bounceType ? { bounceType: event.bounceType } : {}),
    });
    if (isNew) {
      added.push(recipient.toLowerCase());
      (deps.logger ?? silentLogger).warn("address suppressed: no further customer email goes to it", {
        recipient: maskEmail(recipient),
        reason: event.kind,
        bounceType: event.bounceType,
      });
    }
  }
  return added;
}

/** Sets the event's attributes if absent; the row afterwards, or undefined when there is no such row. */
async function setEventAttributes(
  event: EmailEvent,
  key: { orderId: string; notificationKey: string },
  deps: EmailEventRecordingDependencies,
): Promise<NotificationLogRecord | undefined> {
  const sets = ["#at = if_not_exists(#at, :at)", "sesMessageId = if_not_exists(sesMessageId, :messageId)"];
  const values: Record<string, unknown> = { ":at": event.at, ":messageId": event.messageId };
  if (event.bounceType) {
    sets.push("sesBounceType = if_not_exists(sesBounceType, :bounceType)");
    values[":bounceType"] = event.bounceType;
  }
  try {
    const answer = await deps.documentClient.send(
      new UpdateCommand({
        TableName: deps.emailLogTableName,
        Key: { ...key },
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: "attribute_exists(orderId)",
        ExpressionAttributeNames: { "#at": EMAIL_EVENT_ATTRIBUTE[event.kind] },
        ExpressionAttributeValues: values,
        ReturnValues: "ALL_NEW",
      }),
    );
    return answer.Attributes as NotificationLogRecord;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return undefined;
    throw new EmailEventRecordingError(
      `could not record the SES ${event.kind} event of message ${event.messageId} on email log row ${key.orderId}/${key.notificationKey} in ${deps.emailLogTableName}: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );
  }
}

/** `uncertain` → `sent`, if the row still says so; false when another writer changed it first. */
async function resolveUncertainEmail(
  event: EmailEvent,
  row: NotificationLogRecord,
  deps: EmailEventRecordingDependencies,
): Promise<boolean> {
  // The notification's status is `uncertain` if either step is; with the email settled it follows the SNS step.
  const status = row.snsResult === "uncertain" ? "uncertain" : "sent";
  try {
    await deps.documentClient.send(
      new UpdateCommand({
        TableName: deps.emailLogTableName,
        Key: { orderId: row.orderId, notificationKey: row.notificationKey },
        UpdateExpression:
          // The email no longer awaits proof: it leaves the sweep's index (uncertain-emails.ts).
          `SET emailResult = :sent, messageId = if_not_exists(messageId, :messageId), sentAt = if_not_exists(sentAt, :at), emailResolvedBy = :by, #status = :status REMOVE ${AWAITING_PROOF_FIELDS.join(", ")}`,
        ConditionExpression: "emailResult = :uncertain AND #status = :previous",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":sent": "sent",
          ":uncertain": "uncertain",
          ":messageId": event.messageId,
          ":at": event.at,
          ":by": "ses-event",
          ":status": status,
          ":previous": row.status,
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw new EmailEventRecordingError(
      `could not mark the uncertain email of row ${row.orderId}/${row.notificationKey} sent: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );
  }
}
