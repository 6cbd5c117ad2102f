import { GetCommand, PutCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describeError, isConditionalCheckFailure, isTransientAwsError } from "../aws/aws-error";

/**
 * The reasons for which SES itself adds an address to the account-level suppression list when an email of the
 * stage's configuration set ends that way (its `SuppressionOptions`), and then refuses to deliver a later email to it:
 * a hard bounce and a complaint (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_SuppressionOptions.html).
 * The stacks and the local runtime both set the configuration set from this list.
 */
export const EMAIL_SUPPRESSED_REASONS = ["BOUNCE", "COMPLAINT"] as const;

/** Why an address is not written to again: it bounced for good, or its owner marked our email as spam. */
export type SuppressionReason = "bounce" | "complaint";

/** One suppressed address (EmailSuppressionTable row, keyed by the lower-cased address). */
export interface SuppressedAddress {
  readonly address: string;
  readonly reason: SuppressionReason;
  /** When SES reported it (the event's own time). */
  readonly suppressedAt: string;
  /** The email that bounced or was complained about, and its email-log row. */
  readonly messageId: string;
  readonly orderId?: string;
  readonly notificationKey?: string;
  /** `Permanent/General` and the like, for a bounce. */
  readonly bounceType?: string;
}

/** The suppression list could not be read or written. */
export class EmailSuppressionsError extends Error {
  override readonly name = "EmailSuppressionsError";
  readonly code = "EMAIL_SUPPRESSIONS_UNAVAILABLE";
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface EmailSuppressionsDependencies {
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * The addresses customer emails are no longer sent to: written by the email-events subscriber on a permanent bounce
 * or a complaint, read by the notifier before each email. The first report of an address is kept (a later one of
 * the same address changes nothing), so a duplicate or out-of-order event writes nothing new.
 */
export function createEmailSuppressions(deps: EmailSuppressionsDependencies) {
  const fail = (action: string, address: string, error: unknown) =>
    new EmailSuppressionsError(
      `could not ${action} suppressed address ${address} in ${deps.tableName}: ${describeError(error)}`,
      isTransientAwsError(error),
      { cause: error },
    );
  return {
    /** Adds `entry.address`; returns false when it was already suppressed. */
    async suppress(entry: SuppressedAddress): Promise<boolean> {
      const address = entry.address.toLowerCase();
      try {
        await deps.documentClient.send(
          new PutCommand({
            TableName: deps.tableName,
            Item: { ...entry, address },
            ConditionExpression: "attribute_not_exists(address)",
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailure(error)) return false;
        throw fail("add", address, error);
      }
    },

    /** The suppression of `address` (case-insensitive), or undefined when mail may go to it. */
    async find(address: string): Promise<SuppressedAddress | undefined> {
      const key = address.toLowerCase();
      try {
        const answer = await deps.documentClient.send(
          new GetCommand({ TableName: deps.tableName, Key: { address: key }, ConsistentRead: true }),
        );
        return answer.Item as SuppressedAddress | undefined;
      } catch (error) {
        throw fail("read", key, error);
      }
    },
  };
}

export type EmailSuppressions = ReturnType<typeof createEmailSuppressions>;
