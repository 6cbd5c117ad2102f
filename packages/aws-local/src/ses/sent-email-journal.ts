import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { JsonLinesFile } from "../json-files";
import type { AwsSesV2LocalEmail } from "./aws-ses-v2-local-server";
import { parseStoredEmails } from "./sent-email";

/**
 * The emails the local SES sent, one JSON line each (as aws-ses-v2-local stores them) in
 * `<data directory>/ses/sent-emails.jsonl`, so the mail page still shows them after a restart,
 * as the email log table still says they were sent. Each is written when its send is answered.
 */
export class SentEmailJournal {
  private readonly file: JsonLinesFile;

  constructor(
    readonly path: string,
    private readonly warn: (message: string) => void,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.file = new JsonLinesFile(path);
  }

  /**
   * The emails of earlier runs, oldest first. A line that is not an email (a torn last write) is
   * skipped with a warning and the file rewritten without it, so later appends start on a clean line.
   */
  load(): AwsSesV2LocalEmail[] {
    const content = this.file.read((value) => (isStoredEmail(value) ? value : undefined), this.warn);
    if (content.skippedLines > 0 || !content.endsCleanly) this.file.rewrite(content.records);
    return content.records;
  }

  /** Appends one email and writes it at once: mails are few, and each must survive a crash. */
  record(email: AwsSesV2LocalEmail): void {
    this.file.append(email);
    this.file.flush();
  }
}

/** The same check the mail list applies to aws-ses-v2-local's `/store` answer. */
function isStoredEmail(value: unknown): value is AwsSesV2LocalEmail {
  try {
    parseStoredEmails({ emails: [value] });
    return true;
  } catch {
    return false;
  }
}
