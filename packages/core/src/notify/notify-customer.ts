import { SendEmailCommand, type SESClient } from "@aws-sdk/client-ses";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { OrderOutcomeEvent } from "@payment3/events";
import { describeError, mayHaveBeenCarriedOut } from "../aws/aws-error";
import { silentLogger, type Logger } from "../logger";
import { customerContactOf, maskEmail, maskEmailsIn, type CustomerContact } from "./customer-contact";
import { NotificationClaimLostError, type EmailLog, type EmailLogRecord, type EmailStepRecord, type NotificationKey, type NotificationStatus, type NotificationStep, type SnsStepRecord, type StepResult } from "./email-log";
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
 * This invocation could not finish the notification. Thrown so that the platform delivers the
 * event again; `claimReleased` says whether that delivery resumes at once, or is turned away
 * (`NotificationInProgressError`) until the email log's lease runs out.
 */
export class NotificationNotFinishedError extends Error {
  override readonly name = "NotificationNotFinishedError";
  readonly code = "NOTIFICATION_NOT_FINISHED";
  readonly retryable = true;
  constructor(message: string, readonly claimReleased: boolean, options: { cause: unknown }) {
    super(message, options);
  }
}

/** One invocation's hold on one notification, and how far it got. */
interface Run {
  readonly event: OrderOutcomeEvent;
  readonly deps: NotificationDependencies;
  readonly logger: Logger;
  readonly key: NotificationKey;
  readonly token: string;
  readonly previous: EmailLogRecord | undefined;
  /** What a failure now would interrupt, for the error message. */
  doing: string;
  /** A step marked as attempted (or being marked) by this invocation that has certainly had no effect yet. */
  unsentStep: NotificationStep | undefined;
  /** A result this invocation knows and is writing. */
  unrecorded: EmailStepRecord | SnsStepRecord | undefined;
}

/**
 * Tells the customer about a paid or declined payment, once: the email through SES (Thai or
 * English by the order's locale), one SNS message to the payment-notifications topic, and the
 * EmailLogTable row. Safe to run again for the same outcome at any time, also concurrently:
 * see `email-log.ts` for how each step happens at most once.
 *
 * A failure after the claim gives the claim back before throwing `NotificationNotFinishedError`,
 * so the platform's retry resumes at once (see `releaseAfterFailure`).
 */
export async function notifyCustomer(event: OrderOutcomeEvent, deps: NotificationDependencies): Promise<NotificationResult> {
  const logger = deps.logger ?? silentLogger;
  const { detail } = event;
  const key: NotificationKey = { orderId: detail.orderId, notificationKey: detail.idempotencyKey };
  const template: EmailTemplate = event["detail-type"] === "OrderPaid" ? "paid" : "declined";
  const contact = customerContactOf(detail.order ?? { orderId: detail.orderId });

  const claim = await deps.emailLog.claim(key, { template, recipient: contact.email ?? null, eventId: event.id });
  if (claim.kind === "done") {
    logger.info("customer already notified of this outcome; nothing sent", { status: claim.record.status });
    return notificationResult("duplicate", claim.record.emailResult, claim.record.snsResult, claim.record.messageId, claim.record.snsMessageId);
  }

  const run: Run = { event, deps, logger, key, token: claim.token, previous: claim.previous, doing: "resuming the notification", unsentStep: undefined, unrecorded: undefined };
  try {
    const email = await sendEmailOnce(run, template, contact);
    const sns = await publishSnsOnce(run, email.emailResult);
    const status = email.emailResult === "uncertain" || sns.snsResult === "uncertain" ? "uncertain" : email.emailResult === "sent" ? "sent" : email.emailResult;
    run.doing = `completing the email log row as ${status}`;
    await deps.emailLog.complete(key, run.token, status);
    return notificationResult(status, email.emailResult, sns.snsResult, email.messageId, sns.snsMessageId);
  } catch (error) {
    throw await releaseAfterFailure(run, error);
  }
}

/** The email step: its earlier result, or `uncertain` after an attempt without one, or a send now. */
async function sendEmailOnce(run: Run, template: EmailTemplate, contact: CustomerContact): Promise<EmailStepRecord> {
  const { event, deps, logger, key, previous } = run;
  if (previous?.emailResult) return { emailResult: previous.emailResult, ...(previous.messageId ? { messageId: previous.messageId } : {}) };
  if (previous?.emailAttemptedAt && !(await attemptHadNoEffect(run, "email", previous.emailAttemptToken))) {
    logger.error("an earlier attempt may have sent this email; not sending it again. Check SES and resend by hand if it never arrived", { notificationKey: key.notificationKey });
    return recordEmail(run, { emailResult: "uncertain" });
  }
  if (!contact.email) {
    logger.warn("order has no customer email address; no email sent, SNS still published");
    return recordEmail(run, { emailResult: "skipped" });
  }

  const { detail } = event;
  const order = detail.order ?? { orderId: detail.orderId };
  const rendered = renderEmail({
    template,
    locale: contact.locale,
    orderId: detail.orderId,
    customerName: contact.name,
    order,
    amount: detail.amount,
    amountReported: detail.amountReported,
    overpaidAmount: event["detail-type"] === "OrderPaid" ? event.detail.paymentHeader.overpaidAmount : undefined,
    itemsOmitted: event["detail-type"] === "OrderPaid" ? event.detail.orderTruncated : !Array.isArray(order.items),
  });
  const recipient = contact.email;
  let sent;
  try {
    sent = await attemptStep(run, "email", "sending the email through SES", () =>
      deps.ses.send(
        new SendEmailCommand({
          Source: deps.senderEmail,
          Destination: { ToAddresses: [recipient] },
          Message: {
            Subject: { Data: rendered.subject, Charset: "UTF-8" },
            Body: { Html: { Data: rendered.html, Charset: "UTF-8" }, Text: { Data: rendered.text, Charset: "UTF-8" } },
          },
        }),
      ),
    );
  } catch (error) {
    if (!REFUSED_BY_SES.has((error as { name?: string }).name ?? "")) throw error;
    // A definite answer: nothing to retry, and the result is known.
    run.unsentStep = undefined;
    const failed = await recordEmail(run, { emailResult: "failed", emailError: describeError(error) });
    logger.warn("SES refused the customer email; recorded as failed, not retried", { recipient: maskEmail(contact.email), error: maskEmailsIn(describeError(error)) });
    return failed;
  }
  const recorded = await recordEmail(run, { emailResult: "sent", ...(sent.MessageId ? { messageId: sent.MessageId } : {}), sentAt: (deps.now ?? (() => new Date()))().toISOString() });
  logger.info("customer email sent", { template, locale: contact.locale, recipient: maskEmail(contact.email), messageId: sent.MessageId });
  return recorded;
}

/** The SNS step: its earlier result, or `uncertain` after an attempt without one, or a publish now. */
async function publishSnsOnce(run: Run, email: StepResult): Promise<SnsStepRecord> {
  const { event, deps, logger, key, previous } = run;
  if (previous?.snsResult) return { snsResult: previous.snsResult, ...(previous.snsMessageId ? { snsMessageId: previous.snsMessageId } : {}) };
  if (previous?.snsAttemptedAt && !(await attemptHadNoEffect(run, "sns", previous.snsAttemptToken))) {
    logger.error("an earlier attempt may have published this SNS message; not publishing it again", { notificationKey: key.notificationKey });
    return recordSns(run, { snsResult: "uncertain" });
  }

  const { detail } = event;
  const published = await attemptStep(run, "sns", "publishing the SNS message", () =>
    deps.sns.send(
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
    ),
  );
  return recordSns(run, { snsResult: "sent", ...(published.MessageId ? { snsMessageId: published.MessageId } : {}) });
}

/**
 * Marks `step` attempted, then makes its call. Until the call is answered the step has certainly had
 * no effect (`unsentStep`, cleared by a release after a failure). Once it is accepted, or fails
 * without an answer, it may have happened: the mark must stay, so a failure to record it is never
 * mistaken for "not sent".
 */
async function attemptStep<T>(run: Run, step: NotificationStep, doing: string, call: () => Promise<T>): Promise<T> {
  run.unsentStep = step;
  run.doing = `marking the ${step === "email" ? "email" : "SNS message"} as attempted`;
  await run.deps.emailLog.markAttempt(run.key, run.token, step);
  run.doing = doing;
  try {
    const answer = await call();
    run.unsentStep = undefined;
    return answer;
  } catch (error) {
    if (mayHaveBeenCarriedOut(error)) run.unsentStep = undefined;
    throw error;
  }
}

async function recordEmail(run: Run, result: EmailStepRecord): Promise<EmailStepRecord> {
  run.doing = `recording the email as ${result.emailResult}`;
  run.unrecorded = result;
  await run.deps.emailLog.recordEmail(run.key, run.token, result);
  run.unrecorded = undefined;
  return result;
}

async function recordSns(run: Run, result: SnsStepRecord): Promise<SnsStepRecord> {
  run.doing = `recording the SNS message as ${result.snsResult}`;
  run.unrecorded = result;
  await run.deps.emailLog.recordSns(run.key, run.token, result);
  run.unrecorded = undefined;
  return result;
}

/**
 * Gives the claim back after a failure part-way, so the next delivery takes the notification at
 * once instead of being turned away until the lease runs out. Results recorded stay. The step that
 * certainly had no effect (`unsentStep`) loses its attempt mark, so it is done again; one that may
 * have happened keeps it and the next delivery records it `uncertain` without repeating it. A
 * result known but not yet written (SES accepted the email, the record write failed) is written
 * with the release, so it is not even read as uncertain.
 *
 * Remaining window: the release is a write to the same row and may fail under the same fault,
 * even after its retries. Then the claim holds until the lease runs out (deliveries until then
 * are turned away, and dead-lettered if the platform's retries end first: a redrive finishes
 * them), and a step that sent nothing still carries its attempt mark, so the delivery after the
 * lease records it `uncertain` and does not send it. The error says so, for the person who
 * checks uncertain rows.
 */
async function releaseAfterFailure(run: Run, error: unknown): Promise<NotificationNotFinishedError> {
  const { key, unsentStep, unrecorded } = run;
  const what = `notification ${key.notificationKey} of order ${key.orderId} not finished: ${run.doing} failed (${maskEmailsIn(describeError(error))})`;
  const lastError = `${run.doing}: ${describeError(error)}`;
  try {
    await run.deps.emailLog.release(key, run.token, { error: lastError, ...(unsentStep ? { unsentStep } : {}), ...(unrecorded ? { result: unrecorded } : {}) });
  } catch (releaseError) {
    if (releaseError instanceof NotificationClaimLostError) {
      return new NotificationNotFinishedError(`${what}; ${releaseError.message}`, false, { cause: error });
    }
    const effect = unsentStep === "email" ? "the email was NOT sent" : "the SNS message was NOT published";
    const mark = unsentStep ? `; ${effect}, ${await noteWithoutEffect(run, unsentStep)}` : "";
    return new NotificationNotFinishedError(
      `${what}; the claim could not be given back either (${describeError(releaseError)}), so deliveries are turned away until its lease of ${run.deps.emailLog.leaseMs / 1000} s runs out${mark}`,
      false,
      { cause: error },
    );
  }
  const resumes = unsentStep
    ? `and ${unsentStep === "email" ? "sends the email" : "publishes the SNS message"} (this attempt had no effect)`
    : "and resumes at the first step without a result";
  return new NotificationNotFinishedError(`${what}; the claim was given back, so the next delivery takes it at once ${resumes}`, true, { cause: error });
}

/**
 * The fallback when the release cannot clear a step's attempt mark: the attempt is noted as
 * without effect outside the row, so the delivery after the lease sends it instead of recording
 * it `uncertain`. Says what a person needs to know either way.
 */
async function noteWithoutEffect(run: Run, step: NotificationStep): Promise<string> {
  const byHand = step === "email" ? "send it" : "publish it";
  try {
    if (await run.deps.emailLog.noteAttemptWithoutEffect(run.key, run.token, step)) return "and this is noted, so the delivery after the lease does it";
    return `but its attempt mark may still be on the row: if the delivery after the lease records it uncertain, ${byHand} by hand`;
  } catch (noteError) {
    run.logger.error("could not note an attempt without effect either", { step, error: describeError(noteError) });
    return `but neither its attempt mark could be cleared nor the attempt noted (${describeError(noteError)}): if the delivery after the lease records it uncertain, ${byHand} by hand`;
  }
}

/** True when the earlier attempt `token` at `step` was noted as without effect, so the step may be done again. */
async function attemptHadNoEffect(run: Run, step: NotificationStep, token: string | undefined): Promise<boolean> {
  if (!token || !(await run.deps.emailLog.hadNoEffect(run.key, token, step))) return false;
  run.logger.warn(`an earlier ${step} attempt is noted as without effect; doing it again`, { notificationKey: run.key.notificationKey });
  return true;
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
