import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isTransientAwsError } from "../aws/aws-error";

/**
 * EmailLogTable: one row per notification, keyed by (orderId, notificationKey = the outcome's
 * idempotency key). The row never expires, so it is the durable "sent once" record: a replay
 * months later finds it and sends nothing.
 *
 * Each side effect is recorded as attempted before it happens and as done right after. A
 * redelivery resumes at the first step without a result. A step that was attempted but has no
 * result (the process died in between, or the call timed out) is NOT repeated: it becomes
 * `uncertain` and is logged at ERROR for a person to check, because a second payment email
 * looks to a customer like a second charge.
 */
export type NotificationStatus = "sending" | "pending" | "sent" | "failed" | "skipped" | "uncertain";
export type StepResult = "sent" | "failed" | "skipped" | "uncertain";

export interface EmailLogRecord {
  readonly orderId: string;
  readonly notificationKey: string;
  readonly status: NotificationStatus;
  readonly template?: string;
  readonly recipient?: string | null;
  readonly eventId?: string;
  readonly claimToken?: string;
  readonly claimedAt?: number;
  readonly emailAttemptedAt?: number;
  readonly emailResult?: StepResult;
  readonly messageId?: string;
  readonly sentAt?: string;
  readonly emailError?: string;
  readonly snsAttemptedAt?: number;
  readonly snsResult?: StepResult;
  readonly snsMessageId?: string;
}

export interface EmailLogDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
  /** How long a claim protects an unfinished notification from others. Longer than the function timeout. */
  readonly leaseMs: number;
  readonly now?: () => Date;
}

/** Another invocation is sending this notification right now; retry later. */
export class NotificationInProgressError extends Error {
  override readonly name = "NotificationInProgressError";
  readonly code = "NOTIFICATION_IN_PROGRESS";
  readonly retryable = true;
}

/** The email log could not be read or written. */
export class EmailLogError extends Error {
  override readonly name = "EmailLogError";
  readonly code = "EMAIL_LOG_UNAVAILABLE";
  constructor(message: string, readonly retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export type ClaimResult =
  | { readonly kind: "claimed"; readonly token: string; readonly previous: EmailLogRecord | undefined }
  | { readonly kind: "done"; readonly record: EmailLogRecord };

const isConditionFailure = (error: unknown) =>
  error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === "ConditionalCheckFailedException";

const FINAL: readonly NotificationStatus[] = ["sent", "failed", "skipped", "uncertain"];

export interface NotificationKey {
  readonly orderId: string;
  readonly notificationKey: string;
}

/** Reads and writes EmailLogTable rows with the conditions that make each notification happen once. */
export function createEmailLog(deps: EmailLogDependencies) {
  const now = () => (deps.now ?? (() => new Date()))();
  const fail = (action: string, key: NotificationKey, error: unknown) =>
    new EmailLogError(`could not ${action} email log row ${key.orderId}/${key.notificationKey} in ${deps.tableName}: ${describeError(error)}`, isTransientAwsError(error), { cause: error });

  async function read(key: NotificationKey): Promise<EmailLogRecord | undefined> {
    try {
      const result = await deps.documentClient.send(new GetCommand({ TableName: deps.tableName, Key: { ...key }, ConsistentRead: true }));
      return result.Item as EmailLogRecord | undefined;
    } catch (error) {
      throw fail("read", key, error);
    }
  }

  /** Sets fields on a row we hold the claim of. */
  async function update(key: NotificationKey, token: string, fields: Record<string, unknown>, remove: readonly string[] = []): Promise<void> {
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
    const expression = [sets.length ? `SET ${sets.join(", ")}` : "", removes.length ? `REMOVE ${removes.join(", ")}` : ""].filter(Boolean).join(" ");
    // A record write right after an email went out must not be lost to one throttled call.
    for (let attempt = 1; ; attempt++) {
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
        return;
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new EmailLogError(`lost the claim on ${key.orderId}/${key.notificationKey} (another invocation took it over after the lease ran out)`, false, { cause: error });
        }
        if (!isTransientAwsError(error) || attempt >= 3) throw fail("update", key, error);
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
    }
  }

  return {
    read,

    /**
     * Takes the notification for this invocation: creates the row, or takes over one that was
     * released (`pending`) or whose claim ran out. A finished row means a duplicate: `done`.
     */
    async claim(key: NotificationKey, fields: { template: string; recipient: string | null; eventId: string }): Promise<ClaimResult> {
      const token = randomUUID();
      const at = now().getTime();
      try {
        const result = await deps.documentClient.send(
          new UpdateCommand({
            TableName: deps.tableName,
            Key: { ...key },
            UpdateExpression: "SET #status = :sending, claimToken = :token, claimedAt = :now, template = :template, recipient = :recipient, eventId = :eventId",
            ConditionExpression: "attribute_not_exists(#status) OR #status = :pending OR (#status = :sending AND claimedAt < :staleBefore)",
            ExpressionAttributeNames: { "#status": "status" },
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
        return { kind: "claimed", token, previous: result.Attributes as EmailLogRecord | undefined };
      } catch (error) {
        if (!isConditionFailure(error)) throw fail("claim", key, error);
      }
      const existing = await read(key);
      if (existing && FINAL.includes(existing.status)) return { kind: "done", record: existing };
      throw new NotificationInProgressError(`notification ${key.notificationKey} is being sent by another invocation; it will be retried`);
    },

    /** Records that a step is about to run, so a crash during it is never mistaken for "not started". */
    markAttempt: (key: NotificationKey, token: string, step: "email" | "sns") => update(key, token, { [`${step}AttemptedAt`]: now().getTime() }),

    recordEmail: (key: NotificationKey, token: string, result: { emailResult: StepResult; messageId?: string; sentAt?: string; emailError?: string }) =>
      update(key, token, result),

    recordSns: (key: NotificationKey, token: string, result: { snsResult: StepResult; snsMessageId?: string }) => update(key, token, result),

    /** Gives the notification back after a fault that certainly had no effect, so a retry starts the step again. */
    release: (key: NotificationKey, token: string, step: "email" | "sns", error: string) =>
      update(key, token, { status: "pending", lastError: error }, [`${step}AttemptedAt`, "claimToken"]),

    /** Final status; the row stays for good. */
    complete: (key: NotificationKey, token: string, status: Exclude<NotificationStatus, "sending" | "pending">) => update(key, token, { status, completedAt: now().toISOString() }, ["claimToken"]),
  };
}

export type EmailLog = ReturnType<typeof createEmailLog>;
