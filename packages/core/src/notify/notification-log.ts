import { randomUUID } from "node:crypto";
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";
import type { OutgoingEmail } from "./mail-sender";
import { systemClock } from "../clock";

/**
 * The notification log: one EmailLogTable row per notification (the customer email and the topic
 * message of one outcome), keyed by (orderId, notificationKey = the outcome's idempotency key),
 * never expiring. Its conditional writes are the steps of the notification protocol, described
 * once on `notifyCustomer` (notify-customer.ts): one write per step boundary that must be durable
 * (the claim with the first call's attempt mark, each call's result with the next call's mark,
 * the last result with the final status). The row's fields are {@link NotificationLogRecord}.
 */
/** `suppressed`: SES accepted the email and did not send it, the address being on its suppression list (email only). */
export type NotificationStatus = "sending" | "pending" | "sent" | "failed" | "skipped" | "uncertain" | "suppressed";
export type StepResult = "sent" | "failed" | "skipped" | "uncertain" | "suppressed";
export type NotificationStep = "email" | "sns";

/** What the email step's result writes to the row. */
export interface EmailStepRecord {
  readonly emailResult: StepResult;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly emailError?: string;
  /** How an email that had been `uncertain` was settled: an SES event of it, or the sweep sending it. */
  readonly emailResolvedBy?: "ses-event" | "sweep";
  /** With `uncertain`: the email awaiting proof and the sparse index's keys (uncertain-emails.ts). */
  readonly emailAwaitingProof?: string;
  readonly emailUncertainSince?: string;
  readonly uncertainEmail?: OutgoingEmail;
}

/** What the SNS step's result writes to the row. */
export interface SnsStepRecord {
  readonly snsResult: StepResult;
  readonly snsMessageId?: string;
}

/** Step results known to an invocation and not yet written: they go with its next write. */
export type StepResults = Partial<EmailStepRecord & SnsStepRecord>;

export interface ReleaseRequest {
  /** What went wrong, kept on the row as `lastError` for whoever looks at it. */
  readonly error: string;
  /**
   * A step this invocation marked as attempted that certainly had no effect (the mark write
   * failed, or SES/SNS answered an error): its mark is cleared, so the next delivery does it.
   * Never set for a step that may have happened: its mark must stay.
   */
  readonly unsentStep?: NotificationStep;
  /** Results this invocation knows but has not recorded (SES accepted the email, then the write with the next mark failed): written with the release. */
  readonly results?: StepResults;
}

/**
 * An EmailLogTable row as written. The notification's own fields; a later feature (e.g. SES
 * delivery events) adds fields of its own beside them, and no write here removes fields it does
 * not name.
 */
export interface NotificationLogRecord {
  readonly orderId: string;
  /** The outcome's idempotency key. */
  readonly notificationKey: string;
  /** `sending` while claimed, `pending` when given back, then final for good: `sent`, `failed`, `skipped`, `uncertain`. */
  readonly status: NotificationStatus;
  /** `paid` or `declined`. */
  readonly template?: string;
  /** The customer's address as the outcome carried it; null when it had none (the email is `skipped`). */
  readonly recipient?: string | null;
  /** The EventBridge id of the outcome event the claim was made for. */
  readonly eventId?: string;
  /** The claim of the invocation holding the row (`sending`); removed when it is given back or completed. */
  readonly claimToken?: string;
  /** Epoch ms of the claim; a `sending` row older than the lease is taken over. */
  readonly claimedAt?: number;
  /** Epoch ms when the email call was about to be made; kept after the result. */
  readonly emailAttemptedAt?: number;
  /** The claim token of the invocation that marked the email attempted. */
  readonly emailAttemptToken?: string;
  readonly emailResult?: StepResult;
  /** SES's MessageId of the email sent. */
  readonly messageId?: string;
  readonly sentAt?: string;
  /** Why SES refused the email (`emailResult` failed). */
  readonly emailError?: string;
  readonly snsAttemptedAt?: number;
  readonly snsAttemptToken?: string;
  readonly snsResult?: StepResult;
  readonly snsMessageId?: string;
  /** What made the last invocation give the claim back. */
  readonly lastError?: string;
  /** SES's message id, from the first SES email event of the row's email (record-email-event.ts). */
  readonly sesMessageId?: string;
  /** How an email that had been `uncertain` was settled. */
  readonly emailResolvedBy?: "ses-event" | "sweep";
  /** Index keys and stored email of an `uncertain` email awaiting proof (uncertain-emails.ts); removed when resolved. */
  readonly emailAwaitingProof?: string;
  readonly emailUncertainSince?: string;
  readonly uncertainEmail?: OutgoingEmail;
  /** Sends the uncertain-email sweep has made (or claimed to make) for the row; the claim's token while it sends. */
  readonly emailSweepAttempts?: number;
  readonly emailSweepToken?: string;
  /** Why the sweep's last send did not settle the email (an error answer, or none). */
  readonly lastSweepError?: string;
  /** ISO time of the final status. */
  readonly completedAt?: string;
}

export interface NotificationLogDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a claim protects an unfinished notification from others. Longer than the function timeout. */
  readonly leaseMs: number;
  readonly now?: () => Date;
  /** Waits between write attempts; tests pass one that does not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Where an attempt that certainly had no effect is noted when its own row cannot be written
   * (the idempotency table: another table, so an outage of the row's partition does not stop it).
   * Without it, such an attempt is read as `uncertain`.
   */
  readonly idempotencyTableName?: string;
}

/** Records of attempts without effect expire after the longest a notification can still be delivered (event age 6 h, DLQ 14 days). */
const NO_EFFECT_RECORD_DAYS = 15;

/** Another invocation is sending this notification right now; retry later. */
export class NotificationInProgressError extends Error {
  override readonly name = "NotificationInProgressError";
  readonly code = "NOTIFICATION_IN_PROGRESS";
  readonly transient = true;
}

/**
 * A write on a row this invocation claimed found the claim gone: the lease ran out and another
 * invocation took the notification over (or an earlier write that seemed to fail had finished
 * the row). This invocation must leave the row alone.
 */
export class NotificationClaimLostError extends Error {
  override readonly name = "NotificationClaimLostError";
  readonly code = "NOTIFICATION_CLAIM_LOST";
  readonly transient = false;
}

/** The notification log (its EmailLogTable row, or the note of an attempt without effect) could not be read or written. */
export class NotificationLogError extends Error {
  override readonly name = "NotificationLogError";
  readonly code = "NOTIFICATION_LOG_UNAVAILABLE";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type ClaimResult =
  | {
      readonly kind: "claimed";
      readonly token: string;
      /** The row as the claim found it (without what an earlier attempt of this very claim wrote). */
      readonly previous: NotificationLogRecord | undefined;
      /** The step the claim marked attempted with its token; none when the row already had that step's mark (the earlier one stays). */
      readonly marked: NotificationStep | undefined;
    }
  | { readonly kind: "done"; readonly record: NotificationLogRecord };

const FINAL: readonly NotificationStatus[] = ["sent", "failed", "skipped", "uncertain", "suppressed"];

/** True once the notifier has finished the row (`sending` and `pending` are in its hands): its status is final. */
export const isFinishedNotification = (status: NotificationStatus): boolean => FINAL.includes(status);

export interface NotificationKey {
  readonly orderId: string;
  readonly notificationKey: string;
}

/** Attempts of a record write (each one the SDK's own retries): a result must not be lost to one throttled call. */
const RECORD_ATTEMPTS = 3;
/**
 * Attempts of a release, after 0.1, 0.2, 0.4 and 0.8 s: more patient than a record write, because a
 * claim not given back turns every delivery away for the lease, and an attempt mark not cleared
 * after an SES/SNS error answer later reads as `uncertain`, so that email or message is never sent.
 * Usually done in well under 2 s; with the SDK's own backoff under throttling at worst about 19 s,
 * still inside the function's 30 s timeout.
 */
const RELEASE_ATTEMPTS = 5;

/** Reads and writes the notification log's EmailLogTable rows with the conditions of the notification protocol (`notifyCustomer`). */
export function createNotificationLog(deps: NotificationLogDependencies) {
  const now = () => (deps.now ?? systemClock)();
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const fail = (action: string, key: NotificationKey, error: unknown) =>
    new NotificationLogError(
      `could not ${action} email log row ${key.orderId}/${key.notificationKey} in ${deps.tableName}: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );

  async function read(key: NotificationKey): Promise<NotificationLogRecord | undefined> {
    try {
      const result = await deps.documentClient.send(
        new GetCommand({ TableName: deps.tableName, Key: { ...key }, ConsistentRead: true }),
      );
      return result.Item as NotificationLogRecord | undefined;
    } catch (error) {
      throw fail("read", key, error);
    }
  }

  /** Sets fields on a row we hold the claim of. */
  async function update(
    key: NotificationKey,
    token: string,
    fields: object,
    remove: readonly string[] = [],
    attempts = RECORD_ATTEMPTS,
  ): Promise<void> {
    const names: Record<string, string> = { "#claimToken": "claimToken" };
    const values: Record<string, unknown> = { ":token": token };
    const sets = Object.entries(fields).map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:f${index}`] = value;
      return `#f${index} = :f${index}`;
    });
    const removes = remove.map((field, index) => {
      names[`#r${index}`] = field;
      return `#r${index}`;
    });
    const expression = [
      sets.length ? `SET ${sets.join(", ")}` : "",
      removes.length ? `REMOVE ${removes.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(" ");
    await sendRetrying("update", key, attempts, async () => {
      try {
        await deps.documentClient.send(
          new UpdateCommand({
            TableName: deps.tableName,
            Key: { ...key },
            UpdateExpression: expression,
            ConditionExpression: "#claimToken = :token",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailure(error)) throw error;
        throw new NotificationClaimLostError(
          `the claim on email log row ${key.orderId}/${key.notificationKey} is no longer this invocation's (the lease ran out and another invocation took it over, or an earlier write that seemed to fail had finished the row); leaving the row to it`,
          { cause: error },
        );
      }
    });
  }

  /** Makes one write, retrying transient DynamoDB errors up to `attempts` times with backoff; a lost claim fails at once. */
  async function sendRetrying(
    action: string,
    key: NotificationKey,
    attempts: number,
    write: () => Promise<unknown>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await write();
        return;
      } catch (error) {
        if (error instanceof NotificationClaimLostError) throw error;
        if (!isTransientAwsError(error) || attempt >= attempts) throw fail(action, key, error);
        await sleep(50 * 2 ** attempt);
      }
    }
  }

  /**
   * Notes, outside the row, that the attempt `token` made at `step` certainly had no effect (SES
   * or SNS answered an error, or the call was never made): the fallback when the write that would
   * clear its mark cannot be made. Returns false when there is nowhere to note it.
   */
  async function noteAttemptWithoutEffect(
    key: NotificationKey,
    token: string,
    step: NotificationStep,
  ): Promise<boolean> {
    if (!deps.idempotencyTableName) return false;
    await sendRetrying(`note the ${step} attempt without effect of`, key, RECORD_ATTEMPTS, () =>
      // An UpdateItem creates the note as a PutItem would (its key is new: one per claim token), and
      // keeps PutCommand out of the notifications bundle (BENCHMARKS.md, section 4).
      deps.documentClient.send(
        new UpdateCommand({
          TableName: deps.idempotencyTableName,
          Key: { id: noEffectRecordId(key, token, step) },
          UpdateExpression: "SET expiration = :expiration",
          ExpressionAttributeValues: {
            ":expiration": Math.floor(now().getTime() / 1000) + NO_EFFECT_RECORD_DAYS * 86_400,
          },
        }),
      ),
    );
    return true;
  }

  /** After a failed claim: its mark, if DynamoDB applied it, stands for no call. Best effort: the claim's error is what the caller hears. */
  async function noteClaimMarkWithoutEffect(
    key: NotificationKey,
    token: string,
    step: NotificationStep,
  ): Promise<void> {
    try {
      await noteAttemptWithoutEffect(key, token, step);
    } catch {
      // The idempotency table failing too: the mark, if applied, reads as uncertain after the lease (RELIABILITY.md, F3).
    }
  }

  return {
    read,
    leaseMs: deps.leaseMs,

    /**
     * Takes the notification for this invocation: creates the row, or takes over one that was
     * released (`pending`) or whose claim ran out. A finished row means a duplicate: `done`.
     * With `markAttempt`, the same write marks that step attempted with this claim's token,
     * unless the row has a mark for it already (an earlier attempt's mark is never overwritten
     * here: it may stand for a call that happened).
     */
    async claim(
      key: NotificationKey,
      fields: { template: string; recipient: string | null; eventId: string; markAttempt?: NotificationStep },
    ): Promise<ClaimResult> {
      const token = randomUUID();
      const at = now().getTime();
      const step = fields.markAttempt;
      try {
        const result = await deps.documentClient.send(
          new UpdateCommand({
            TableName: deps.tableName,
            Key: { ...key },
            UpdateExpression: `SET #status = :sending, claimToken = :token, claimedAt = :now, template = :template, recipient = :recipient, eventId = :eventId${
              step ? ", #markedAt = if_not_exists(#markedAt, :now), #markToken = if_not_exists(#markToken, :token)" : ""
            }`,
            // The last case: the SDK's retry of this very claim after DynamoDB applied it but answered an error.
            ConditionExpression:
              "attribute_not_exists(#status) OR #status = :pending OR (#status = :sending AND claimedAt < :staleBefore) OR claimToken = :token",
            ExpressionAttributeNames: {
              "#status": "status",
              ...(step ? { "#markedAt": `${step}AttemptedAt`, "#markToken": `${step}AttemptToken` } : {}),
            },
            ExpressionAttributeValues: {
              ":sending": "sending",
              ":pending": "pending",
              ":token": token,
              ":now": at,
              ":staleBefore": at - deps.leaseMs,
              ":template": fields.template,
              ":recipient": fields.recipient,
              ":eventId": fields.eventId,
            },
            ReturnValues: "ALL_OLD",
          }),
        );
        const previous = withoutOwnMarks(result.Attributes as NotificationLogRecord | undefined, token);
        const marked = step && !previous?.[`${step}AttemptedAt`] ? step : undefined;
        return { kind: "claimed", token, previous, marked };
      } catch (error) {
        if (!isConditionalCheckFailure(error)) {
          // DynamoDB may have applied the claim and its mark before answering the error: the
          // delivery after the lease would read that mark as a call that may have happened.
          if (step) await noteClaimMarkWithoutEffect(key, token, step);
          throw fail("claim", key, error);
        }
      }
      const existing = await read(key);
      if (existing && isFinishedNotification(existing.status)) return { kind: "done", record: existing };
      throw new NotificationInProgressError(
        `notification ${key.notificationKey} is being sent by another invocation; it will be retried`,
      );
    },

    /**
     * Records that a step is about to run, so a crash during it is never mistaken for "not
     * started", in one write with the results not yet recorded (the previous step's).
     */
    markAttempt: (key: NotificationKey, token: string, step: NotificationStep, results: StepResults = {}) =>
      update(key, token, { ...results, [`${step}AttemptedAt`]: now().getTime(), [`${step}AttemptToken`]: token }),

    /**
     * Notes, outside the row, that the attempt `token` made at `step` certainly had no effect (SES
     * or SNS answered an error): the fallback when the release that would clear its mark cannot be
     * written. Returns false when there is nowhere to note it.
     */
    noteAttemptWithoutEffect,

    /** Whether the attempt `token` made at `step` was noted as without effect (then the step is done again). */
    async hadNoEffect(key: NotificationKey, token: string, step: NotificationStep): Promise<boolean> {
      if (!deps.idempotencyTableName) return false;
      try {
        const answer = await deps.documentClient.send(
          new GetCommand({
            TableName: deps.idempotencyTableName,
            Key: { id: noEffectRecordId(key, token, step) },
            ConsistentRead: true,
          }),
        );
        return answer.Item !== undefined;
      } catch (error) {
        throw fail(`read the ${step} attempt record of`, key, error);
      }
    },

    /** Gives the claim back (protocol step 5): `pending`, results kept, only the `unsentStep`'s attempt mark cleared. Retried longer than a record write (RELEASE_ATTEMPTS). */
    release: (key: NotificationKey, token: string, request: ReleaseRequest) =>
      update(
        key,
        token,
        { ...request.results, status: "pending", lastError: request.error },
        [
          ...(request.unsentStep ? [`${request.unsentStep}AttemptedAt`, `${request.unsentStep}AttemptToken`] : []),
          "claimToken",
        ],
        RELEASE_ATTEMPTS,
      ),

    /** Final status, in one write with the results not yet recorded (the last step's); the row stays for good. */
    complete: (
      key: NotificationKey,
      token: string,
      status: Exclude<NotificationStatus, "sending" | "pending">,
      results: StepResults = {},
    ) => update(key, token, { ...results, status, completedAt: now().toISOString() }, ["claimToken"]),
  };
}

export type NotificationLog = ReturnType<typeof createNotificationLog>;

/** The row without the attempt marks `token` itself made (the SDK's retry of a claim that DynamoDB had applied returns them). */
function withoutOwnMarks(row: NotificationLogRecord | undefined, token: string): NotificationLogRecord | undefined {
  if (!row) return undefined;
  const ownMark = (field: string) =>
    (["email", "sns"] as const).some(
      (step) =>
        row[`${step}AttemptToken`] === token && (field === `${step}AttemptedAt` || field === `${step}AttemptToken`),
    );
  return Object.fromEntries(
    Object.entries(row).filter(([field]) => !ownMark(field)),
  ) as unknown as NotificationLogRecord;
}

function noEffectRecordId(key: NotificationKey, token: string, step: NotificationStep): string {
  return `notifications-no-effect#${key.orderId}#${key.notificationKey}#${step}#${token}`;
}
