import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DescribeArchiveCommand,
  ListArchivesCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  UpdateArchiveCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { computeArchivedSize } from "./put-events-request";
import {
  recordingInvoker,
  rejectionOf,
  sendRawRequest,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from "./eventbridge-test-harness";
import type { LocalEventBridgeOptions } from "./local-event-bridge";

const DEFAULT_BUS_ARN = "arn:aws:events:ap-southeast-1:000000000000:event-bus/default";
const ARCHIVE_ARN_PREFIX = "arn:aws:events:ap-southeast-1:000000000000:archive/";
const T0 = Date.parse("2026-03-01T10:00:00Z");
const DAY_MS = 86_400_000;

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: LocalEventBridgeOptions = {}) {
  const harness = await startEventBridgeHarness(options);
  harnesses.push(harness);
  return harness;
}

function order(id: string, secondsAfterT0 = 0, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: "orders",
    DetailType: "OrderPlaced",
    Detail: JSON.stringify({ orderId: id }),
    Time: new Date(T0 + secondsAfterT0 * 1000),
    ...extra,
  };
}

async function put(client: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<void> {
  const response = await client.send(new PutEventsCommand({ Entries: entries }));
  if (response.FailedEntryCount !== 0) throw new Error(`PutEvents failed: ${JSON.stringify(response)}`);
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await rejectionOf(promise)) as Error;
  return { name: error.name, message: error.message };
}

describe("archive lifecycle", () => {
  it("creates, describes, lists, updates and deletes an archive with the fields AWS returns", async () => {
    // Prepare
    const created = new Date("2026-03-01T09:00:00.000Z");
    const { client } = await start({ clock: () => created });
    const pattern = JSON.stringify({ source: ["orders"] });

    // Act
    const create = await client.send(
      new CreateArchiveCommand({
        ArchiveName: "orders-archive",
        EventSourceArn: DEFAULT_BUS_ARN,
        Description: "all orders",
        EventPattern: pattern,
        RetentionDays: 7,
      }),
    );
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));
    const listed = await client.send(new ListArchivesCommand({}));
    const update = await client.send(
      new UpdateArchiveCommand({ ArchiveName: "orders-archive", Description: "orders, 30 days", RetentionDays: 30 }),
    );
    const updated = await client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));
    await client.send(new DeleteArchiveCommand({ ArchiveName: "orders-archive" }));
    const listedAfterDelete = await client.send(new ListArchivesCommand({}));

    // Assert
    expect(create).toMatchObject({
      ArchiveArn: `${ARCHIVE_ARN_PREFIX}orders-archive`,
      State: "ENABLED",
      CreationTime: created,
    });
    expect(described).toMatchObject({
      ArchiveArn: `${ARCHIVE_ARN_PREFIX}orders-archive`,
      ArchiveName: "orders-archive",
      EventSourceArn: DEFAULT_BUS_ARN,
      Description: "all orders",
      EventPattern: pattern,
      State: "ENABLED",
      RetentionDays: 7,
      SizeBytes: 0,
      EventCount: 0,
      CreationTime: created,
    });
    expect(listed.Archives).toEqual([
      {
        ArchiveName: "orders-archive",
        EventSourceArn: DEFAULT_BUS_ARN,
        State: "ENABLED",
        RetentionDays: 7,
        SizeBytes: 0,
        EventCount: 0,
        CreationTime: created,
      },
    ]);
    expect(update).toMatchObject({
      ArchiveArn: `${ARCHIVE_ARN_PREFIX}orders-archive`,
      State: "ENABLED",
      CreationTime: created,
    });
    expect(updated).toMatchObject({ Description: "orders, 30 days", RetentionDays: 30, EventPattern: pattern });
    expect(listedAfterDelete.Archives).toEqual([]);
  });

  it("defaults RetentionDays to 0 (keep forever) and omits Description and EventPattern when not given", async () => {
    // Prepare
    const { client } = await start();

    // Act
    await client.send(new CreateArchiveCommand({ ArchiveName: "everything", EventSourceArn: DEFAULT_BUS_ARN }));
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "everything" }));

    // Assert
    expect(described.RetentionDays).toBe(0);
    expect(described).not.toHaveProperty("Description");
    expect(described).not.toHaveProperty("EventPattern");
  });

  it("lists archives by name prefix, source bus and state, in pages", async () => {
    // Prepare
    const { client } = await start();
    const { EventBusArn: teamBusArn } = await client.send(new CreateEventBusCommand({ Name: "team" }));
    for (const name of ["orders-c", "orders-a", "orders-b", "payments"]) {
      await client.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: DEFAULT_BUS_ARN }));
    }
    await client.send(new CreateArchiveCommand({ ArchiveName: "team-archive", EventSourceArn: teamBusArn }));

    // Act
    const first = await client.send(new ListArchivesCommand({ NamePrefix: "orders-", Limit: 2 }));
    const second = await client.send(
      new ListArchivesCommand({ NamePrefix: "orders-", Limit: 2, NextToken: first.NextToken }),
    );
    const onTeamBus = await client.send(new ListArchivesCommand({ EventSourceArn: teamBusArn }));
    const disabled = await client.send(new ListArchivesCommand({ State: "DISABLED" }));
    const enabled = await client.send(new ListArchivesCommand({ State: "ENABLED" }));

    // Assert
    expect(first.Archives?.map((archive) => archive.ArchiveName)).toEqual(["orders-a", "orders-b"]);
    expect(second.Archives?.map((archive) => archive.ArchiveName)).toEqual(["orders-c"]);
    expect(second.NextToken).toBeUndefined();
    expect(onTeamBus.Archives?.map((archive) => archive.ArchiveName)).toEqual(["team-archive"]);
    expect(disabled.Archives).toEqual([]);
    expect(enabled.Archives).toHaveLength(5);
  });
});

describe("archive errors [semantics §6]", () => {
  it("answers AWS's errors for a duplicate, an unknown bus and an unknown archive", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: DEFAULT_BUS_ARN }));
    const ghostBusArn = "arn:aws:events:ap-southeast-1:000000000000:event-bus/ghost";

    // Act
    const errors = await Promise.all([
      errorOf(
        client.send(new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: DEFAULT_BUS_ARN })),
      ),
      errorOf(client.send(new CreateArchiveCommand({ ArchiveName: "other", EventSourceArn: ghostBusArn }))),
      errorOf(client.send(new ListArchivesCommand({ EventSourceArn: ghostBusArn }))),
      errorOf(client.send(new DescribeArchiveCommand({ ArchiveName: "missing" }))),
      errorOf(client.send(new UpdateArchiveCommand({ ArchiveName: "missing", RetentionDays: 1 }))),
      errorOf(client.send(new DeleteArchiveCommand({ ArchiveName: "missing" }))),
    ]);

    // Assert
    expect(errors).toEqual([
      { name: "ResourceAlreadyExistsException", message: "Archive orders-archive already exists." },
      { name: "ResourceNotFoundException", message: "Event bus ghost does not exist." },
      { name: "ResourceNotFoundException", message: "Event bus ghost does not exist." },
      { name: "ResourceNotFoundException", message: "Archive missing does not exist." },
      { name: "ResourceNotFoundException", message: "Archive missing does not exist." },
      { name: "ResourceNotFoundException", message: "Archive missing does not exist." },
    ]);
  });

  it("rejects an UpdateArchive that changes nothing", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: DEFAULT_BUS_ARN }));

    // Act
    const error = await errorOf(client.send(new UpdateArchiveCommand({ ArchiveName: "orders-archive" })));

    // Assert
    expect(error).toEqual({
      name: "ValidationException",
      message: "At least one of EventPattern, RetentionDays or Description must be provided.",
    });
  });

  it("rejects an invalid pattern on create and update with InvalidEventPatternException", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: DEFAULT_BUS_ARN }));

    // Act
    const [onCreate, onUpdate] = await Promise.all([
      errorOf(
        client.send(
          new CreateArchiveCommand({
            ArchiveName: "bad",
            EventSourceArn: DEFAULT_BUS_ARN,
            EventPattern: '{"source": "orders"}',
          }),
        ),
      ),
      errorOf(client.send(new UpdateArchiveCommand({ ArchiveName: "orders-archive", EventPattern: "[1]" }))),
    ]);

    // Assert
    expect(onCreate.name).toBe("InvalidEventPatternException");
    expect(onCreate.message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect(onUpdate).toEqual({
      name: "InvalidEventPatternException",
      message:
        'Event pattern is not valid. Reason: Filter is not an object\n at [Source: (String)"[1]"; line: 1, column: 2]',
    });
  });

  it.each([
    [
      "a name over 48 characters",
      { ArchiveName: "a".repeat(49) },
      `Value '${"a".repeat(49)}' at 'archiveName' failed to satisfy constraint: Member must have length less than or equal to 48`,
    ],
    [
      "a name with a space",
      { ArchiveName: "my archive" },
      "Value 'my archive' at 'archiveName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    ],
    [
      "a description over 512 characters",
      { Description: "d".repeat(513) },
      "at 'description' failed to satisfy constraint: Member must have length less than or equal to 512",
    ],
    [
      "a pattern over 4096 characters",
      { EventPattern: JSON.stringify({ source: ["x".repeat(4100)] }) },
      "at 'eventPattern' failed to satisfy constraint: Member must have length less than or equal to 4096",
    ],
    [
      "negative RetentionDays",
      { RetentionDays: -1 },
      "Value '-1' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0",
    ],
  ])("rejects %s with ValidationException", async (_case, override, expected) => {
    // Prepare
    const { client } = await start();

    // Act
    const error = await errorOf(
      client.send(
        new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: DEFAULT_BUS_ARN, ...override }),
      ),
    );

    // Assert
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain(expected);
  });

  it("answers a request without the required members with AWS's null-constraint message", async () => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "CreateArchive", "{}");

    // Assert
    expect(response).toEqual({
      status: 400,
      body: {
        __type: "ValidationException",
        message:
          "2 validation errors detected: Value null at 'archiveName' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'eventSourceArn' failed to satisfy constraint: Member must not be null",
      },
    });
  });
});

describe("archiving events", () => {
  it("archives only the events of its bus that match its pattern, with exact EventCount and SizeBytes", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: "other" }));
    await client.send(
      new CreateArchiveCommand({
        ArchiveName: "orders-archive",
        EventSourceArn: DEFAULT_BUS_ARN,
        EventPattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }),
      }),
    );
    const matching = [order("o-1"), order("o-2", 1, { Resources: ["arn:aws:s3:::bucket"] })];

    // Act
    await put(client, [
      ...matching,
      order("o-3", 2, { DetailType: "OrderCancelled" }),
      order("o-4", 3, { EventBusName: "other" }),
    ]);
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));

    // Assert
    expect(described.EventCount).toBe(2);
    expect(described.SizeBytes).toBe(matching.reduce((sum, entry) => sum + computeArchivedSize(entry), 0));
  });

  it("archives every event of its bus when it has no pattern, keeping the original envelope", async () => {
    // Prepare
    const recorder = recordingInvoker();
    const { client, bridge } = await start({ targetInvoker: recorder.invoker });
    await client.send(
      new PutRuleCommand({ Name: "all", EventPattern: JSON.stringify({ source: ["orders", "payments"] }) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: "all",
        Targets: [{ Id: "t", Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:t" }],
      }),
    );
    const { ArchiveArn } = await client.send(
      new CreateArchiveCommand({ ArchiveName: "everything", EventSourceArn: DEFAULT_BUS_ARN }),
    );
    await put(client, [order("o-1"), order("p-1", 5, { Source: "payments", Resources: ["arn:aws:s3:::receipts"] })]);
    await bridge.whenIdle();
    const originals = bridge.listAcceptedEvents().map((accepted) => accepted.event);
    recorder.calls.length = 0;

    // Act
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "everything" }));
    await client.send(
      new StartReplayCommand({
        ReplayName: "peek",
        EventSourceArn: ArchiveArn,
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 60_000),
        Destination: { Arn: DEFAULT_BUS_ARN },
      }),
    );
    await bridge.whenIdle();

    // Assert
    expect(described.EventCount).toBe(2);
    expect(recorder.calls.map((call) => JSON.stringify(call.input))).toEqual(
      originals.map((event) =>
        JSON.stringify({
          version: event.version,
          id: event.id,
          "detail-type": event["detail-type"],
          source: event.source,
          account: event.account,
          time: event.time,
          region: event.region,
          "replay-name": "peek",
          resources: event.resources,
          detail: event.detail,
        }),
      ),
    );
  });

  it("does not archive replayed events", async () => {
    // Prepare
    const { client, bridge } = await start();
    await client.send(new PutRuleCommand({ Name: "orders", EventPattern: JSON.stringify({ source: ["orders"] }) }));
    const { ArchiveArn } = await client.send(
      new CreateArchiveCommand({ ArchiveName: "everything", EventSourceArn: DEFAULT_BUS_ARN }),
    );
    await put(client, [order("o-1"), order("o-2", 1)]);

    // Act
    await client.send(
      new StartReplayCommand({
        ReplayName: "again",
        EventSourceArn: ArchiveArn,
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 60_000),
        Destination: { Arn: DEFAULT_BUS_ARN },
      }),
    );
    await bridge.whenIdle();
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "everything" }));

    // Assert
    expect(bridge.getReplayProgress("again").eventsReplayed).toBe(2);
    expect(described.EventCount).toBe(2);
  });

  it("applies an updated pattern to events from then on", async () => {
    // Prepare
    const { client } = await start();
    await client.send(
      new CreateArchiveCommand({
        ArchiveName: "a",
        EventSourceArn: DEFAULT_BUS_ARN,
        EventPattern: JSON.stringify({ source: ["orders"] }),
      }),
    );
    await put(client, [order("o-1")]);

    // Act
    await client.send(
      new UpdateArchiveCommand({ ArchiveName: "a", EventPattern: JSON.stringify({ source: ["payments"] }) }),
    );
    await put(client, [order("o-2", 1), order("p-1", 2, { Source: "payments" })]);
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "a" }));

    // Assert
    expect(described.EventCount).toBe(2);
  });
});

describe("retention (counted from the event time)", () => {
  it("drops events once they are older than RetentionDays, before describing and on the sweep", async () => {
    // Prepare
    let now = T0 + 60_000;
    const { client, bridge } = await start({ clock: () => new Date(now) });
    await client.send(
      new CreateArchiveCommand({ ArchiveName: "week", EventSourceArn: DEFAULT_BUS_ARN, RetentionDays: 7 }),
    );
    await client.send(
      new CreateArchiveCommand({ ArchiveName: "day", EventSourceArn: DEFAULT_BUS_ARN, RetentionDays: 1 }),
    );
    await put(client, [order("o-1"), order("o-2", 30)]);

    // Act
    now = T0 + 2 * DAY_MS;
    const day = await client.send(new DescribeArchiveCommand({ ArchiveName: "day" }));
    const swept = bridge.sweepExpiredArchiveEvents();
    now = T0 + 7 * DAY_MS + 15_000;
    const sweptLater = bridge.sweepExpiredArchiveEvents();
    const week = await client.send(new DescribeArchiveCommand({ ArchiveName: "week" }));

    // Assert
    expect(day).toMatchObject({ EventCount: 0, SizeBytes: 0 });
    expect(swept).toBe(0);
    expect(sweptLater).toBe(1);
    expect(week.EventCount).toBe(1);
  });

  it("does not archive an event whose time is already older than the retention", async () => {
    // Prepare
    const { client } = await start({ clock: () => new Date(T0 + 3 * DAY_MS) });
    await client.send(
      new CreateArchiveCommand({ ArchiveName: "day", EventSourceArn: DEFAULT_BUS_ARN, RetentionDays: 1 }),
    );

    // Act
    await put(client, [order("old"), order("new", 2 * 86_400 + 60)]);
    const described = await client.send(new DescribeArchiveCommand({ ArchiveName: "day" }));

    // Assert
    expect(described.EventCount).toBe(1);
  });
});
