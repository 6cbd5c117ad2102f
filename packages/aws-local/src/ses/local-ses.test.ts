import {
  GetSendStatisticsCommand,
  SESClient,
  SendEmailCommand,
  SendRawEmailCommand,
  type SESClientConfig,
} from "@aws-sdk/client-ses";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalEndpoint, type LocalEndpoint } from "../http/local-endpoint";
import { fakeSigV4Authorization } from "../http/fake-sigv4";
import { startLocalSes, type LocalSes } from "./local-ses";
import { SES_MAIL_PAGE_PATH } from "./ses-mail-page";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const THAI_SUBJECT = "ยืนยันการชำระเงิน คำสั่งซื้อ #1001";
const THAI_TEXT = "ขอบคุณที่ชำระเงินผ่านวอลเล็ต ยอดรวม ฿1,250.00";
const THAI_HTML = "<h1>ขอบคุณค่ะ</h1><p>ยอดรวม <b>฿1,250.00</b></p>";

let ses: LocalSes;
let endpoint: LocalEndpoint;
const clients: SESClient[] = [];

function sesClient(config: Partial<SESClientConfig> = {}): SESClient {
  const client = new SESClient({ endpoint: endpoint.url, region: "ap-southeast-1", credentials, ...config });
  clients.push(client);
  return client;
}

function simpleEmail(to: string[], subject = "Order paid"): SendEmailCommand {
  return new SendEmailCommand({
    Source: "shop@example.com",
    Destination: { ToAddresses: to },
    Message: { Subject: { Data: subject }, Body: { Text: { Data: "paid" } } },
  });
}

/** A MIME message with a UTF-8 subject (RFC 2047) and a base64 UTF-8 body. */
function rawMime(options: { to: string; subject: string; text: string }): Uint8Array {
  const mime = [
    "From: Shop <shop@example.com>",
    `To: ${options.to}`,
    `Subject: =?UTF-8?B?${Buffer.from(options.subject).toString("base64")}?=`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from(options.text).toString("base64"),
    "",
  ].join("\r\n");
  return new Uint8Array(Buffer.from(mime));
}

async function postRaw(
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${endpoint.url}${path}`, { method: "POST", headers, body });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

beforeAll(async () => {
  ses = await startLocalSes();
  endpoint = await startLocalEndpoint({ port: 0, services: [ses.service] });
});

afterEach(() => {
  ses.clearFaults();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await endpoint.close();
  await ses.close();
});

describe("local SES, SES v1 through @aws-sdk/client-ses", () => {
  it("stores a SendEmail with HTML, text and Thai subject for listSentEmails", async () => {
    // Prepare
    const client = sesClient();
    const before = Math.floor(Date.now() / 1000) * 1000;

    // Act
    const { MessageId } = await client.send(
      new SendEmailCommand({
        Source: "shop@example.com",
        Destination: { ToAddresses: ["somchai@example.com"] },
        ReplyToAddresses: ["support@example.com"],
        Message: {
          Subject: { Data: THAI_SUBJECT, Charset: "UTF-8" },
          Body: { Html: { Data: THAI_HTML, Charset: "UTF-8" }, Text: { Data: THAI_TEXT, Charset: "UTF-8" } },
        },
      }),
    );

    // Assert
    const sent = (await ses.listSentEmails()).find((email) => email.messageId === MessageId);
    expect(sent).toMatchObject({
      from: "shop@example.com",
      to: ["somchai@example.com"],
      replyTo: ["support@example.com"],
      subject: THAI_SUBJECT,
      html: THAI_HTML,
      text: THAI_TEXT,
    });
    expect(sent!.time.getTime()).toBeGreaterThanOrEqual(before);
    expect(sent!.time.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("keeps every To, Cc and Bcc address (aws-ses-v2-local on its own keeps only the first of each)", async () => {
    // Prepare
    const client = sesClient();

    // Act
    const { MessageId } = await client.send(
      new SendEmailCommand({
        Source: "shop@example.com",
        Destination: {
          ToAddresses: ["a@example.com", "b@example.com"],
          CcAddresses: ["c@example.com", "d@example.com"],
          BccAddresses: ["e@example.com", "f@example.com"],
        },
        Message: { Subject: { Data: "many" }, Body: { Text: { Data: "hi" } } },
      }),
    );

    // Assert
    const sent = (await ses.listSentEmails()).find((email) => email.messageId === MessageId);
    expect({ to: sent?.to, cc: sent?.cc, bcc: sent?.bcc }).toEqual({
      to: ["a@example.com", "b@example.com"],
      cc: ["c@example.com", "d@example.com"],
      bcc: ["e@example.com", "f@example.com"],
    });
  });

  it("stores a SendRawEmail, decoding its UTF-8 subject and body", async () => {
    // Prepare
    const client = sesClient();

    // Act
    const { MessageId } = await client.send(
      new SendRawEmailCommand({
        RawMessage: { Data: rawMime({ to: "Somchai <somchai@example.com>", subject: THAI_SUBJECT, text: THAI_TEXT }) },
      }),
    );

    // Assert
    const sent = (await ses.listSentEmails()).find((email) => email.messageId === MessageId);
    expect(sent?.subject).toBe(THAI_SUBJECT);
    expect(sent?.text?.trim()).toBe(THAI_TEXT);
    expect(sent?.to.join(" ")).toContain("somchai@example.com");
  });

  it("answers aws-ses-v2-local's own validation errors as Query XML the SDK can read", async () => {
    // Prepare
    const client = sesClient({ maxAttempts: 1 });

    // Act
    const error = await client
      .send(
        new SendEmailCommand({
          Source: "shop@example.com",
          Destination: { ToAddresses: ["somchai@example.com"] },
          Message: { Subject: { Data: "no body" }, Body: {} },
        }),
      )
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "InvalidParameterValue", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(/HTML or Text body/);
  });

  it("answers InvalidAction at once for an SES action aws-ses-v2-local lacks (it would never answer)", async () => {
    // Prepare
    const client = sesClient({ maxAttempts: 1 });

    // Act
    const error = await client
      .send(new GetSendStatisticsCommand({}), { abortSignal: AbortSignal.timeout(5_000) })
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain("GetSendStatistics");
  });
});

describe("local SES fault hooks", () => {
  it("rejects a listed recipient with MessageRejected and stores nothing", async () => {
    // Prepare
    const client = sesClient();
    ses.rejectRecipients(["Bounce@Example.com"]);
    const countBefore = (await ses.listSentEmails()).length;

    // Act
    const error = await client
      .send(simpleEmail(["ok@example.com", "bounce@example.com"]))
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "MessageRejected", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toBe(
      "Email address is not verified. The following identities failed the check in region AP-SOUTHEAST-1: bounce@example.com",
    );
    expect(await ses.listSentEmails()).toHaveLength(countBefore);
  });

  it("still sends to recipients the rule does not match", async () => {
    // Prepare
    const client = sesClient();
    ses.rejectRecipients((address) => address.endsWith("@blocked.example"));

    // Act
    const { MessageId } = await client.send(simpleEmail(["ok@example.com"]));

    // Assert
    expect((await ses.listSentEmails()).map((email) => email.messageId)).toContain(MessageId);
  });

  it("applies the rule to the To header of a raw email", async () => {
    // Prepare
    const client = sesClient();
    ses.rejectRecipients((address) => address.endsWith("@blocked.example"));

    // Act
    const error = await client
      .send(
        new SendRawEmailCommand({
          RawMessage: { Data: rawMime({ to: "Nok <nok@blocked.example>", subject: "hi", text: "hi" }) },
        }),
      )
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "MessageRejected" });
    expect((error as Error).message).toContain("nok@blocked.example");
  });

  it("failNext surfaces Throttling (400) to a client that does not retry, then serves again", async () => {
    // Prepare
    const client = sesClient({ maxAttempts: 1 });
    ses.failNext(1, "Throttling", { message: "Maximum sending rate exceeded." });

    // Act
    const error = await client.send(simpleEmail(["a@example.com"])).catch((caught: unknown) => caught);
    const next = await client.send(simpleEmail(["a@example.com"]));

    // Assert
    expect(error).toMatchObject({
      name: "Throttling",
      message: "Maximum sending rate exceeded.",
      $metadata: { httpStatusCode: 400 },
    });
    expect(next.MessageId).toMatch(/\S/);
  });

  it("failNext ServiceUnavailable (503) is retried by a default client, which then succeeds", async () => {
    // Prepare
    const client = sesClient();
    ses.failNext(1, "ServiceUnavailable");

    // Act
    const result = await client.send(simpleEmail(["a@example.com"]));

    // Assert
    expect(result.$metadata.attempts).toBe(2);
  });
});

describe("local SES, SES v2 REST (/v2/email/outbound-emails)", () => {
  const v2Headers = { "content-type": "application/json", authorization: fakeSigV4Authorization("ses") };

  it("stores a v2 SendEmail", async () => {
    // Prepare
    const body = JSON.stringify({
      FromEmailAddress: "shop@example.com",
      Destination: { ToAddresses: ["somchai@example.com"] },
      Content: { Simple: { Subject: { Data: THAI_SUBJECT }, Body: { Text: { Data: THAI_TEXT } } } },
    });

    // Act
    const response = await postRaw("/v2/email/outbound-emails", body, v2Headers);

    // Assert
    expect(response.status).toBe(200);
    const { MessageId } = JSON.parse(response.text) as { MessageId: string };
    expect((await ses.listSentEmails()).find((email) => email.messageId === MessageId)?.subject).toBe(THAI_SUBJECT);
  });

  it("rejects a v2 send with the REST JSON MessageRejected error", async () => {
    // Prepare
    ses.rejectRecipients(["bounce@example.com"]);
    const body = JSON.stringify({
      FromEmailAddress: "shop@example.com",
      Destination: { CcAddresses: ["Bounce <bounce@example.com>"] },
      Content: { Simple: { Subject: { Data: "x" }, Body: { Text: { Data: "x" } } } },
    });

    // Act
    const response = await postRaw("/v2/email/outbound-emails", body, v2Headers);

    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("MessageRejected");
    expect(JSON.parse(response.text)).toEqual({ message: expect.stringContaining("bounce@example.com") });
  });
});

describe("local SES, malformed requests", () => {
  it("answers a signed form without Action with 400 MissingAction XML, and keeps serving", async () => {
    // Prepare
    const client = sesClient();

    // Act
    const response = await postRaw("/", "%%%not a form", {
      "content-type": "application/x-www-form-urlencoded",
      authorization: fakeSigV4Authorization("ses"),
    });
    const after = await client.send(simpleEmail(["a@example.com"]));

    // Assert
    expect(response.status).toBe(400);
    expect(response.text).toContain("<Code>MissingAction</Code>");
    expect(after.MessageId).toMatch(/\S/);
  });

  it("answers invalid JSON on v2 with 400 BadRequestException JSON, not an HTML stack trace", async () => {
    // Prepare
    const headers = { "content-type": "application/json", authorization: fakeSigV4Authorization("ses") };

    // Act
    const response = await postRaw("/v2/email/outbound-emails", "{not json", headers);

    // Assert
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("BadRequestException");
    expect((JSON.parse(response.text) as { message: string }).message).toMatch(/must be JSON/);
  });
});

describe("local SES mail page through the shared endpoint", () => {
  it("serves aws-ses-v2-local's web UI under the prefix with its fetches pointed there", async () => {
    // Prepare
    const url = ses.mailPageUrl(endpoint.url);

    // Act
    const response = await fetch(url);
    const html = await response.text();

    // Assert
    expect(url).toBe(`${endpoint.url}${SES_MAIL_PAGE_PATH}`);
    expect(response.status).toBe(200);
    expect(html).toContain(`fetch(\`${SES_MAIL_PAGE_PATH}store?since=`);
    expect(html).not.toMatch(/fetch\([`'"]\/(store|clear-store|get-emlContent)/);
  });

  it("serves the store the page reads, including a sent email", async () => {
    // Prepare
    const { MessageId } = await sesClient().send(simpleEmail(["page@example.com"]));

    // Act
    const response = await fetch(`${endpoint.url}${SES_MAIL_PAGE_PATH}store`);

    // Assert
    expect(response.status).toBe(200);
    const store = (await response.json()) as { emails: { messageId: string }[] };
    expect(store.emails.map((email) => email.messageId)).toContain(MessageId);
  });

  it("answers 404 for anything else under the prefix", async () => {
    // Act
    const response = await fetch(`${endpoint.url}${SES_MAIL_PAGE_PATH}v2/email/account`);

    // Assert
    expect(response.status).toBe(404);
  });
});

describe("two local SES instances in one process", () => {
  it("each lists only the emails sent through it (aws-ses-v2-local's store is process-wide)", async () => {
    // Prepare
    const other = await startLocalSes();
    const otherEndpoint = await startLocalEndpoint({ port: 0, services: [other.service] });
    const otherClient = new SESClient({ endpoint: otherEndpoint.url, region: "ap-southeast-1", credentials });
    try {
      // Act
      const { MessageId } = await otherClient.send(simpleEmail(["other@example.com"]));

      // Assert
      expect((await other.listSentEmails()).map((email) => email.messageId)).toEqual([MessageId]);
      expect((await ses.listSentEmails()).map((email) => email.messageId)).not.toContain(MessageId);
    } finally {
      otherClient.destroy();
      await otherEndpoint.close();
      await other.close();
    }
  });
});
