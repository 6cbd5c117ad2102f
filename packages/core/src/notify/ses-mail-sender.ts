import { SendEmailCommand, type SESClient } from "@aws-sdk/client-ses";
import { failedCallOf } from "./failed-call";
import type { MailSendAnswer, MailSender, OutgoingEmail } from "./mail-sender";

export interface SesMailSenderOptions {
  /** Built by `createNotificationClients`: it retries only error answers, never a send without an answer. */
  readonly client: SESClient;
  /** The verified identity every email is sent from. */
  readonly senderEmail: string;
  /**
   * The configuration set every email names, so SES publishes its events (sent, delivered, bounced, ...) to
   * EventBridge. Absent: no events are published for these emails.
   */
  readonly configurationSetName?: string;
}

/** SES answers that no retry will change: the address or the message is refused. */
const REFUSED_BY_SES = new Set([
  "MessageRejected",
  "InvalidParameterValue",
  "MailFromDomainNotVerifiedException",
  "MailFromDomainNotVerified",
]);

/** SES `SendEmail`'s input for `email`: UTF-8 subject, HTML and text bodies, one recipient, set and tags. */
export function sendEmailInput(options: Omit<SesMailSenderOptions, "client">, email: OutgoingEmail) {
  return {
    Source: options.senderEmail,
    Destination: { ToAddresses: [email.to] },
    Message: {
      Subject: { Data: email.subject, Charset: "UTF-8" },
      Body: { Html: { Data: email.html, Charset: "UTF-8" }, Text: { Data: email.text, Charset: "UTF-8" } },
    },
    ...(options.configurationSetName ? { ConfigurationSetName: options.configurationSetName } : {}),
    ...(email.tags && email.tags.length > 0 ? { Tags: [...email.tags] } : {}),
  };
}

/** The mail sender on SES `SendEmail` (input: {@link sendEmailInput}). */
export function createSesMailSender(options: SesMailSenderOptions): MailSender {
  return {
    async send(email: OutgoingEmail): Promise<MailSendAnswer> {
      try {
        const sent = await options.client.send(new SendEmailCommand(sendEmailInput(options, email)));
        return { kind: "sent", messageId: sent.MessageId };
      } catch (error) {
        if (REFUSED_BY_SES.has((error as { name?: string }).name ?? "")) return { kind: "refused", error };
        return failedCallOf(error);
      }
    },
  };
}
