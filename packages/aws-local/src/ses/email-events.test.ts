import {
  CreateConfigurationSetCommand,
  ListConfigurationSetsCommand,
  SESClient,
  SendEmailCommand,
  SendRawEmailCommand,
} from "@aws-sdk/client-ses";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import { fakeSigV4Authorization } from "../http/fake-sigv4";
import type { EventEnvelope } from "../eventbridge/event-envelope";

const REGION = "eu-west-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
const DEFAULT_BUS = `arn:aws:events:${REGION}:000000000000:event-bus/default`;
let stack: AwsLocal;
let ses: SESClient;
let eventBridge: EventBridgeClient;
let setCount = 0;
const delivered: EventEnvelope[] = [];

/** SESv2 over plain HTTP (the repository has no SESv2 SDK client), signed as `ses` like the SDK signs. */
async function sesV2(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      authorization: fakeSigV4Authorization("ses", REGION),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === "" ? undefined : JSON.parse(text) };
}

/** A fresh configuration set with an EventBridge destination on the default bus for `types`. */
async function configurationSet(
  types: string[] = ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT", "REJECT", "DELIVERY_DELAY"],
) {
  setCount += 1;
  const name = `payments-${setCount}`;
  await ses.send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: name } }));
  const answer = await sesV2("POST", `/v2/email/configuration-sets/${name}/event-destinations`, {
    EventDestinationName: "to-eventbridge",
    EventDestination: {
      Enabled: true,
      MatchingEventTypes: types,
      EventBridgeDestination: { EventBusArn: DEFAULT_BUS },
    },
  });
  expect(answer.status).toBe(200);
  return name;
}

function send(to: string[], configurationSetName?: string, tags: { Name: string; Value: string }[] = []) {
  return ses.send(
    new SendEmailCommand({
      Source: "Shop <shop@example.com>",
      Destination: { ToAddresses: to },
      Message: { Subject: { Data: "Order paid" }, Body: { Text: { Data: "paid" } } },
      ...(configurationSetName === undefined ? {} : { ConfigurationSetName: configurationSetName }),
      ...(tags.length === 0 ? {} : { Tags: tags }),
    }),
  );
}

/** The SES events on the default bus about `messageId`, once every email event is published and routed. */
async function eventsAbout(messageId: string | undefined): Promise<EventEnvelope[]> {
  await stack.ses.emailEventsSettled();
  await stack.eventBridge.whenIdle();
  return stack.eventBridge
    .listAcceptedEvents("default")
    .map((accepted) => accepted.event)
    .filter((event) => (event.detail as { mail?: { messageId?: string } }).mail?.messageId === messageId);
}

const typesOf = (events: EventEnvelope[]) => events.map((event) => event["detail-type"]);

beforeAll(async () => {
  stack = await startAwsLocal({ region: REGION });
  ses = new SESClient({ endpoint: stack.url, region: REGION, credentials, maxAttempts: 1 });
  eventBridge = new EventBridgeClient({ endpoint: stack.url, region: REGION, credentials, maxAttempts: 1 });
  stack.functions.set("email-events", (payload) => {
    delivered.push(payload as EventEnvelope);
  });
  await eventBridge.send(
    new PutRuleCommand({
      Name: "ses-bounces",
      EventPattern: JSON.stringify({ source: ["aws.ses"], "detail-type": ["Email Bounced"] }),
    }),
  );
  await eventBridge.send(
    new PutTargetsCommand({
      Rule: "ses-bounces",
      Targets: [{ Id: "email-events", Arn: `arn:aws:lambda:${REGION}:000000000000:function:email-events` }],
    }),
  );
});
afterEach(() => stack.ses.clearFaults());
afterAll(async () => {
  ses?.destroy();
  eventBridge?.destroy();
  await stack?.close();
});

describe("SES email events on the local default bus", () => {
  it("publishes Send then Delivery for an email sent with a configuration set, with its tags and message id", async () => {
    // Prepare
    const name = await configurationSet();

    // Act
    const sent = await send(["buyer@example.com"], name, [{ Name: "notification-key", Value: "order-1#paid" }]);
    const events = await eventsAbout(sent.MessageId);

    // Assert
    expect(typesOf(events)).toEqual(["Email Sent", "Email Delivered"]);
    const [sendEvent, deliveryEvent] = events as [EventEnvelope, EventEnvelope];
    expect(sendEvent).toMatchObject({ source: "aws.ses", account: "000000000000", region: REGION });
    expect(sendEvent.detail).toMatchObject({
      eventType: "Send",
      send: {},
      mail: {
        messageId: sent.MessageId,
        source: "Shop <shop@example.com>",
        sourceArn: `arn:aws:ses:${REGION}:000000000000:identity/shop@example.com`,
        sendingAccountId: "000000000000",
        destination: ["buyer@example.com"],
        commonHeaders: { subject: "Order paid" },
        tags: {
          "ses:configuration-set": [name],
          "ses:from-domain": ["example.com"],
          "notification-key": ["order-1#paid"],
        },
      },
    });
    expect(deliveryEvent.detail).toMatchObject({
      eventType: "Delivery",
      delivery: { recipients: ["buyer@example.com"] },
    });
  });

  it("publishes nothing for an email sent without a configuration set", async () => {
    // Act
    const sent = await send(["plain@example.com"]);

    // Assert
    expect(await eventsAbout(sent.MessageId)).toEqual([]);
  });

  it("refuses a send naming a configuration set that does not exist, as SES does, and sends nothing", async () => {
    // Prepare
    const before = (await stack.ses.listSentEmails()).length;

    // Act
    const refusal = await send(["buyer@example.com"], "no-such-set").catch((error: unknown) => error);

    // Assert
    expect(refusal).toMatchObject({
      name: "ConfigurationSetDoesNotExistException",
      message: "Configuration set <no-such-set> does not exist.",
    });
    expect(await stack.ses.listSentEmails()).toHaveLength(before);
  });

  it("behaves as the mailbox simulator for its bounce and complaint addresses, and routes the bounce to a rule", async () => {
    // Prepare
    const name = await configurationSet();

    // Act
    const bounced = await send(["bounce@simulator.amazonses.com"], name);
    const complained = await send(["complaint@simulator.amazonses.com"], name);
    const bounceEvents = await eventsAbout(bounced.MessageId);
    const complaintEvents = await eventsAbout(complained.MessageId);

    // Assert
    expect(typesOf(bounceEvents)).toEqual(["Email Sent", "Email Bounced"]);
    expect(bounceEvents[1]!.detail).toMatchObject({
      eventType: "Bounce",
      bounce: {
        bounceType: "Permanent",
        bounceSubType: "General",
        bouncedRecipients: [{ emailAddress: "bounce@simulator.amazonses.com", action: "failed" }],
      },
    });
    expect(typesOf(complaintEvents)).toEqual(["Email Sent", "Email Delivered", "Email Complaint Received"]);
    expect(complaintEvents[2]!.detail).toMatchObject({
      eventType: "Complaint",
      complaint: { complainedRecipients: [{ emailAddress: "complaint@simulator.amazonses.com" }] },
    });
    expect(delivered.map((event) => event.id)).toContain(bounceEvents[1]!.id);
  });

  it.each([
    ["delayed", ["Email Sent", "Email Delivery Delayed", "Email Delivered"]],
    ["soft-bounced", ["Email Sent", "Email Bounced"]],
    ["suppressed", ["Email Sent", "Email Bounced"]],
    ["rejected", ["Email Sent", "Email Rejected"]],
  ] as const)("publishes what a planned %s fate brings", async (fate, expected) => {
    // Prepare
    const name = await configurationSet();
    stack.ses.planEmailFate([`${fate}@example.com`], fate);

    // Act
    const sent = await send([`Buyer <${fate}@example.com>`], name);

    // Assert
    expect(typesOf(await eventsAbout(sent.MessageId))).toEqual(expected);
  });

  it("publishes only the event types the destination matches", async () => {
    // Prepare
    const name = await configurationSet(["BOUNCE"]);

    // Act
    const delivered = await send(["fine@example.com"], name);
    const bounced = await send(["bounce@simulator.amazonses.com"], name);

    // Assert
    expect(await eventsAbout(delivered.MessageId)).toEqual([]);
    expect(typesOf(await eventsAbout(bounced.MessageId))).toEqual(["Email Bounced"]);
  });

  it("loses planned events as a best-effort delivery can, and counts them", async () => {
    // Prepare
    const name = await configurationSet();
    const before = stack.ses.emailEventStatistics();
    stack.ses.dropNextEmailEvents(1, ["SEND"]);

    // Act
    const sent = await send(["lost-send@example.com"], name);

    // Assert
    expect(typesOf(await eventsAbout(sent.MessageId))).toEqual(["Email Delivered"]);
    expect(stack.ses.emailEventStatistics()).toEqual({ published: before.published + 1, dropped: before.dropped + 1 });
  });

  it("publishes for SendRawEmail, reading the subject from the message", async () => {
    // Prepare
    const name = await configurationSet(["SEND"]);
    const mime = ["From: shop@example.com", "To: raw@example.com", "Subject: Raw receipt", "", "paid", ""].join("\r\n");

    // Act
    const sent = await ses.send(
      new SendRawEmailCommand({
        RawMessage: { Data: new Uint8Array(Buffer.from(mime)) },
        ConfigurationSetName: name,
        Tags: [{ Name: "kind", Value: "raw" }],
      }),
    );

    // Assert
    const [event] = await eventsAbout(sent.MessageId);
    expect(event?.detail).toMatchObject({
      mail: { destination: ["raw@example.com"], commonHeaders: { subject: "Raw receipt" }, tags: { kind: ["raw"] } },
    });
  });

  it("publishes for a SESv2 SendEmail with EmailTags", async () => {
    // Prepare
    const name = await configurationSet(["SEND"]);

    // Act
    const answer = await sesV2("POST", "/v2/email/outbound-emails", {
      FromEmailAddress: "shop@example.com",
      Destination: { ToAddresses: ["v2@example.com"] },
      Content: { Simple: { Subject: { Data: "V2 receipt" }, Body: { Text: { Data: "paid" } } } },
      ConfigurationSetName: name,
      EmailTags: [{ Name: "notification-key", Value: "order-2#paid" }],
    });

    // Assert
    expect(answer.status).toBe(200);
    const messageId = (answer.json as { MessageId: string }).MessageId;
    const [event] = await eventsAbout(messageId);
    expect(event?.detail).toMatchObject({
      eventType: "Send",
      mail: { commonHeaders: { subject: "V2 receipt" }, tags: { "notification-key": ["order-2#paid"] } },
    });
  });
});

describe("SES configuration sets", () => {
  it("lists sets made through v1 and v2 alike, and refuses a duplicate name", async () => {
    // Prepare
    await sesV2("POST", "/v2/email/configuration-sets", { ConfigurationSetName: "made-by-v2" });

    // Act
    const listed = await ses.send(new ListConfigurationSetsCommand({}));
    const duplicate = await ses
      .send(new CreateConfigurationSetCommand({ ConfigurationSet: { Name: "made-by-v2" } }))
      .catch((error: unknown) => error);

    // Assert
    expect(listed.ConfigurationSets?.map((set) => set.Name)).toContain("made-by-v2");
    expect(duplicate).toMatchObject({ name: "ConfigurationSetAlreadyExistsException" });
  });

  it("refuses an EventBridge destination on a bus other than the default, naming the field", async () => {
    // Prepare
    await sesV2("POST", "/v2/email/configuration-sets", { ConfigurationSetName: "custom-bus" });

    // Act
    const answer = await sesV2("POST", "/v2/email/configuration-sets/custom-bus/event-destinations", {
      EventDestinationName: "elsewhere",
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ["SEND"],
        EventBridgeDestination: { EventBusArn: `arn:aws:events:${REGION}:000000000000:event-bus/payments` },
      },
    });

    // Assert
    expect(answer.status).toBe(400);
    expect((answer.json as { message: string }).message).toContain("EventBridgeDestination.EventBusArn");
    expect(await sesV2("GET", "/v2/email/configuration-sets/custom-bus/event-destinations")).toEqual({
      status: 200,
      json: { EventDestinations: [] },
    });
  });

  it("answers NotFoundException for the destinations of a set that does not exist", async () => {
    // Act
    const answer = await sesV2("GET", "/v2/email/configuration-sets/missing/event-destinations");

    // Assert
    expect(answer).toEqual({ status: 404, json: { message: "Configuration set <missing> does not exist." } });
  });
});
