import { UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { isFinishedNotification, type NotificationLogRecord } from "./notification-log";
import type { EmailEvent } from "./ses-email-event";

/** The email-log row could not be marked `suppressed` (yet): the platform retries the event. */
export class SuppressedEmailMarkingError extends Error {
  override readonly name = "SuppressedEmailMarkingError";
  readonly code = "SUPPRESSED_EMAIL_NOT_MARKED";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SuppressedEmailMarkingDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly emailLogTableName: string;
}

/**
 * Marks the email of `row` `suppressed` after SES reported that it did not send it, the address being on its
 * suppression list (`event.onSuppressionList`): `emailResult` and the row's `status` become `suppressed` (the status
 * stays `uncertain` when the SNS step is), with `emailSuppressedAt`. True when this call marked it; false when it
 * was marked already (a duplicate or a second recipient's report). `row` is the row as just read.
 *
 * @throws SuppressedEmailMarkingError (transient) while the notifier still works on the row (`sending`/`pending`):
 *   the event came before the notifier's last write, and is retried after it.
 */
export async function markEmailSuppressed(
  event: EmailEvent,
  row: NotificationLogRecord,
  deps: SuppressedEmailMarkingDependencies,
): Promise<boolean> {
  if (row.emailResult === "suppressed") return false;
  // Before the notifier finishes the row, its own last write would overwrite the mark.
  if (!isFinishedNotification(row.status))
    throw new SuppressedEmailMarkingError(
      `email log row ${row.orderId}/${row.notificationKey} is still ${row.status}: SES reported message ${event.messageId} suppressed before the notifier finished the row; the event is retried`,
      true,
    );
  try {
    await deps.documentClient.send(
      new UpdateCommand({
        TableName: deps.emailLogTableName,
        Key: { orderId: row.orderId, notificationKey: row.notificationKey },
        UpdateExpression: "SET emailResult = :suppressed, #status = :status, emailSuppressedAt = :at",
        ConditionExpression: "emailResult IN (:sent, :uncertain) AND #status IN (:sent, :uncertain)",
        ExpressionAttributeNames: { "#status": "status" },
        ExpressionAttributeValues: {
          ":suppressed": "suppressed",
          ":status": row.snsResult === "uncertain" ? "uncertain" : "suppressed",
          ":at": event.at,
          ":sent": "sent",
          ":uncertain": "uncertain",
        },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailure(error)) return false;
    throw new SuppressedEmailMarkingError(
      `could not mark the email of row ${row.orderId}/${row.notificationKey} suppressed in ${deps.emailLogTableName}: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );
  }
}
