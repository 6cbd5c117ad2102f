import type { OrderOutcomeEvent } from "@payment3/events";
import { describeError } from "../aws/aws-error";
import { silentLogger, type Logger } from "../logger";
import { uncountedBusinessMetrics, type BusinessMetrics } from "../metrics/business-metrics";
import { customerContactOf, maskEmail, maskEmailsIn, type CustomerContact } from "./customer-contact";
import { emailLogTagOf } from "./email-log-tag";
import { renderEmail, type EmailTemplate } from "./email-templates";
import type { FailedCall } from "./failed-call";
import type { MailSendAnswer, MailSender, OutgoingEmail } from "./mail-sender";
import {
  NotificationClaimLostError,
  type EmailStepRecord,
  type NotificationKey,
  type NotificationLog,
  type NotificationLogRecord,
  type NotificationStatus,
  type NotificationStep,
  type SnsStepRecord,
  type StepResult,
  type StepResults,
} from "./notification-log";
import type { TopicPublishAnswer, TopicPublisher } from "./topic-publisher";
import { awaitingProofFields } from "./email-awaiting-proof";
import { systemClock } from "../clock";

export interface NotificationDependencies {
  readonly notificationLog: NotificationLog;
  /** The customer email (SES: `createSesMailSender`). */
  readonly mailSender: MailSender;
  /** The payment-notifications topic (SNS: `createSnsTopicPublisher`). */
  readonly topicPublisher: TopicPublisher;
  readonly now?: () => Date;
  /** The handler's, which carries the order id and idempotency key (the notification key) on every line. */
  readonly logger?: Logger;
  /** Notification counts (the refused-email and uncertain-notification alarms read them). */
  readonly metrics?: BusinessMetrics;
}

export interface NotificationResult {
  /** `duplicate`: this outcome was already notified; nothing was sent. */
  readonly status: "duplicate" | Exclude<NotificationStatus, "sending" | "pending">;
  readonly email?: StepResult;
  readonly sns?: StepResult;
  readonly messageId?: string;
  readonly snsMessageId?: string;
}

/**
 * This invocation could not finish the notification. Thrown so that the platform delivers the
 * event again; `claimReleased` says whether that delivery resumes at once, or is turned away
 * (`NotificationInProgressError`) until the notification log's lease runs out.
 */
export class NotificationNotFinishedError extends Error {
  override readonly name = "NotificationNotFinishedError";
  readonly code = "NOTIFICATION_NOT_FINISHED";
  readonly transient = true;
  constructor(
    message: string,
    readonly claimReleased: boolean,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/** One invocation's hold on one notification, and how far it got. */
interface Run {
  readonly event: OrderOutcomeEvent;
  readonly deps: NotificationDependencies;
  readonly logger: Logger;
  readonly metrics: BusinessMetrics;
  readonly key: NotificationKey;
  readonly token: string;
  readonly previous: NotificationLogRecord | undefined;
  /** What a failure now would interrupt, for the error message. */
  doing: string;
  /** The step whose attempt mark on the row is this invocation's (set by the claim or by `markAttempt`). */
  marked: NotificationStep | undefined;
  /** A step marked as attempted (or being marked) by this invocation that has certainly had no effect yet. */
  unsentStep: NotificationStep | undefined;
  /** Results this invocation knows and has not written yet: they go with its next write. */
  pending: StepResults;
}

/**
 * Tells the customer about a paid or declined payment, once: the email (Thai or English by the
 * order's locale) through the mail sender, one message to the payment-notifications topic, and
 * the notification log row (EmailLogTable) that records both. Safe to run again for the same
 * outcome at any time, also concurrently.
 *
 * **The notification protocol.** This is its one description; the notification log, the
 * handler, RELIABILITY.md and docs/adding-a-subscriber.md point here.
 *
 * 1. Claim: one conditional write creates the row (keyed by the order and the outcome's
 *    idempotency key) or takes over one that was released (`pending`) or whose claim is older
 *    than the lease. A finished row (`sent`, `failed`, `skipped`, `uncertain`) is a duplicate:
 *    nothing is sent. A fresh claim of another invocation turns this one away
 *    (`NotificationInProgressError`; the platform retries it). The same write marks the first
 *    call attempted (the email, or the topic message when the order has no address), unless
 *    the row already has that mark.
 * 2. Steps, the email first, then the topic message: mark the step attempted (with the claim's
 *    token), make the call, record its result. Each result is written with the next step's
 *    mark, and the last with the final status, so a notification takes one write per step
 *    boundary that must be durable: claim + email mark, email result + SNS mark, SNS result +
 *    final status (two writes without an address: claim + SNS mark, results + final status).
 *    A step with a result is never done again; a redelivery resumes at the first step without
 *    one. An address the mail sender refuses is a result (`failed`, not retried); an order
 *    without one is `skipped`. A result not yet written when the process dies is lost with it,
 *    and its mark stays: (3).
 * 3. `uncertain`: a step marked attempted without a result (the process died, the call got no
 *    answer, or its result could not be written) may have happened, so it is not repeated here: it
 *    is recorded `uncertain`, because a second payment email looks to a customer like a second
 *    charge. Only an attempt noted as without effect (5) is done again. An uncertain email keeps
 *    what it would have sent on the row, in the write of its result (uncertain-emails.ts): an SES
 *    event of it records it sent (record-email-event.ts), and without one within the window the
 *    uncertain-email sweep sends it once (sweep-uncertain-emails.ts). An uncertain SNS message, or
 *    an email without the tag, is logged at ERROR for a person to check and resend by hand.
 * 4. Complete: the row gets its final status (`uncertain` if either step is, else the email's)
 *    and keeps it for good, so a replay months later finds it and sends nothing.
 * 5. Release: any failure after the claim gives the claim back before throwing
 *    `NotificationNotFinishedError`, so the next delivery takes the row at once. One write,
 *    retried longer than a record write, sets the row back to `pending`, keeps the results
 *    recorded, writes the results known but not yet recorded (the email accepted or refused,
 *    then the write with the SNS mark failed), and clears the attempt mark of a step that
 *    certainly had no effect (its mark write failed, or its call failed with an error answer or
 *    never left), so that step is done again. A step that may have happened keeps its mark.
 *    A claim that fails with an error (DynamoDB may have applied it and its mark) notes its mark
 *    as without effect in the idempotency table, as in the remaining window below.
 *    Remaining window: the release may fail under the same fault, past all its retries. Then the
 *    claim holds until the lease runs out (deliveries until then are turned away, and
 *    dead-lettered if the platform's retries end first: a redrive finishes them), and a step
 *    that had no effect is noted so in the idempotency table, so the delivery after the lease
 *    does it instead of reading its mark as `uncertain`. If the note fails too, that step is
 *    recorded `uncertain` without having been done; the error says so.
 */
export async function notifyCustomer(
  event: OrderOutcomeEvent,
  deps: NotificationDependencies,
): Promise<NotificationResult> {
  const logger = deps.logger ?? silentLogger;
  const { detail } = event;
  const key: NotificationKey = { orderId: detail.orderId, notificationKey: detail.idempotencyKey };
  const template: EmailTemplate = event["detail-type"] === "OrderPaid" ? "paid" : "declined";
  const contact = customerContactOf(detail.order ?? { orderId: detail.orderId });

  const claim = await deps.notificationLog.claim(key, {
    template,
    recipient: contact.email ?? null,
    eventId: event.id,
    markAttempt: contact.email ? "email" : "sns",
  });
  if (claim.kind === "done") {
    logger.info("customer already notified of this outcome; nothing sent", { status: claim.record.status });
    (deps.metrics ?? uncountedBusinessMetrics).count("RedeliveryRecognised");
    return notificationResult(
      "duplicate",
      claim.record.emailResult,
      claim.record.snsResult,
      claim.record.messageId,
      claim.record.snsMessageId,
    );
  }

  const run: Run = {
    event,
    deps,
    logger,
    metrics: deps.metrics ?? uncountedBusinessMetrics,
    key,
    token: claim.token,
    previous: claim.previous,
    doing: "resuming the notification",
    marked: claim.marked,
    unsentStep: claim.marked,
    pending: {},
  };
  try {
    const email = await sendEmailOnce(run, template, contact);
    const sns = await publishSnsOnce(run, email.emailResult);
    const status =
      email.emailResult === "uncertain" || sns.snsResult === "uncertain"
        ? "uncertain"
        : email.emailResult === "sent"
          ? "sent"
          : email.emailResult;
    run.doing = `completing the email log row as ${status}`;
    await deps.notificationLog.complete(key, run.token, status, run.pending);
    return notificationResult(status, email.emailResult, sns.snsResult, email.messageId, sns.snsMessageId);
  } catch (error) {
    throw await releaseAfterFailure(run, error);
  }
}

/** The email step: its earlier result, or `uncertain` after an attempt without one, or a send now. */
async function sendEmailOnce(run: Run, template: EmailTemplate, contact: CustomerContact): Promise<EmailStepRecord> {
  const { deps, logger, previous } = run;
  if (previous?.emailResult)
    return { emailResult: previous.emailResult, ...(previous.messageId ? { messageId: previous.messageId } : {}) };
  if (previous?.emailAttemptedAt && !(await attemptHadNoEffect(run, "email", previous.emailAttemptToken)))
    return settleUncertainEmail(run, contact.email ? outgoingEmail(run, template, contact.email, contact) : undefined);
  if (!contact.email) {
    logger.warn("order has no customer email address; no email sent, SNS still published");
    run.metrics.count("EmailSkipped");
    return settle(run, { emailResult: "skipped" });
  }

  const email = outgoingEmail(run, template, contact.email, contact);
  const answer = await attemptStep(run, "email", "sending the email through SES", () => deps.mailSender.send(email));
  if (answer.kind === "refused") {
    // A definite answer: nothing to retry, and the result is known. Counted now: if the write
    // that records it fails, the release records it and no redelivery counts it.
    run.metrics.count("EmailRefused");
    const failed = settle(run, { emailResult: "failed", emailError: describeError(answer.error) });
    logger.warn("SES refused the customer email; recorded as failed, not retried", {
      recipient: maskEmail(contact.email),
      error: maskEmailsIn(describeError(answer.error)),
    });
    return failed;
  }
  run.metrics.count("EmailSent");
  const recorded = settle(run, {
    emailResult: "sent",
    ...(answer.messageId ? { messageId: answer.messageId } : {}),
    sentAt: (deps.now ?? systemClock)().toISOString(),
  });
  logger.info("customer email sent", {
    template,
    locale: contact.locale,
    recipient: maskEmail(contact.email),
    messageId: answer.messageId,
  });
  return recorded;
}

/** The email as it is sent, and as the sweep would send it again: rendered from the event alone (no clock). */
function outgoingEmail(run: Run, template: EmailTemplate, to: string, contact: CustomerContact): OutgoingEmail {
  const { event } = run;
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
  const tag = emailLogTagOf(run.key);
  return { to, subject: rendered.subject, html: rendered.html, text: rendered.text, ...(tag ? { tags: [tag] } : {}) };
}

/**
 * An earlier attempt may have sent the email (protocol step 3), so it is not sent now. An SES event of it already on
 * the row proves it went: `sent`. Otherwise, for a tagged email, the row keeps the email and awaits proof
 * (uncertain-emails.ts): an SES event of it, or, if none comes within the window, the sweep sends it. An email
 * without the tag (its key too long for one) cannot be tied to SES events: a person checks it.
 */
function settleUncertainEmail(run: Run, email: OutgoingEmail | undefined): EmailStepRecord {
  const { logger, previous } = run;
  if (previous?.sesMessageId) {
    run.metrics.count("UncertainEmailResolved");
    logger.info("an earlier attempt's email was accepted by SES (its SES event is on the row); recorded as sent", {
      messageId: previous.sesMessageId,
    });
    return settle(run, { emailResult: "sent", messageId: previous.sesMessageId, emailResolvedBy: "ses-event" });
  }
  if (email?.tags) {
    run.metrics.count("EmailUncertain");
    logger.warn(
      "an earlier attempt may have sent this email; not sending it now. An SES event of it will record it sent; without one within the window, the uncertain-email sweep sends it",
    );
    return settle(run, {
      emailResult: "uncertain",
      ...awaitingProofFields(email, (run.deps.now ?? systemClock)()),
    });
  }
  logger.error(
    "an earlier attempt may have sent this email; not sending it again. Check SES and resend by hand if it never arrived",
  );
  run.metrics.count("NotificationUncertain");
  return settle(run, { emailResult: "uncertain" });
}

/** The SNS step: its earlier result, or `uncertain` after an attempt without one, or a publish now. */
async function publishSnsOnce(run: Run, email: StepResult): Promise<SnsStepRecord> {
  const { event, deps, logger, previous } = run;
  if (previous?.snsResult)
    return { snsResult: previous.snsResult, ...(previous.snsMessageId ? { snsMessageId: previous.snsMessageId } : {}) };
  if (previous?.snsAttemptedAt && !(await attemptHadNoEffect(run, "sns", previous.snsAttemptToken))) {
    logger.error("an earlier attempt may have published this SNS message; not publishing it again");
    run.metrics.count("NotificationUncertain");
    return settle(run, { snsResult: "uncertain" });
  }

  const { detail } = event;
  const message = {
    body: JSON.stringify({
      eventType: event["detail-type"],
      orderId: detail.orderId,
      paymentId: detail.paymentId,
      amount: detail.amount,
      ...("reason" in detail ? { reason: detail.reason } : {}),
      idempotencyKey: detail.idempotencyKey,
      occurredAt: detail.occurredAt,
      email,
    }),
    attributes: { eventType: event["detail-type"], orderId: detail.orderId },
  };
  const published = await attemptStep(run, "sns", "publishing the SNS message", () =>
    deps.topicPublisher.publish(message),
  );
  run.metrics.count("SnsPublished");
  return settle(run, { snsResult: "sent", ...(published.messageId ? { snsMessageId: published.messageId } : {}) });
}

/**
 * Marks `step` attempted with the results not yet written (unless the claim marked it already),
 * then makes its call (protocol step 2). `unsentStep` names the step only while it has certainly
 * had no effect; once the call is answered, or fails without an answer, the mark must stay (5).
 * A failed call is thrown as the client's error.
 */
async function attemptStep<Answer extends MailSendAnswer | TopicPublishAnswer>(
  run: Run,
  step: NotificationStep,
  doing: string,
  call: () => Promise<Answer>,
): Promise<Exclude<Answer, FailedCall>> {
  if (run.marked !== step) {
    run.unsentStep = step;
    run.doing = `marking the ${step === "email" ? "email" : "SNS message"} as attempted${describePending(run.pending)}`;
    await run.deps.notificationLog.markAttempt(run.key, run.token, step, run.pending);
    run.marked = step;
    run.pending = {};
  }
  run.doing = doing;
  let answer: Answer;
  try {
    answer = await call();
  } catch (error) {
    // A port that throws broke its contract: what the call did is unknown, so it is never repeated.
    run.unsentStep = undefined;
    throw error;
  }
  if (answer.kind === "failed") {
    if ((answer as FailedCall).effect === "unknown") run.unsentStep = undefined;
    throw (answer as FailedCall).error;
  }
  run.unsentStep = undefined;
  return answer as Exclude<Answer, FailedCall>;
}

/** Keeps a step's result for the invocation's next write (the next mark, the final status or the release). */
function settle<Result extends EmailStepRecord | SnsStepRecord>(run: Run, result: Result): Result {
  run.pending = { ...run.pending, ...result };
  return result;
}

/** " with the email recorded as sent", for the error message of a write that carries results. */
function describePending(pending: StepResults): string {
  const parts = [
    ...(pending.emailResult ? [`the email recorded as ${pending.emailResult}`] : []),
    ...(pending.snsResult ? [`the SNS message recorded as ${pending.snsResult}`] : []),
  ];
  return parts.length ? ` with ${parts.join(" and ")}` : "";
}

/** Gives the claim back after a failure (protocol step 5) and returns the error to throw: what failed, and what the next delivery does. */
async function releaseAfterFailure(run: Run, error: unknown): Promise<NotificationNotFinishedError> {
  const { key, unsentStep, pending } = run;
  const what = `notification ${key.notificationKey} of order ${key.orderId} not finished: ${run.doing} failed (${maskEmailsIn(describeError(error))})`;
  const lastError = `${run.doing}: ${describeError(error)}`;
  try {
    await run.deps.notificationLog.release(key, run.token, {
      error: lastError,
      ...(unsentStep ? { unsentStep } : {}),
      ...(Object.keys(pending).length ? { results: pending } : {}),
    });
  } catch (releaseError) {
    if (releaseError instanceof NotificationClaimLostError) {
      return new NotificationNotFinishedError(`${what}; ${releaseError.message}`, false, { cause: error });
    }
    const effect = unsentStep === "email" ? "the email was NOT sent" : "the SNS message was NOT published";
    const mark = unsentStep ? `; ${effect}, ${await noteWithoutEffect(run, unsentStep)}` : "";
    return new NotificationNotFinishedError(
      `${what}; the claim could not be given back either (${describeError(releaseError)}), so deliveries are turned away until its lease of ${run.deps.notificationLog.leaseMs / 1000} s runs out${mark}`,
      false,
      { cause: error },
    );
  }
  const resumes = unsentStep
    ? `and ${unsentStep === "email" ? "sends the email" : "publishes the SNS message"} (this attempt had no effect)`
    : "and resumes at the first step without a result";
  return new NotificationNotFinishedError(
    `${what}; the claim was given back, so the next delivery takes it at once ${resumes}`,
    true,
    { cause: error },
  );
}

/** Notes the attempt at `step` as without effect when the release could not clear its mark (protocol step 5); says what a person needs to know either way. */
async function noteWithoutEffect(run: Run, step: NotificationStep): Promise<string> {
  const byHand = step === "email" ? "send it" : "publish it";
  try {
    if (await run.deps.notificationLog.noteAttemptWithoutEffect(run.key, run.token, step))
      return "and this is noted, so the delivery after the lease does it";
    return `but its attempt mark may still be on the row: if the delivery after the lease records it uncertain, ${byHand} by hand`;
  } catch (noteError) {
    run.logger.error("could not note an attempt without effect either", { step, error: describeError(noteError) });
    return `but neither its attempt mark could be cleared nor the attempt noted (${describeError(noteError)}): if the delivery after the lease records it uncertain, ${byHand} by hand`;
  }
}

/** True when the earlier attempt `token` at `step` was noted as without effect, so the step may be done again. */
async function attemptHadNoEffect(run: Run, step: NotificationStep, token: string | undefined): Promise<boolean> {
  if (!token || !(await run.deps.notificationLog.hadNoEffect(run.key, token, step))) return false;
  run.logger.warn(`an earlier ${step} attempt is noted as without effect; doing it again`);
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
  return {
    status,
    ...(email ? { email } : {}),
    ...(sns ? { sns } : {}),
    ...(messageId ? { messageId } : {}),
    ...(snsMessageId ? { snsMessageId } : {}),
  };
}
