import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startLocalEndpoint } from "../http/local-endpoint";
import { startLocalSes, type LocalSesOptions } from "./local-ses";

let directory: string;
let sentEmailsFile: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "payment3-ses-"));
  sentEmailsFile = join(directory, "ses", "sent-emails.jsonl");
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** One local SES on its own endpoint, as a run of `npm start` has it; `use` gets its URL. */
async function withLocalSes<T>(
  options: LocalSesOptions,
  use: (ses: Awaited<ReturnType<typeof startLocalSes>>, url: string) => Promise<T>,
): Promise<T> {
  const ses = await startLocalSes(options);
  const endpoint = await startLocalEndpoint({ port: 0, services: [ses.service] });
  try {
    return await use(ses, endpoint.url);
  } finally {
    await endpoint.close();
    await ses.close();
  }
}

async function sendOne(url: string, to: string): Promise<string> {
  const client = new SESClient({
    endpoint: url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    const { MessageId } = await client.send(
      new SendEmailCommand({
        Source: "payments@payment3.example",
        Destination: { ToAddresses: [to] },
        Message: { Subject: { Data: "ชำระเงินแล้ว" }, Body: { Text: { Data: "paid" } } },
      }),
    );
    return MessageId!;
  } finally {
    client.destroy();
  }
}

describe("sent emails kept in a file", () => {
  it("are listed again, and shown on the mail page, after a restart", async () => {
    // Prepare: one run sends an email, then its process ends (the in-process store is emptied, as a new process has it).
    const messageId = await withLocalSes({ sentEmailsFile }, async (_ses, url) => {
      const sent = await sendOne(url, "somchai@example.com");
      await fetch(`${url}/_local/ses/clear-store`, { method: "POST" });
      return sent;
    });

    // Act
    const { listed, page } = await withLocalSes({ sentEmailsFile }, async (ses, url) => ({
      listed: await ses.listSentEmails(),
      page: (await (await fetch(`${url}/_local/ses/store`)).json()) as { emails: { messageId: string }[] },
    }));

    // Assert
    expect(listed.map((email) => [email.messageId, email.to, email.subject])).toEqual([
      [messageId, ["somchai@example.com"], "ชำระเงินแล้ว"],
    ]);
    expect(page.emails.map((email) => email.messageId)).toEqual([messageId]);
  });

  it("skip a torn last line with a warning and append after it on a clean line", async () => {
    // Prepare
    await withLocalSes({ sentEmailsFile }, (_ses, url) => sendOne(url, "first@example.com"));
    appendFileSync(sentEmailsFile, '{"messageId":"torn');
    const warnings: string[] = [];

    // Act
    const listed = await withLocalSes(
      { sentEmailsFile, warn: (message) => warnings.push(message) },
      async (ses, url) => {
        await sendOne(url, "second@example.com");
        return ses.listSentEmails();
      },
    );

    // Assert
    expect(warnings).toEqual([expect.stringContaining("Skipped line 2")]);
    expect(listed.map((email) => email.to[0])).toEqual(["first@example.com", "second@example.com"]);
    expect(
      readFileSync(sentEmailsFile, "utf8")
        .trimEnd()
        .split("\n")
        .map((line) => (JSON.parse(line) as { destination: { to: string[] } }).destination.to[0]),
    ).toEqual(["first@example.com", "second@example.com"]);
  });
});
