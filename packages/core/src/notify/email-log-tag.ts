import type { NotificationKey } from "./notification-log";

/** The SES message tag that ties a customer email to its email-log row. */
export const EMAIL_LOG_TAG_NAME = "payment3-email-log";

/** SES takes at most 256 characters in a tag value, only ASCII letters, digits, `_` and `-`. */
const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The message tag of the email of notification `key`: its order id and notification key as base64url JSON, because
 * SES tag values allow only letters, digits, `_` and `-` (https://docs.aws.amazon.com/ses/latest/APIReference/API_MessageTag.html).
 * Undefined when the encoded key would be longer than SES allows: the email then goes untagged.
 */
export function emailLogTagOf(key: NotificationKey): { Name: string; Value: string } | undefined {
  const value = Buffer.from(JSON.stringify([key.orderId, key.notificationKey]), "utf8").toString("base64url");
  return value.length > MAX_TAG_VALUE_LENGTH ? undefined : { Name: EMAIL_LOG_TAG_NAME, Value: value };
}

/** The notification key an email event's `mail.tags` carries, if it carries a readable one. */
export function notificationKeyOfTags(tags: Readonly<Record<string, readonly string[]>>): NotificationKey | undefined {
  const value = tags[EMAIL_LOG_TAG_NAME]?.[0];
  if (value === undefined) return undefined;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (
      Array.isArray(decoded) &&
      decoded.length === 2 &&
      typeof decoded[0] === "string" &&
      typeof decoded[1] === "string" &&
      decoded[0] !== "" &&
      decoded[1] !== ""
    )
      return { orderId: decoded[0], notificationKey: decoded[1] };
  } catch {
    // Not ours or damaged: treated as untagged.
  }
  return undefined;
}
