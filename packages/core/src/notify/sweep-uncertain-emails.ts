import { describeError } from "../aws/aws-error";
import { silentLogger, type Logger } from "../logger";
import { uncountedBusinessMetrics, type BusinessMetrics } from "../metrics/business-metrics";
import { maskEmail, maskEmailsIn } from "./customer-contact";
import type { FailedCall } from "./failed-call";
import type { MailSender } from "./mail-sender";
import type { NotificationKey } from "./notification-log";
import type { UncertainEmailEntry, UncertainEmailLog } from "./uncertain-emails";
import { systemClock } from "../clock";

/** Rows one sweep settles at most, unless configured: about 20 s of claims, sends and records at 10 at a time. */
const DEFAULT_MAX_ROWS = 1000;
/** Rows settled at once. */
const CONCURRENT_ROWS = 10;

export interface UncertainEmailSweepDependencies {
  readonly uncertainEmails: UncertainEmailLog;
  /** Sends with the stage's configuration set, so the sweep's email has SES events like any other. */
  readonly mailSender: MailSender;
  /** How long an email awaits an SES event of it before it counts as never sent. */
  readonly windowMs: number;
  /** Rows one sweep settles at most (default 1,000); the rest are the next sweep's. */
  readonly maxRows?: number;
  readonly now?: () => Date;
  readonly logger?: Logger;
  readonly metrics?: BusinessMetrics;
}

/** What one sweep did, row by row. */
export interface UncertainEmailSweepResult {
  /** Rows the index listed as due. */
  readonly due: number;
  /** Emails sent by this sweep (SES accepted them). */
  readonly resent: number;
  /** Rows an SES event had reached meanwhile: recorded sent, nothing sent. */
  readonly proved: number;
  /** Emails SES refused: recorded failed, not retried. */
  readonly refused: number;
  /** Sends SES answered with an error: nothing sent, due again at the next sweep. */
  readonly notSent: number;
  /** Sends without an answer: they wait a new window for their own SES events. */
  readonly unanswered: number;
  /** Rows another sweep or an SES event changed between the query and the claim: left to them. */
  readonly skipped: number;
  /** Rows whose email log write failed: the next sweep tries them again. */
  readonly failed: number;
}

type Tally = { -readonly [K in keyof UncertainEmailSweepResult]: number };

/**
 * Settles the emails that have awaited proof longer than the window (uncertain-emails.ts): no SES event of the email
 * arrived in that time, which proves SES never accepted it, so the sweep sends it now, once, with the same
 * configuration set and tag, and records that (`emailResolvedBy: sweep`). Each row is first claimed by a conditional
 * write that also restarts its window, so two sweeps never send one email, and a sweep that dies after sending leaves
 * the row waiting a whole window for that send's SES events. A send SES answers with an error goes back to the index
 * as due; a send without an answer stays uncertain, and the next sweep sends only if no SES event of it arrived either.
 * One row's failure does not stop the others; the sweep throws only when it could not list the rows. It pages
 * through every due row, oldest first, up to `maxRows`.
 */
export async function sweepUncertainEmails(deps: UncertainEmailSweepDependencies): Promise<UncertainEmailSweepResult> {
  const logger = deps.logger ?? silentLogger;
  const now = (deps.now ?? systemClock)();
  const dueBy = new Date(now.getTime() - deps.windowMs);
  const maxRows = deps.maxRows ?? DEFAULT_MAX_ROWS;
  const tally: Tally = { due: 0, resent: 0, proved: 0, refused: 0, notSent: 0, unanswered: 0, skipped: 0, failed: 0 };
  let after: Record<string, unknown> | undefined;
  do {
    const page = await deps.uncertainEmails.listDue(dueBy, after);
    const entries = page.entries.slice(0, maxRows - tally.due);
    tally.due += entries.length;
    // A few rows at a time: a backlog (after an SES outage, say) is cleared within the function's timeout.
    for (let start = 0; start < entries.length; start += CONCURRENT_ROWS)
      await Promise.all(
        entries.slice(start, start + CONCURRENT_ROWS).map(async (entry) => {
          try {
            tally[await settleOne(entry, now, deps, logger)] += 1;
          } catch (error) {
            tally.failed += 1;
            logger.error("uncertain-email sweep could not settle a row; the next sweep tries it again", {
              ...entry.key,
              error: maskEmailsIn(describeError(error)),
            });
          }
        }),
      );
    after = page.next;
  } while (after && tally.due < maxRows);
  if (tally.due > 0) logger.info("uncertain-email sweep done", { ...tally, more: after !== undefined });
  return tally;
}

/** Claims one row and sends its email, or records the SES event that reached it first; returns the tally it counts in. */
async function settleOne(
  entry: UncertainEmailEntry,
  now: Date,
  deps: UncertainEmailSweepDependencies,
  logger: Logger,
): Promise<Exclude<keyof Tally, "due" | "failed">> {
  const metrics = deps.metrics ?? uncountedBusinessMetrics;
  const claimed = await deps.uncertainEmails.claim(entry, now);
  if (!claimed) {
    logger.info(
      "uncertain email changed since the index listed it (resolved, or claimed by another sweep); left alone",
      {
        ...entry.key,
      },
    );
    return "skipped";
  }
  const key: NotificationKey = entry.key;
  const { row } = claimed;
  if (row.sesMessageId) {
    await deps.uncertainEmails.record(claimed, { kind: "proved", messageId: row.sesMessageId });
    metrics.count("UncertainEmailResolved");
    logger.info("uncertain email proved sent by an SES event on its row; recorded as sent, not sent again", {
      ...key,
      messageId: row.sesMessageId,
    });
    return "proved";
  }
  const email = row.uncertainEmail!;
  const answer = await deps.mailSender.send(email);
  const context = { ...key, recipient: maskEmail(email.to), sweepAttempt: row.emailSweepAttempts };
  if (answer.kind === "sent") {
    metrics.count("EmailResentBySweep");
    const recorded = await deps.uncertainEmails.record(claimed, { kind: "sent", messageId: answer.messageId, at: now });
    logger.warn(
      recorded
        ? "uncertain email sent by the sweep: no SES event of it arrived within the window, so SES had never accepted it"
        : "uncertain email sent by the sweep; an SES event recorded the row first (the event of this send, or an earlier attempt's event later than the window: then the customer has two)",
      { ...context, messageId: answer.messageId },
    );
    return "resent";
  }
  if (answer.kind === "refused") {
    metrics.count("EmailRefused");
    await deps.uncertainEmails.record(claimed, { kind: "refused", error: describeError(answer.error) });
    logger.warn("SES refused the uncertain email the sweep sent; recorded as failed, not retried", {
      ...context,
      error: maskEmailsIn(describeError(answer.error)),
    });
    return "refused";
  }
  const failure: FailedCall = answer;
  const error = describeError(failure.error);
  if (failure.effect === "none") {
    await deps.uncertainEmails.record(claimed, { kind: "not-sent", error });
    logger.warn("SES answered the sweep's send with an error; nothing was sent, the next sweep sends it", {
      ...context,
      error: maskEmailsIn(error),
    });
    return "notSent";
  }
  await deps.uncertainEmails.record(claimed, { kind: "unanswered", error });
  logger.error(
    "the sweep's send got no answer: the email may have gone. It stays uncertain; an SES event of it records it sent, and without one within the window the next sweep sends it",
    { ...context, error: maskEmailsIn(error) },
  );
  return "unanswered";
}
