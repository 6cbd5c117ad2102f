import type { OutgoingEmail } from "./mail-sender";

/*
 * What marks an email-log row as awaiting proof of its email (uncertain-emails.ts), apart from the sweep's store: the
 * notifier and the email-events subscriber write and remove these fields, and need nothing of the sweep's queries.
 */

/** The value of the index's partition key on every row awaiting proof. */
export const AWAITING_PROOF = "uncertain-email";

/** The attributes a row awaiting proof has and a resolved one loses: the index's keys and the stored email. */
export const AWAITING_PROOF_FIELDS = ["emailAwaitingProof", "emailUncertainSince", "uncertainEmail"] as const;

/** What the notifier writes with an `uncertain` email result, in the write it makes anyway: the email and the index keys. */
export function awaitingProofFields(email: OutgoingEmail, since: Date) {
  return {
    emailAwaitingProof: AWAITING_PROOF,
    emailUncertainSince: since.toISOString(),
    uncertainEmail: email,
  } as const;
}
