import { SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startLocalEndpoint, type LocalEndpoint, type LocalRequest, type LocalService } from "../http/local-endpoint";
import { createLocalSns, type LocalSns } from "../sns/local-sns";
import { fakeSigV4Authorization } from "../http/fake-sigv4";
import { startLocalSes, type LocalSes } from "./local-ses";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };

/** A third service that takes whatever the others leave, so a misrouted request shows up here. */
function createCatchAllService(): LocalService & { seen: LocalRequest[] } {
  const seen: LocalRequest[] = [];
  return {
    name: "CatchAll",
    seen,
    canHandle: () => true,
    handle: async (request) => {
      seen.push(request);
      return { status: 418, headers: { "content-type": "text/plain" }, body: "catch-all" };
    },
  };
}

let ses: LocalSes;
let sns: LocalSns;
let catchAll: ReturnType<typeof createCatchAllService>;
let endpoint: LocalEndpoint;
let sesClient: SESClient;
let snsClient: SNSClient;

async function postForm(body: string, authorization?: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${endpoint.url}/`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(authorization ? { authorization } : {}) },
    body,
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  ses = await startLocalSes();
  sns = createLocalSns();
  catchAll = createCatchAllService();
  endpoint = await startLocalEndpoint({ port: 0, services: [ses.service, sns.service, catchAll] });
  sesClient = new SESClient({ endpoint: endpoint.url, region: "ap-southeast-1", credentials });
  snsClient = new SNSClient({ endpoint: endpoint.url, region: "ap-southeast-1", credentials });
});

beforeEach(() => {
  catchAll.seen.length = 0;
});

afterAll(async () => {
  sesClient.destroy();
  snsClient.destroy();
  await endpoint.close();
  await ses.close();
  await sns.close();
});

describe("SES and SNS behind one endpoint", () => {
  it("serves SES SendEmail and SNS Publish, both form POST /, from one URL", async () => {
    // Prepare
    const { TopicArn } = await snsClient.send(new CreateTopicCommand({ Name: "shared" }));

    // Act
    const email = await sesClient.send(
      new SendEmailCommand({
        Source: "shop@example.com",
        Destination: { ToAddresses: ["somchai@example.com"] },
        Message: { Subject: { Data: "สวัสดี" }, Body: { Text: { Data: "hi" } } },
      }),
    );
    const published = await snsClient.send(new PublishCommand({ TopicArn, Message: "hi" }));

    // Assert
    expect((await ses.listSentEmails()).map((sent) => sent.messageId)).toEqual([email.MessageId]);
    expect(sns.listPublishedMessages(TopicArn).map((message) => message.messageId)).toEqual([published.MessageId]);
    expect(catchAll.seen).toHaveLength(0);
  });

  it("routes by credential scope over the Action name: SNS-signed SendEmail goes to SNS", async () => {
    // Act
    const response = await postForm("Action=SendEmail&Source=a%40example.com", fakeSigV4Authorization("sns"));

    // Assert
    expect(response.status).toBe(400);
    expect(response.text).toContain("sns.amazonaws.com/doc/2010-03-31/");
    expect(response.text).toContain("<Code>InvalidAction</Code>");
  });

  it("routes by credential scope over the Action name: SES-signed Publish goes to SES", async () => {
    // Act
    const response = await postForm("Action=Publish&Message=m", fakeSigV4Authorization("ses"));

    // Assert
    expect(response.status).toBe(400);
    expect(response.text).toContain("ses.amazonaws.com/doc/2010-12-01/");
    expect(response.text).toContain("Local SES (aws-ses-v2-local) does not implement Publish");
  });

  it("leaves a request signed for another service to the other service", async () => {
    // Act
    const response = await postForm("Action=SendMessage&MessageBody=m", fakeSigV4Authorization("sqs"));

    // Assert
    expect(response.status).toBe(418);
    expect(catchAll.seen.map((request) => request.body.toString())).toEqual(["Action=SendMessage&MessageBody=m"]);
  });

  it("falls back to the Action name when a request is unsigned", async () => {
    // Act
    const publish = await postForm(
      "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aap-southeast-1%3A000000000000%3Anope&Message=m",
    );
    const sendEmail = await postForm(
      "Action=SendEmail&Source=a%40example.com&Message.Subject.Data=s&Message.Body.Text.Data=t",
    );

    // Assert
    expect({ status: publish.status, notFound: publish.text.includes("<Code>NotFound</Code>") }).toEqual({
      status: 404,
      notFound: true,
    });
    // aws-ses-v2-local insists on an Authorization header; SES reports that in its own XML.
    expect({ status: sendEmail.status, code: /<Code>(\w+)<\/Code>/.exec(sendEmail.text)?.[1] }).toEqual({
      status: 403,
      code: "MissingAuthenticationToken",
    });
    expect(catchAll.seen).toHaveLength(0);
  });
});
