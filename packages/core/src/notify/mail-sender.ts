import type { FailedCall } from "./failed-call";

/** One rendered email for one address; the sender address is the adapter's. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /**
   * Message tags the provider keeps with the email and hands back in its events (SES: `mail.tags`); the notifier
   * tags each email with its email-log row (see email-log-tag.ts).
   */
  readonly tags?: readonly { readonly Name: string; readonly Value: string }[];
}

/**
 * How sending one email ended: `sent` (accepted, with the provider's message id when it gave one),
 * `refused` (a definite answer no retry changes: the address or the message is rejected), or a
 * `FailedCall` (nothing sent, or maybe sent without an answer).
 */
export type MailSendAnswer =
  | { readonly kind: "sent"; readonly messageId: string | undefined }
  | { readonly kind: "refused"; readonly error: unknown }
  | FailedCall;

/** Sends customer emails. A port: SES in production and locally (`createSesMailSender`), a fake in unit tests. */
export interface MailSender {
  /** Sends `email` once. Never throws for a failed call: the answer says how it ended. */
  send(email: OutgoingEmail): Promise<MailSendAnswer>;
}
