import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateConfigurationSetCommand,
  CreateConfigurationSetEventDestinationCommand,
  DeleteSuppressedDestinationCommand,
  GetAccountCommand,
  GetConfigurationSetCommand,
  GetSuppressedDestinationCommand,
  ListSuppressedDestinationsCommand,
  NotFoundException,
  PutAccountSuppressionAttributesCommand,
  PutConfigurationSetSuppressionOptionsCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";
import type { EventEnvelope } from "../eventbridge/event-envelope";

const REGION = "eu-west-1";
const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let stack: AwsLocal;
let sesV2: SESv2Client;
let dataDirectory: string;
let setCount = 0;
let addressCount = 0;

/** An address no other test uses. */
function freshAddress(label: string): string {
  addressCount += 1;
  return `${label}-${addressCount}@example.com`;
}

/** A fresh configuration set publishing every email event to the default bus, with `suppressedReasons` if given. */
async function configurationSet(suppressedReasons?: ("BOUNCE" | "COMPLAINT")[]): Promise<string> {
  setCount += 1;
  const name = `orders-${setCount}`;
  await sesV2.send(
    new CreateConfigurationSetCommand({
      ConfigurationSetName: name,
      ...(suppressedReasons ? { SuppressionOptions: { SuppressedReasons: suppressedReasons } } : {}),
    }),
  );
  await sesV2.send(
    new CreateConfigurationSetEventDestinationCommand({
      ConfigurationSetName: name,
      EventDestinationName: "to-eventbridge",
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: ["SEND", "DELIVERY", "BOUNCE", "COMPLAINT"],
        EventBridgeDestination: { EventBusArn: `arn:aws:events:${REGION}:000000000000:event-bus/default` },
      },
    }),
  );
  return name;
}

async function send(to: string, configurationSetName?: string): Promise<string> {
  const answer = await sesV2.send(
    new SendEmailCommand({
      FromEmailAddress: "shop@example.com",
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: "Order paid" }, Body: { Text: { Data: "paid" } } } },
      ...(configurationSetName ? { ConfigurationSetName: configurationSetName } : {}),
    }),
  );
  await stack.ses.emailEventsSettled();
  return answer.MessageId!;
}

async function eventsAbout(messageId: string): Promise<EventEnvelope[]> {
  await stack.eventBridge.whenIdle();
  return stack.eventBridge
    .listAcceptedEvents("default")
    .map((accepted) => accepted.event)
    .filter((event) => (event.detail as { mail?: { messageId?: string } }).mail?.messageId === messageId);
}

async function stored(messageId: string): Promise<boolean> {
  return (await stack.ses.listSentEmails()).some((email) => email.messageId === messageId);
}

beforeAll(async () => {
  dataDirectory = await mkdtemp(join(tmpdir(), "ses-suppression-"));
  stack = await startAwsLocal({
    region: REGION,
    ses: { suppressionListFile: join(dataDirectory, "suppression-list.json") },
  });
  sesV2 = new SESv2Client({ endpoint: stack.url, region: REGION, credentials, maxAttempts: 1 });
});
afterEach(() => stack.ses.clearFaults());
afterAll(async () => {
  sesV2?.destroy();
  await stack?.close();
  await rm(dataDirectory, { recursive: true, force: true });
});

describe("the account-level suppression list (SESv2 API)", () => {
  it("adds, reads, lists and deletes an address, answering NotFoundException for one not listed", async () => {
    // Prepare
    const address = freshAddress("listed");

    // Act
    await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: "COMPLAINT" }));
    const found = await sesV2.send(new GetSuppressedDestinationCommand({ EmailAddress: address.toUpperCase() }));
    const listed = await sesV2.send(new ListSuppressedDestinationsCommand({ Reasons: ["COMPLAINT"] }));
    await sesV2.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }));
    const afterDelete = sesV2.send(new GetSuppressedDestinationCommand({ EmailAddress: address }));
    const deleteAgain = sesV2.send(new DeleteSuppressedDestinationCommand({ EmailAddress: address }));

    // Assert
    expect(found.SuppressedDestination).toMatchObject({ EmailAddress: address, Reason: "COMPLAINT" });
    expect(found.SuppressedDestination?.LastUpdateTime).toBeInstanceOf(Date);
    expect(listed.SuppressedDestinationSummaries?.map((summary) => summary.EmailAddress)).toContain(address);
    await expect(afterDelete).rejects.toBeInstanceOf(NotFoundException);
    await expect(deleteAgain).rejects.toBeInstanceOf(NotFoundException);
  });

  it("lists by reason, a page at a time", async () => {
    // Prepare
    const bounced = [freshAddress("page"), freshAddress("page")];
    for (const address of bounced)
      await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: "BOUNCE" }));

    // Act
    const first = await sesV2.send(new ListSuppressedDestinationsCommand({ Reasons: ["BOUNCE"], PageSize: 1 }));
    const rest = await sesV2.send(
      new ListSuppressedDestinationsCommand({ Reasons: ["BOUNCE"], PageSize: 1000, NextToken: first.NextToken }),
    );

    // Assert
    expect(first.SuppressedDestinationSummaries).toHaveLength(1);
    expect(first.NextToken).toBeDefined();
    const all = [...first.SuppressedDestinationSummaries!, ...rest.SuppressedDestinationSummaries!];
    expect(all.map((summary) => summary.EmailAddress)).toEqual(expect.arrayContaining(bounced));
    expect(all.every((summary) => summary.Reason === "BOUNCE")).toBe(true);
  });

  it("keeps the account's suppression settings, as GetAccount shows them", async () => {
    // Act
    await sesV2.send(new PutAccountSuppressionAttributesCommand({ SuppressedReasons: ["COMPLAINT"] }));
    const changed = await sesV2.send(new GetAccountCommand({}));
    await sesV2.send(new PutAccountSuppressionAttributesCommand({ SuppressedReasons: ["BOUNCE", "COMPLAINT"] }));
    const restored = await sesV2.send(new GetAccountCommand({}));

    // Assert
    expect(changed.SuppressionAttributes?.SuppressedReasons).toEqual(["COMPLAINT"]);
    expect(restored.SuppressionAttributes?.SuppressedReasons).toEqual(["BOUNCE", "COMPLAINT"]);
  });

  it("keeps a configuration set's suppression options, as GetConfigurationSet shows them", async () => {
    // Prepare
    const name = await configurationSet(["BOUNCE"]);

    // Act
    const created = await sesV2.send(new GetConfigurationSetCommand({ ConfigurationSetName: name }));
    await sesV2.send(
      new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: name, SuppressedReasons: [] }),
    );
    const changed = await sesV2.send(new GetConfigurationSetCommand({ ConfigurationSetName: name }));
    const missing = sesV2.send(
      new PutConfigurationSetSuppressionOptionsCommand({ ConfigurationSetName: "no-such-set", SuppressedReasons: [] }),
    );

    // Assert
    expect(created.SuppressionOptions?.SuppressedReasons).toEqual(["BOUNCE"]);
    expect(changed.SuppressionOptions?.SuppressedReasons).toEqual([]);
    await expect(missing).rejects.toBeInstanceOf(NotFoundException);
  });
});

describe("sending with the suppression list", () => {
  it("lists an address that hard-bounced or complained, not one that soft-bounced or is the simulator's", async () => {
    // Prepare
    const name = await configurationSet(["BOUNCE", "COMPLAINT"]);
    const [hard, complained, soft] = [freshAddress("hard"), freshAddress("angry"), freshAddress("soft")];
    stack.ses.planEmailFate([hard], "bounced");
    stack.ses.planEmailFate([complained], "complained");
    stack.ses.planEmailFate([soft], "soft-bounced");

    // Act
    const hardMessage = await send(hard, name);
    await send(complained, name);
    await send(soft, name);
    await send("bounce@simulator.amazonses.com", name);

    // Assert
    expect(stack.ses.suppressionList.find(hard)).toMatchObject({
      Reason: "BOUNCE",
      Attributes: { MessageId: hardMessage },
    });
    expect(stack.ses.suppressionList.find(complained)).toMatchObject({ Reason: "COMPLAINT" });
    expect(stack.ses.suppressionList.find(soft)).toBeUndefined();
    expect(stack.ses.suppressionList.find("bounce@simulator.amazonses.com")).toBeUndefined();
  });

  it("accepts an email to a listed address with a message id, delivers nothing, and reports it as suppressed", async () => {
    // Prepare
    const name = await configurationSet(["BOUNCE", "COMPLAINT"]);
    const address = freshAddress("gone");
    await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: "BOUNCE" }));

    // Act
    const messageId = await send(address, name);
    const events = await eventsAbout(messageId);

    // Assert
    expect(messageId).toMatch(/^ses-\d+$/);
    expect(await stored(messageId)).toBe(false);
    expect(events.map((event) => event["detail-type"])).toEqual(["Email Sent", "Email Bounced"]);
    expect(events[1]!.detail).toMatchObject({
      eventType: "Bounce",
      bounce: {
        bounceType: "Permanent",
        bounceSubType: "OnAccountSuppressionList",
        bouncedRecipients: [{ emailAddress: address }],
      },
      mail: { messageId, tags: { "ses:configuration-set": [name] } },
    });
  });

  it("delivers to a listed address when the configuration set suppresses nothing, and lists nothing after a bounce", async () => {
    // Prepare
    const name = await configurationSet([]);
    const listed = freshAddress("listed");
    const bouncing = freshAddress("bouncing");
    await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: listed, Reason: "BOUNCE" }));
    stack.ses.planEmailFate([bouncing], "bounced");

    // Act
    const messageId = await send(listed, name);
    await send(bouncing, name);

    // Assert
    expect(await stored(messageId)).toBe(true);
    expect((await eventsAbout(messageId)).map((event) => event["detail-type"])).toEqual([
      "Email Sent",
      "Email Delivered",
    ]);
    expect(stack.ses.suppressionList.find(bouncing)).toBeUndefined();
  });

  it("follows the account's settings for an email without a configuration set", async () => {
    // Prepare
    const address = freshAddress("complained");
    await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: "COMPLAINT" }));
    await sesV2.send(new PutAccountSuppressionAttributesCommand({ SuppressedReasons: ["BOUNCE"] }));

    // Act
    const underBounceOnly = await send(address);
    await sesV2.send(new PutAccountSuppressionAttributesCommand({ SuppressedReasons: ["BOUNCE", "COMPLAINT"] }));
    const underBoth = await send(address);

    // Assert
    expect(await stored(underBounceOnly)).toBe(true);
    expect(await stored(underBoth)).toBe(false);
  });

  it("keeps the list in its file across a restart", async () => {
    // Prepare
    const address = freshAddress("kept");
    await sesV2.send(new PutSuppressedDestinationCommand({ EmailAddress: address, Reason: "BOUNCE" }));

    // Act
    const restarted = await startAwsLocal({
      region: REGION,
      ses: { suppressionListFile: join(dataDirectory, "suppression-list.json") },
    });
    const found = restarted.ses.suppressionList.find(address);
    await restarted.close();

    // Assert
    expect(found).toMatchObject({ EmailAddress: address, Reason: "BOUNCE" });
  });
});
