/** An attachment as aws-ses-v2-local keeps it (content base64). */
export interface SentEmailAttachment {
  readonly filename?: string;
  readonly contentType: string;
  readonly size: number;
  readonly contentBase64: string;
}

/** One email the local SES accepted, read back from aws-ses-v2-local's `GET /store`. */
export interface SentEmail {
  readonly messageId: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  readonly replyTo: readonly string[];
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly attachments: readonly SentEmailAttachment[];
  /** When it was accepted, to the whole second: aws-ses-v2-local stores epoch seconds. */
  readonly time: Date;
}

/** An aws-ses-v2-local `/store` answer that does not have the expected shape. */
export class UnexpectedSesStoreError extends Error {
  override readonly name = "UnexpectedSesStoreError";
}

/**
 * The emails in an aws-ses-v2-local `GET /store` JSON body (`{ templates, emails: [...] }`), typed.
 * Throws {@link UnexpectedSesStoreError} naming the first field that is off, so an upgrade of
 * aws-ses-v2-local that changes the shape fails loudly instead of returning half-empty messages.
 */
export function parseStoredEmails(store: unknown): SentEmail[] {
  if (!isRecord(store) || !Array.isArray(store.emails)) {
    throw new UnexpectedSesStoreError("aws-ses-v2-local GET /store must answer { emails: [...] }");
  }
  return store.emails.map((email, index) => parseStoredEmail(email, `emails[${index}]`));
}

function parseStoredEmail(email: unknown, path: string): SentEmail {
  if (!isRecord(email)) throw new UnexpectedSesStoreError(`${path} must be an object`);
  const destination = isRecord(email.destination) ? email.destination : {};
  const body = isRecord(email.body) ? email.body : {};
  const at = email.at;
  if (typeof at !== "number")
    throw new UnexpectedSesStoreError(`${path}.at must be epoch seconds, got ${JSON.stringify(at)}`);
  const html = optionalString(body.html, `${path}.body.html`);
  const text = optionalString(body.text, `${path}.body.text`);
  return {
    messageId: requiredString(email.messageId, `${path}.messageId`),
    from: requiredString(email.from, `${path}.from`),
    to: stringList(destination.to, `${path}.destination.to`),
    cc: stringList(destination.cc, `${path}.destination.cc`),
    bcc: stringList(destination.bcc, `${path}.destination.bcc`),
    replyTo: stringList(email.replyTo, `${path}.replyTo`),
    subject: requiredString(email.subject, `${path}.subject`),
    ...(html === undefined ? {} : { html }),
    ...(text === undefined ? {} : { text }),
    attachments: (Array.isArray(email.attachments) ? email.attachments : []).map((attachment, index) =>
      parseAttachment(attachment, `${path}.attachments[${index}]`),
    ),
    time: new Date(at * 1000),
  };
}

function parseAttachment(attachment: unknown, path: string): SentEmailAttachment {
  if (!isRecord(attachment)) throw new UnexpectedSesStoreError(`${path} must be an object`);
  const filename = optionalString(attachment.filename, `${path}.filename`);
  return {
    ...(filename === undefined ? {} : { filename }),
    contentType: requiredString(attachment.contentType, `${path}.contentType`),
    size: typeof attachment.size === "number" ? attachment.size : 0,
    contentBase64: requiredString(attachment.content, `${path}.content`),
  };
}

function requiredString(value: unknown, path: string): string {
  if (typeof value !== "string")
    throw new UnexpectedSesStoreError(`${path} must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : requiredString(value, path);
}

function stringList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new UnexpectedSesStoreError(`${path} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
