import { SendEmailCommand, type SESClient } from "@aws-sdk/client-ses";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { OrderOutcomeEvent } from "@payment3/events";
import { describeError } from "../aws/aws-error";
import { silentLogger, type Logger } from "../logger";
import { customerContactOf, maskEmail, maskEmailsIn } from "./customer-contact";
import type { EmailLog, NotificationKey, NotificationStatus, StepResult } from "./email-log";
import { renderEmail, type EmailTemplate } from "./email-templates";

export interface NotificationDependencies {
  readonly emailLog: EmailLog;
  readonly ses: SESClient;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly senderEmail: string;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface NotificationResult {
  /** `duplicate`: this outcome was already notified; nothing was sent. */
  readonly status: "duplicate" | Exclude<NotificationStatus, "sending" | "pending">;
  readonly email?: StepResult;
  readonly sns?: StepResult;
  readonly messageId?: string;
  readonly snsMessageId?: string;
}

/** SES answers that no retry will change: the address or the message is refused. */
const REFUSED_BY_SES = new Set(["MessageRejected", "InvalidParameterValue", "MailFromDomainNotVerifiedException", "MailFromDomainNotVerified"]);

/**
 * True when a failed call may still have been carried out (the request left, no answer came
 * back). Such a step is never repeated; an error answer means it certainly did not happen.
 */
function mayHaveTakenEffect(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e.$metadata?.httpStatusCode !== undefined) return false;
  return e.name === "TimeoutError" || e.name === "RequestTimeout" || e.code === "ECONNRESET" || e.code === "ETIMEDOUT" || e.code === "EPIPE";
}

/**
 * Tells the customer about a paid or declined payment, once: the email through SES (Thai or
 * English by the order's locale), one SNS message to the payment-notifications topic, and the
 * EmailLogTable row. Safe to run again for the same outcome at any time, also concurrently:
 * see `email-log.ts` for how each step happens at most once.
 */
export async function notifyCustomer(event: OrderOutcomeEvent, deps: NotificationDependencies): Promise<NotificationResult> {
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? (() => new Date());
  const { detail } = event;
  const template: EmailTemplate = event["detail-type"] === "OrderPaid" ? "paid" : "declined";
  const order = detail.order ?? { orderId: detail.orderId };
  const contact = customerContactOf(order);
  const key: NotificationKey = { orderId: detail.orderId, notificationKey: detail.idempotencyKey };

  const claim = await deps.emailLog.claim(key, { template, recipient: contact.email ?? null, eventId: event.id });
  if (claim.kind === "done") {
    logger.info("customer already notified of this outcome; nothing sent", { status: claim.record.status });
    return notificationResult("duplicate", claim.record.emailResult, claim.record.snsResult, claim.record.messageId, claim.record.snsMessageId);
  }
  const { token, previous } = claim;

  let email = previous?.emailResult;
  let messageId = previous?.messageId;
  if (!email) {
    if (previous?.emailAttemptedAt) {
      email = "uncertain";
      logger.error("an earlier attempt may have sent this email; not sending it again. Check SES and resend by hand if it never arrived", { notificationKey: key.notificationKey });
      await deps.emailLog.recordEmail(key, token, { emailResult: email });
    } else if (!contact.email) {
      email = "skipped";
      logger.warn("order has no customer email address; no email sent, SNS still published");
      await deps.emailLog.recordEmail(key, token, { emailResult: email });
    } else {
      await deps.emailLog.markAttempt(key, token, "email");
      const rendered = renderEmail({
        template,
        locale: contact.locale,
        orderId: detail.orderId,
        customerName: contact.name,
        order,
        amount: detail.amount,
        itemsOmitted: event["detail-type"] === "OrderPaid" ? event.detail.orderTruncated : !Array.isArray(order.items),
      });
      let sent;
      try {
        sent = await deps.ses.send(
          new SendEmailCommand({
            Source: deps.senderEmail,
            Destination: { ToAddresses: [contact.email] },
            Message: {
              Subject: { Data: rendered.subject, Charset: "UTF-8" },
              Body: { Html: { Data: rendered.html, Charset: "UTF-8" }, Text: { Data: rendered.text, Charset: "UTF-8" } },
            },
          }),
        );
      } catch (error) {
        if (REFUSED_BY_SES.has((error as { name?: string }).name ?? "")) {
          email = "failed";
          await deps.emailLog.recordEmail(key, token, { emailResult: email, emailError: describeError(error) });
          logger.warn("SES refused the customer email; recorded as failed, not retried", { recipient: maskEmail(contact.email), error: maskEmailsIn(describeError(error)) });
        } else {
          if (!mayHaveTakenEffect(error)) await deps.emailLog.release(key, token, "email", describeError(error));
          throw error;
        }
      }
      if (sent) {
        // SES accepted it: from here a failure to record must leave the attempt marked, never released.
        email = "sent";
        messageId = sent.MessageId;
        await deps.emailLog.recordEmail(key, token, { emailResult: email, ...(messageId ? { messageId } : {}), sentAt: now().toISOString() });
        logger.info("customer email sent", { template, locale: contact.locale, recipient: maskEmail(contact.email), messageId });
      }
    }
  }

  if (email === undefined) throw new Error(`notification ${key.notificationKey}: the email step ended without a result`);

  let sns = previous?.snsResult;
  let snsMessageId = previous?.snsMessageId;
  if (!sns) {
    if (previous?.snsAttemptedAt) {
      sns = "uncertain";
      logger.error("an earlier attempt may have published this SNS message; not publishing it again", { notificationKey: key.notificationKey });
      await deps.emailLog.recordSns(key, token, { snsResult: sns });
    } else {
      await deps.emailLog.markAttempt(key, token, "sns");
      let published;
      try {
        published = await deps.sns.send(
          new PublishCommand({
            TopicArn: deps.topicArn,
            Message: JSON.stringify({
              eventType: event["detail-type"],
              orderId: detail.orderId,
              paymentId: detail.paymentId,
              amount: detail.amount,
              ...("reason" in detail ? { reason: detail.reason } : {}),
              idempotencyKey: detail.idempotencyKey,
              occurredAt: detail.occurredAt,
              email,
            }),
            MessageAttributes: {
              eventType: { DataType: "String", StringValue: event["detail-type"] },
              orderId: { DataType: "String", StringValue: detail.orderId },
            },
          }),
        );
      } catch (error) {
        if (!mayHaveTakenEffect(error)) await deps.emailLog.release(key, token, "sns", describeError(error));
        throw error;
      }
      // SNS accepted it: a failure to record now leaves the attempt marked, never released.
      sns = "sent";
      snsMessageId = published.MessageId;
      await deps.emailLog.recordSns(key, token, { snsResult: sns, ...(snsMessageId ? { snsMessageId } : {}) });
    }
  }

  if (sns === undefined) throw new Error(`notification ${key.notificationKey}: the SNS step ended without a result`);
  const status = email === "uncertain" || sns === "uncertain" ? "uncertain" : email === "sent" ? "sent" : email;
  await deps.emailLog.complete(key, token, status);
  return notificationResult(status, email, sns, messageId, snsMessageId);
}

/** Without undefined fields: the result is stored as an idempotency record, and DynamoDB rejects undefined. */
function notificationResult(
  status: NotificationResult["status"],
  email: StepResult | undefined,
  sns: StepResult | undefined,
  messageId: string | undefined,
  snsMessageId: string | undefined,
): NotificationResult {
  return { status, ...(email ? { email } : {}), ...(sns ? { sns } : {}), ...(messageId ? { messageId } : {}), ...(snsMessageId ? { snsMessageId } : {}) };
}
