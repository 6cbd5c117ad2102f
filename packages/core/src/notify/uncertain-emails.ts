import { randomUUID } from "node:crypto";
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import { UNCERTAIN_EMAIL_INDEX } from "../config/table-keys";
import { AWAITING_PROOF, AWAITING_PROOF_FIELDS } from "./email-awaiting-proof";
import type { NotificationKey, NotificationLogRecord, StepResult } from "./notification-log";

/**
 * Emails awaiting proof: an email-log row whose email is `uncertain` (SES's answer was lost, or the invocation died
 * after the attempt mark) carries the email as it would have been sent and the keys of the sparse
 * `uncertain-email-index`, until an SES event of the message proves SES accepted it (record-email-event.ts) or the
 * sweep, finding none within its window, sends it (sweep-uncertain-emails.ts). Both remove {@link AWAITING_PROOF_FIELDS}
 * in the write that resolves the row, so the index lists exactly the rows still awaiting proof.
 */

/** One row the index lists: its key and since when its email awaits proof. */
export interface UncertainEmailEntry {
  readonly key: NotificationKey;
  readonly since: string;
}

/** One page of the index's due rows, and where the next page starts (none after the last). */
export interface UncertainEmailPage {
  readonly entries: readonly UncertainEmailEntry[];
  readonly next: Record<string, unknown> | undefined;
}

/** A row the sweep has claimed: the row as the claim left it, and the claim's token for the write that records the outcome. */
export interface ClaimedUncertainEmail {
  readonly row: NotificationLogRecord;
  readonly token: string;
  /** `emailUncertainSince` before the claim (the release puts it back). */
  readonly previousSince: string;
}

/** How a sweep's send ended, as the row records it. */
export type SweepOutcome =
  | { readonly kind: "sent"; readonly messageId: string | undefined; readonly at: Date }
  | { readonly kind: "refused"; readonly error: string }
  /** SES answered an error: nothing was sent; the row is due again at once. */
  | { readonly kind: "not-sent"; readonly error: string }
  /** No answer: the email may have gone; the row waits a new window for this send's SES events. */
  | { readonly kind: "unanswered"; readonly error: string }
  /** An SES event reached the row before the send: SES had accepted the email (no send was made). */
  | { readonly kind: "proved"; readonly messageId: string };

/** The email log could not be queried or written by the sweep; the next sweep tries again. */
export class UncertainEmailLogError extends Error {
  override readonly name = "UncertainEmailLogError";
  readonly code = "UNCERTAIN_EMAIL_LOG_UNAVAILABLE";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface UncertainEmailLogDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Rows per query page. */
const PAGE_SIZE = 100;

/**
 * The sweep's three requests as DynamoDB inputs, apart from their sending so that the bench's bare handler sends
 * exactly these (bench/cold-start.ts).
 */
export const uncertainEmailRequests = {
  /** One page of the rows awaiting proof since `dueBy` or earlier, oldest first, from `after`. */
  listDue(tableName: string, dueBy: Date, after?: Record<string, unknown>) {
    return {
      TableName: tableName,
      IndexName: UNCERTAIN_EMAIL_INDEX.name,
      KeyConditionExpression: "#awaiting = :awaiting AND #since <= :dueBy",
      ExpressionAttributeNames: {
        "#awaiting": UNCERTAIN_EMAIL_INDEX.partitionKey.name,
        "#since": UNCERTAIN_EMAIL_INDEX.sortKey.name,
      },
      ExpressionAttributeValues: { ":awaiting": AWAITING_PROOF, ":dueBy": dueBy.toISOString() },
      Limit: PAGE_SIZE,
      ...(after ? { ExclusiveStartKey: after } : {}),
    };
  },

  /** The claim (see `claim`): still uncertain since `entry.since`; moves the window to `now`, counts the attempt. */
  claim(tableName: string, entry: UncertainEmailEntry, now: Date, token: string) {
    return {
      TableName: tableName,
      Key: { ...entry.key },
      UpdateExpression:
        "SET emailUncertainSince = :now, emailSweepToken = :token, emailSweepAttempts = if_not_exists(emailSweepAttempts, :zero) + :one",
      ConditionExpression:
        "#status = :uncertain AND emailResult = :uncertain AND emailUncertainSince = :since AND attribute_exists(uncertainEmail)",
      ExpressionAttributeNames: { "#status": "status" },
      ExpressionAttributeValues: {
        ":uncertain": "uncertain",
        ":since": entry.since,
        ":now": now.toISOString(),
        ":token": token,
        ":zero": 0,
        ":one": 1,
      },
      ReturnValues: "ALL_NEW" as const,
    };
  },

  /** How the claimed send ended (see `record`). */
  record(tableName: string, claimed: ClaimedUncertainEmail, outcome: SweepOutcome) {
    const { row, token } = claimed;
    const settles = outcome.kind === "sent" || outcome.kind === "refused" || outcome.kind === "proved";
    const result: StepResult = outcome.kind === "refused" ? "failed" : "sent";
    const status = row.snsResult === "uncertain" ? "uncertain" : result;
    const sets: Record<string, unknown> = settles
      ? {
          emailResult: result,
          status,
          emailResolvedBy: outcome.kind === "proved" ? "ses-event" : "sweep",
          ...(outcome.kind === "sent"
            ? { sentAt: outcome.at.toISOString(), ...(outcome.messageId ? { messageId: outcome.messageId } : {}) }
            : {}),
          ...(outcome.kind === "proved" ? { messageId: outcome.messageId } : {}),
          ...(outcome.kind === "refused" ? { emailError: outcome.error } : {}),
        }
      : {
          lastSweepError: outcome.error,
          ...(outcome.kind === "not-sent" ? { emailUncertainSince: claimed.previousSince } : {}),
        };
    const removes = ["emailSweepToken", ...(settles ? AWAITING_PROOF_FIELDS : [])];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":token": token, ":uncertain": "uncertain" };
    const assignments = Object.entries(sets).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    return {
      TableName: tableName,
      Key: { orderId: row.orderId, notificationKey: row.notificationKey },
      UpdateExpression: `SET ${assignments.join(", ")} REMOVE ${removes.join(", ")}`,
      ConditionExpression: "emailSweepToken = :token AND emailResult = :uncertain",
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
  },
};

/** The sweep's reads and writes of the email-log rows awaiting proof (see the module comment). */
export function createUncertainEmailLog(deps: UncertainEmailLogDependencies) {
  const where = (key: NotificationKey) => `email log row ${key.orderId}/${key.notificationKey} in ${deps.tableName}`;

  /** One conditional write; false when the condition fails (another writer got there first). */
  async function write(action: string, key: NotificationKey, command: UpdateCommand): Promise<boolean> {
    try {
      await deps.documentClient.send(command);
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw new UncertainEmailLogError(
        `could not ${action} ${where(key)}: ${describeError(error)}`,
        isTransientAwsError(error),
        {
          cause: error,
        },
      );
    }
  }

  return {
    /**
     * One page of the rows whose email has awaited proof since `dueBy` or earlier, oldest first, from `after` (the
     * previous page's `next`); `next` is undefined on the last page.
     */
    async listDue(dueBy: Date, after?: Record<string, unknown>): Promise<UncertainEmailPage> {
      try {
        const page = await deps.documentClient.send(
          new QueryCommand(uncertainEmailRequests.listDue(deps.tableName, dueBy, after)),
        );
        return {
          entries: (page.Items ?? []).map((item) => ({
            key: { orderId: String(item.orderId), notificationKey: String(item.notificationKey) },
            since: String(item.emailUncertainSince),
          })),
          next: page.LastEvaluatedKey,
        };
      } catch (error) {
        throw new UncertainEmailLogError(
          `could not query ${UNCERTAIN_EMAIL_INDEX.name} of ${deps.tableName}: ${describeError(error)}`,
          isTransientAwsError(error),
          { cause: error },
        );
      }
    },

    /**
     * Takes one row for a send: only if its notification is complete and `uncertain`, its email still `uncertain` and
     * awaiting proof since `entry.since` (the index may be behind the table). The claim moves `emailUncertainSince` to
     * `now` and counts the attempt, so it is also the send's attempt mark: another sweep that read the same row finds
     * it changed, and if this one dies after sending, the row waits a whole window for the send's SES events before
     * it is due again. Undefined when the row was not this sweep's to take.
     */
    async claim(entry: UncertainEmailEntry, now: Date): Promise<ClaimedUncertainEmail | undefined> {
      const token = randomUUID();
      try {
        const answer = await deps.documentClient.send(
          new UpdateCommand(uncertainEmailRequests.claim(deps.tableName, entry, now, token)),
        );
        return { row: answer.Attributes as NotificationLogRecord, token, previousSince: entry.since };
      } catch (error) {
        if (isConditionalCheckFailure(error)) return undefined;
        throw new UncertainEmailLogError(
          `could not claim ${where(entry.key)} for the uncertain-email sweep: ${describeError(error)}`,
          isTransientAwsError(error),
          { cause: error },
        );
      }
    },

    /**
     * Records how the claimed send ended, if the row is still this claim's and still `uncertain` (an SES event may
     * have resolved it meanwhile: then false). Sent, refused or proved: the email's result, the notification's status
     * (still `uncertain` while its SNS step is), and the row leaves the index. Not sent: `emailUncertainSince` goes
     * back, so the next sweep sends it. Unanswered: the row stays as the claim left it, due after a new window.
     */
    async record(claimed: ClaimedUncertainEmail, outcome: SweepOutcome): Promise<boolean> {
      const { row } = claimed;
      return write(
        `record the sweep's ${outcome.kind} email on`,
        { orderId: row.orderId, notificationKey: row.notificationKey },
        new UpdateCommand(uncertainEmailRequests.record(deps.tableName, claimed, outcome)),
      );
    },
  };
}

export type UncertainEmailLog = ReturnType<typeof createUncertainEmailLog>;
