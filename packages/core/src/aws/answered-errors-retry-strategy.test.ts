import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { AnsweredErrorsRetryStrategy } from "./answered-errors-retry-strategy";
import { createNotificationClients } from "./aws-clients";

const SNS_UNAVAILABLE = `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Receiver</Type><Code>InternalError</Code><Message>try again</Message></Error><RequestId>r</RequestId></ErrorResponse>`;
const SNS_PUBLISHED = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** An HTTP server that answers the n-th request (from 1) as `answer` says: XML with a status, or no answer at all. */
async function snsServer(
  answer: (n: number) => { status: number; body: string } | "hang-up",
): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests += 1;
      const reply = answer(requests);
      if (reply === "hang-up") {
        request.socket.destroy();
        return;
      }
      response.writeHead(reply.status, { "content-type": "text/xml" }).end(reply.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

const publish = (client: SNSClient) =>
  client.send(new PublishCommand({ TopicArn: "arn:aws:sns:ap-southeast-1:000000000000:t", Message: "paid" }));
const snsClient = (url: string, retryStrategy?: AnsweredErrorsRetryStrategy) =>
  new SNSClient({ endpoint: url, region: "ap-southeast-1", ...(retryStrategy ? { retryStrategy } : {}) });

describe("retrying only answered errors", () => {
  it("retries an error answer (nothing was done) like the SDK's standard strategy, then succeeds", async () => {
    const sns = await snsServer((n) =>
      n < 3 ? { status: 500, body: SNS_UNAVAILABLE } : { status: 200, body: SNS_PUBLISHED },
    );

    const published = await publish(snsClient(sns.url, new AnsweredErrorsRetryStrategy()));

    expect(published.MessageId).toBe("m-1");
    expect(sns.requests()).toBe(3);
  });

  it("does not send again a request that got no answer (it may have been carried out): one request, the connection error", async () => {
    const sns = await snsServer(() => "hang-up");

    const error = await publish(snsClient(sns.url, new AnsweredErrorsRetryStrategy())).catch(
      (caught: unknown) => caught,
    );

    expect(sns.requests()).toBe(1);
    expect(error).toMatchObject({ code: "ECONNRESET" });
    expect((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBeUndefined();
  });

  it("is what the notification clients use, where the SDK's default strategy sends the unanswered Publish again", async () => {
    const sns = await snsServer((n) => (n === 1 ? "hang-up" : { status: 200, body: SNS_PUBLISHED }));
    const defaultRetries = await snsServer((n) => (n === 1 ? "hang-up" : { status: 200, body: SNS_PUBLISHED }));

    const ours = await publish(createNotificationClients({ region: "ap-southeast-1", endpoint: sns.url }).sns).catch(
      (caught: unknown) => caught,
    );

    expect(ours).toMatchObject({ code: "ECONNRESET" });
    expect(sns.requests()).toBe(1);
    expect(await publish(snsClient(defaultRetries.url))).toMatchObject({ MessageId: "m-1" });
    expect(defaultRetries.requests()).toBe(2);
  });
});
