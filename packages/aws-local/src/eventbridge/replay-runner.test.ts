import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeReplayCommand,
  DisableRuleCommand,
  ListReplaysCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
  type StartReplayCommandInput,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import {
  rejectionOf,
  sendRawRequest,
  startEventBridgeHarness,
  switchableInvoker,
  waitFor,
  type EventBridgeHarness,
} from "./eventbridge-test-harness";
import type { LocalEventBridgeOptions } from "./local-event-bridge";
import { DEFAULT_REPLAY_START_DELAY_MS, type ReplayProgress } from "./replay-runner";

const ACCOUNT_PREFIX = "arn:aws:events:ap-southeast-1:000000000000";
const DEFAULT_BUS_ARN = `${ACCOUNT_PREFIX}:event-bus/default`;
const FUNCTION_PREFIX = "arn:aws:lambda:ap-southeast-1:000000000000:function:";
const T0 = Date.parse("2026-03-01T10:00:00Z");

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: LocalEventBridgeOptions = {}) {
  const targets = switchableInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: targets.invoker, ...options });
  harnesses.push(harness);
  return { ...harness, targets };
}

function order(id: string, secondsAfterT0: number, extra: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    Source: "orders",
    DetailType: "OrderPlaced",
    Detail: JSON.stringify({ orderId: id }),
    Time: new Date(T0 + secondsAfterT0 * 1000),
    ...extra,
  };
}

async function put(client: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<string[]> {
  const response = await client.send(new PutEventsCommand({ Entries: entries }));
  const ids = (response.Entries ?? []).map((entry) => entry.EventId);
  if (response.FailedEntryCount !== 0 || ids.some((id) => id === undefined))
    throw new Error(`PutEvents failed: ${JSON.stringify(response)}`);
  return ids as string[];
}

/** A rule on `bus` matching orders, with one target whose Id is the rule name. */
async function subscribe(
  client: EventBridgeClient,
  name: string,
  options: { bus?: string; pattern?: object; deadLetter?: boolean } = {},
): Promise<string> {
  const { RuleArn } = await client.send(
    new PutRuleCommand({
      Name: name,
      EventBusName: options.bus,
      EventPattern: JSON.stringify(options.pattern ?? { source: ["orders"] }),
    }),
  );
  await client.send(
    new PutTargetsCommand({
      Rule: name,
      EventBusName: options.bus,
      Targets: [
        {
          Id: name,
          Arn: `${FUNCTION_PREFIX}${name}`,
          ...(options.deadLetter
            ? {
                RetryPolicy: { MaximumRetryAttempts: 0 },
                DeadLetterConfig: { Arn: `arn:aws:sqs:ap-southeast-1:000000000000:${name}-dlq` },
              }
            : {}),
        },
      ],
    }),
  );
  if (!RuleArn) throw new Error("PutRule returned no RuleArn");
  return RuleArn;
}

async function createArchive(
  client: EventBridgeClient,
  busArn = DEFAULT_BUS_ARN,
  name = "orders-archive",
): Promise<string> {
  const { ArchiveArn } = await client.send(new CreateArchiveCommand({ ArchiveName: name, EventSourceArn: busArn }));
  if (!ArchiveArn) throw new Error("CreateArchive returned no ArchiveArn");
  return ArchiveArn;
}

function replayInput(archiveArn: string, extra: Partial<StartReplayCommandInput> = {}): StartReplayCommandInput {
  return {
    ReplayName: "replay-1",
    EventSourceArn: archiveArn,
    EventStartTime: new Date(T0),
    EventEndTime: new Date(T0 + 3_600_000),
    Destination: { Arn: DEFAULT_BUS_ARN },
    ...extra,
  };
}

function eventIdsDeliveredTo(targets: ReturnType<typeof switchableInvoker>, targetId: string): string[] {
  return targets.delivered.filter((call) => call.target.targetId === targetId).map((call) => call.context.event.id);
}

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  const error = (await rejectionOf(promise)) as Error;
  return { name: error.name, message: error.message };
}

describe("replaying to rules", () => {
  it("with FilterArns reaches only the chosen rule's target, with replay-name after region and the original id", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    const billingArn = await subscribe(client, "billing");
    await subscribe(client, "audit");
    const archiveArn = await createArchive(client);
    const ids = await put(client, [order("o-1", 0), order("o-2", 10)]);
    await bridge.whenIdle();
    targets.delivered.length = 0;

    // Act
    const started = await client.send(
      new StartReplayCommand(
        replayInput(archiveArn, { Destination: { Arn: DEFAULT_BUS_ARN, FilterArns: [billingArn] } }),
      ),
    );
    await bridge.whenIdle();

    // Assert
    expect(started).toMatchObject({ ReplayArn: `${ACCOUNT_PREFIX}:replay/replay-1`, State: "STARTING" });
    expect(started.ReplayStartTime).toBeInstanceOf(Date);
    expect(targets.delivered.map((call) => call.target.targetId)).toEqual(["billing", "billing"]);
    expect(targets.delivered.map((call) => call.context.event.id)).toEqual(ids);
    const replayed = targets.delivered[0]?.input as Record<string, unknown>;
    expect(Object.keys(replayed)).toEqual([
      "version",
      "id",
      "detail-type",
      "source",
      "account",
      "time",
      "region",
      "replay-name",
      "resources",
      "detail",
    ]);
    expect(replayed["replay-name"]).toBe("replay-1");
  });

  it("without FilterArns reaches every enabled matching rule, and rules excluding replay-name opt out", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    await subscribe(client, "billing");
    await subscribe(client, "audit");
    await subscribe(client, "live-only", { pattern: { source: ["orders"], "replay-name": [{ exists: false }] } });
    await subscribe(client, "paused");
    await subscribe(client, "payments", { pattern: { source: ["payments"] } });
    const archiveArn = await createArchive(client);
    await put(client, [order("o-1", 0)]);
    await bridge.whenIdle();
    await client.send(new DisableRuleCommand({ Name: "paused" }));
    targets.delivered.length = 0;

    // Act
    await client.send(new StartReplayCommand(replayInput(archiveArn)));
    await bridge.whenIdle();

    // Assert
    expect(targets.delivered.map((call) => call.target.targetId).sort()).toEqual(["audit", "billing"]);
  });

  it("replays exactly the events with EventStartTime <= time < EventEndTime, in event-time order", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    await subscribe(client, "billing");
    const archiveArn = await createArchive(client);
    await put(client, [
      order("at+180", 180),
      order("at+60", 60),
      order("at+29", 29),
      order("at+30", 30),
      order("at+119", 119),
      order("at+120", 120),
    ]);
    await bridge.whenIdle();
    targets.delivered.length = 0;

    // Act
    await client.send(
      new StartReplayCommand(
        replayInput(archiveArn, { EventStartTime: new Date(T0 + 30_000), EventEndTime: new Date(T0 + 120_000) }),
      ),
    );
    await bridge.whenIdle();
    const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-1" }));

    // Assert
    expect(targets.delivered.map((call) => (call.context.event.detail as { orderId: string }).orderId)).toEqual([
      "at+30",
      "at+60",
      "at+119",
    ]);
    expect(described.EventLastReplayedTime).toEqual(new Date(T0 + 119_000));
  });

  it("describes a completed replay with every field and lists it", async () => {
    // Prepare
    const replayStarted = new Date("2026-03-05T00:00:00.000Z");
    const { client, bridge } = await start({ clock: () => replayStarted });
    const billingArn = await subscribe(client, "billing");
    const archiveArn = await createArchive(client);
    await put(client, [order("o-1", 0), order("o-2", 75)]);
    await client.send(
      new StartReplayCommand(
        replayInput(archiveArn, {
          Description: "refill billing",
          Destination: { Arn: DEFAULT_BUS_ARN, FilterArns: [billingArn] },
        }),
      ),
    );
    await bridge.whenIdle();

    // Act
    const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-1" }));
    const listed = await client.send(new ListReplaysCommand({}));

    // Assert
    expect(described).toMatchObject({
      ReplayName: "replay-1",
      ReplayArn: `${ACCOUNT_PREFIX}:replay/replay-1`,
      Description: "refill billing",
      State: "COMPLETED",
      EventSourceArn: archiveArn,
      Destination: { Arn: DEFAULT_BUS_ARN, FilterArns: [billingArn] },
      EventStartTime: new Date(T0),
      EventEndTime: new Date(T0 + 3_600_000),
      EventLastReplayedTime: new Date(T0 + 75_000),
      ReplayStartTime: replayStarted,
      ReplayEndTime: replayStarted,
    });
    expect(described.StateReason).toBeUndefined();
    expect(listed.Replays).toEqual([
      {
        ReplayName: "replay-1",
        EventSourceArn: archiveArn,
        State: "COMPLETED",
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 3_600_000),
        EventLastReplayedTime: new Date(T0 + 75_000),
        ReplayStartTime: replayStarted,
        ReplayEndTime: replayStarted,
      },
    ]);
  });

  it("reports progress per batch up to events replayed = events in the window", async () => {
    // Prepare
    const { client, bridge } = await start({ replayBatchSize: 2 });
    await subscribe(client, "billing");
    const archiveArn = await createArchive(client);
    await put(client, [order("o-1", 0), order("o-2", 1), order("o-3", 2), order("o-4", 3), order("o-5", 4)]);
    const progress: ReplayProgress[] = [];
    bridge.onReplayProgress((update) => progress.push(update));

    // Act
    await client.send(new StartReplayCommand(replayInput(archiveArn)));
    const ended = await bridge.whenReplayEnded("replay-1");

    // Assert
    expect(ended.State).toBe("COMPLETED");
    expect(progress.map((update) => [update.state, update.eventsReplayed, update.eventsTotal])).toEqual([
      ["RUNNING", 0, 0],
      ["RUNNING", 0, 5],
      ["RUNNING", 2, 5],
      ["RUNNING", 4, 5],
      ["COMPLETED", 5, 5],
    ]);
    expect(bridge.getReplayProgress("replay-1")).toMatchObject({
      state: "COMPLETED",
      eventsReplayed: 5,
      eventsTotal: 5,
    });
  });
});

describe("replay states", () => {
  it("goes STARTING → RUNNING, and CancelReplay makes it CANCELLING then CANCELLED before the next window", async () => {
    // Prepare
    const { client, bridge, targets } = await start({ replayWindowPauseMs: 60_000 });
    await subscribe(client, "billing");
    const archiveArn = await createArchive(client);
    await put(client, [order("first-window", 10), order("second-window", 70)]);
    await bridge.whenIdle();
    targets.delivered.length = 0;
    const started = await client.send(new StartReplayCommand(replayInput(archiveArn)));
    const running = await waitFor("the first window to be replayed", async () => {
      const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-1" }));
      return described.EventLastReplayedTime ? described : undefined;
    });

    // Act
    const cancelled = await client.send(new CancelReplayCommand({ ReplayName: "replay-1" }));
    await bridge.whenIdle();
    const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-1" }));
    const cancelAgain = await errorOf(client.send(new CancelReplayCommand({ ReplayName: "replay-1" })));

    // Assert
    expect(started.State).toBe("STARTING");
    expect(running.State).toBe("RUNNING");
    expect(cancelled).toMatchObject({ ReplayArn: `${ACCOUNT_PREFIX}:replay/replay-1`, State: "CANCELLING" });
    expect(described.State).toBe("CANCELLED");
    expect(described.ReplayEndTime).toBeInstanceOf(Date);
    expect(targets.delivered.map((call) => (call.context.event.detail as { orderId: string }).orderId)).toEqual([
      "first-window",
    ]);
    expect(cancelAgain).toEqual({
      name: "IllegalStatusException",
      message: "Replay replay-1 is not in a valid state for this operation.",
    });
  });

  it("stays STARTING for the start delay, so CancelReplay right after StartReplay answers CANCELLING, then CANCELLED", async () => {
    // Prepare
    const { client, bridge, targets } = await start({ replayStartDelayMs: DEFAULT_REPLAY_START_DELAY_MS });
    await subscribe(client, "billing");
    const archiveArn = await createArchive(client);
    await put(client, [order("only-window", 10)]);
    await bridge.whenIdle();
    targets.delivered.length = 0;
    await client.send(new StartReplayCommand(replayInput(archiveArn)));

    // Act
    const cancelled = await client.send(new CancelReplayCommand({ ReplayName: "replay-1" }));
    const ended = await bridge.whenReplayEnded("replay-1");

    // Assert
    expect(cancelled.State).toBe("CANCELLING");
    expect(ended.State).toBe("CANCELLED");
    expect(targets.delivered).toEqual([]);
  });

  it("cannot cancel a completed replay", async () => {
    // Prepare
    const { client, bridge } = await start();
    const archiveArn = await createArchive(client);
    await client.send(new StartReplayCommand(replayInput(archiveArn)));
    await bridge.whenIdle();

    // Act
    const error = await errorOf(client.send(new CancelReplayCommand({ ReplayName: "replay-1" })));

    // Assert
    expect(error.name).toBe("IllegalStatusException");
  });

  it("FAILS with a StateReason when its bus is deleted while it runs", async () => {
    // Prepare
    const { client, bridge } = await start({ replayWindowPauseMs: 60_000 });
    const { EventBusArn } = await client.send(new CreateEventBusCommand({ Name: "orders-bus" }));
    if (!EventBusArn) throw new Error("CreateEventBus returned no ARN");
    const archiveArn = await createArchive(client, EventBusArn);
    await put(client, [
      order("o-1", 10, { EventBusName: "orders-bus" }),
      order("o-2", 70, { EventBusName: "orders-bus" }),
    ]);
    await client.send(new StartReplayCommand(replayInput(archiveArn, { Destination: { Arn: EventBusArn } })));
    await waitFor("the first window to be replayed", () =>
      bridge.getReplayProgress("replay-1").eventsReplayed === 1 ? true : undefined,
    );

    // Act
    await client.send(new DeleteEventBusCommand({ Name: "orders-bus" }));
    await bridge.whenIdle();
    const described = await client.send(new DescribeReplayCommand({ ReplayName: "replay-1" }));

    // Assert
    expect(described).toMatchObject({
      State: "FAILED",
      StateReason: "Event bus orders-bus was deleted while the replay was running.",
    });
  });

  it("lists replays by name prefix, state and archive, in pages", async () => {
    // Prepare
    const { client, bridge } = await start();
    const ordersArchive = await createArchive(client);
    const otherArchive = await createArchive(client, DEFAULT_BUS_ARN, "other-archive");
    for (const name of ["nightly-c", "nightly-a", "nightly-b"])
      await client.send(new StartReplayCommand(replayInput(ordersArchive, { ReplayName: name })));
    await client.send(new StartReplayCommand(replayInput(otherArchive, { ReplayName: "adhoc" })));
    await bridge.whenIdle();

    // Act
    const first = await client.send(new ListReplaysCommand({ NamePrefix: "nightly-", Limit: 2 }));
    const second = await client.send(
      new ListReplaysCommand({ NamePrefix: "nightly-", Limit: 2, NextToken: first.NextToken }),
    );
    const fromOther = await client.send(new ListReplaysCommand({ EventSourceArn: otherArchive }));
    const running = await client.send(new ListReplaysCommand({ State: "RUNNING" }));
    const completed = await client.send(new ListReplaysCommand({ State: "COMPLETED" }));

    // Assert
    expect(first.Replays?.map((replay) => replay.ReplayName)).toEqual(["nightly-a", "nightly-b"]);
    expect(second.Replays?.map((replay) => replay.ReplayName)).toEqual(["nightly-c"]);
    expect(fromOther.Replays?.map((replay) => replay.ReplayName)).toEqual(["adhoc"]);
    expect(running.Replays).toEqual([]);
    expect(completed.Replays).toHaveLength(4);
  });
});

describe("replay errors [semantics §7]", () => {
  it("answers AWS's errors for an unknown archive, a bad window, a duplicate and an unknown replay", async () => {
    // Prepare
    const { client, bridge } = await start();
    const archiveArn = await createArchive(client);
    await client.send(new StartReplayCommand(replayInput(archiveArn)));
    await bridge.whenIdle();

    // Act
    const errors = await Promise.all([
      errorOf(
        client.send(new StartReplayCommand(replayInput(`${ACCOUNT_PREFIX}:archive/ghost`, { ReplayName: "r2" }))),
      ),
      errorOf(
        client.send(new StartReplayCommand(replayInput(archiveArn, { ReplayName: "r3", EventEndTime: new Date(T0) }))),
      ),
      errorOf(
        client.send(
          new StartReplayCommand(replayInput(archiveArn, { ReplayName: "r4", EventEndTime: new Date(T0 - 1000) })),
        ),
      ),
      errorOf(client.send(new StartReplayCommand(replayInput(archiveArn)))),
      errorOf(client.send(new DescribeReplayCommand({ ReplayName: "ghost" }))),
      errorOf(client.send(new CancelReplayCommand({ ReplayName: "ghost" }))),
    ]);

    // Assert
    expect(errors).toEqual([
      {
        name: "ValidationException",
        message: "Parameter EventSourceArn is not valid. Reason: Archive ghost does not exist.",
      },
      {
        name: "ValidationException",
        message: "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
      },
      {
        name: "ValidationException",
        message: "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
      },
      { name: "ResourceAlreadyExistsException", message: "Replay replay-1 already exists." },
      { name: "ResourceNotFoundException", message: "Replay ghost does not exist." },
      { name: "ResourceNotFoundException", message: "Replay ghost does not exist." },
    ]);
  });

  it("rejects a destination other than the archive's bus, an unknown bus and an unknown FilterArns rule", async () => {
    // Prepare
    const { client } = await start();
    const { EventBusArn: otherBusArn } = await client.send(new CreateEventBusCommand({ Name: "other" }));
    const otherRuleArn = await subscribe(client, "elsewhere", { bus: "other" });
    const archiveArn = await createArchive(client);
    const ghostRuleArn = `${ACCOUNT_PREFIX}:rule/ghost`;

    // Act
    const errors = await Promise.all([
      errorOf(client.send(new StartReplayCommand(replayInput(archiveArn, { Destination: { Arn: otherBusArn } })))),
      errorOf(
        client.send(
          new StartReplayCommand(
            replayInput(archiveArn, { Destination: { Arn: `${ACCOUNT_PREFIX}:event-bus/ghost` } }),
          ),
        ),
      ),
      errorOf(
        client.send(
          new StartReplayCommand(
            replayInput(archiveArn, {
              Destination: { Arn: DEFAULT_BUS_ARN, FilterArns: [ghostRuleArn, otherRuleArn] },
            }),
          ),
        ),
      ),
    ]);

    // Assert
    expect(errors).toEqual([
      {
        name: "ValidationException",
        message: "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
      },
      { name: "ResourceNotFoundException", message: "Event bus ghost does not exist." },
      {
        name: "ValidationException",
        message: `Parameter Destination.FilterArns is not valid. Reason: Rule ${ghostRuleArn}, ${otherRuleArn} does not exist on event bus default.`,
      },
    ]);
  });

  it("allows at most 10 active replays (LimitExceededException)", async () => {
    // Prepare
    const { client, bridge } = await start({ replayWindowPauseMs: 60_000 });
    const archiveArn = await createArchive(client);
    await put(client, [order("o-1", 0), order("o-2", 60)]);
    for (let index = 0; index < 10; index += 1)
      await client.send(new StartReplayCommand(replayInput(archiveArn, { ReplayName: `r${index}` })));

    // Act
    const eleventh = await errorOf(client.send(new StartReplayCommand(replayInput(archiveArn, { ReplayName: "r10" }))));
    await client.send(new CancelReplayCommand({ ReplayName: "r0" }));
    await bridge.whenReplayEnded("r0");
    const afterCancel = await client.send(new StartReplayCommand(replayInput(archiveArn, { ReplayName: "r10" })));

    // Assert
    expect(eleventh).toEqual({
      name: "LimitExceededException",
      message: "The requested resource exceeds the maximum number allowed.",
    });
    expect(afterCancel.State).toBe("STARTING");
  });

  it("rejects a window that lies entirely before the archive's retention", async () => {
    // Prepare
    const { client } = await start({ clock: () => new Date(T0 + 10 * 86_400_000) });
    const { ArchiveArn } = await client.send(
      new CreateArchiveCommand({ ArchiveName: "week", EventSourceArn: DEFAULT_BUS_ARN, RetentionDays: 7 }),
    );
    if (!ArchiveArn) throw new Error("CreateArchive returned no ArchiveArn");

    // Act
    const error = await errorOf(client.send(new StartReplayCommand(replayInput(ArchiveArn))));

    // Assert
    expect(error.name).toBe("ValidationException");
    expect(error.message).toBe(
      "Parameter EventEndTime is not valid. Reason: The replay window ends at 2026-03-01T11:00:00.000Z, but archive " +
        "week keeps events for 7 days (event time), so it holds nothing before 2026-03-04T10:00:00.000Z. Choose a window that ends after that.",
    );
  });

  it.each([
    [
      "a name over 64 characters",
      { ReplayName: "r".repeat(65) },
      "at 'replayName' failed to satisfy constraint: Member must have length less than or equal to 64",
    ],
    [
      "a name with a slash",
      { ReplayName: "a/b" },
      "Value 'a/b' at 'replayName' failed to satisfy constraint: Member must satisfy regular expression pattern",
    ],
    [
      "a description over 512 characters",
      { Description: "d".repeat(513) },
      "at 'description' failed to satisfy constraint: Member must have length less than or equal to 512",
    ],
  ])("rejects %s with ValidationException", async (_case, override, expected) => {
    // Prepare
    const { client } = await start();
    const archiveArn = await createArchive(client);

    // Act
    const error = await errorOf(client.send(new StartReplayCommand(replayInput(archiveArn, override))));

    // Assert
    expect(error.name).toBe("ValidationException");
    expect(error.message).toContain(expected);
  });

  it("answers a StartReplay without its required members with the null-constraint message", async () => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "StartReplay", '{"ReplayName": "r"}');

    // Assert
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      __type: "ValidationException",
      message:
        "4 validation errors detected: Value null at 'eventSourceArn' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'eventStartTime' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'eventEndTime' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'destination' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe("recovering from a target outage with a filtered replay", () => {
  it("fills exactly the deliveries the failed target missed, and no other target receives anything", async () => {
    // Prepare
    const { client, bridge, targets } = await start();
    const billingArn = await subscribe(client, "billing", { deadLetter: true });
    await subscribe(client, "audit");
    await subscribe(client, "fulfilment");
    const archiveArn = await createArchive(client);
    const before = await put(client, [order("o-1", 0), order("o-2", 30)]);
    await bridge.whenIdle();
    targets.down.add("billing");
    const duringOutage = await put(client, [order("o-3", 60), order("o-4", 90), order("o-5", 119)]);
    await bridge.whenIdle();
    targets.down.delete("billing");
    const after = await put(client, [order("o-6", 150)]);
    await bridge.whenIdle();
    const deliveredBeforeReplay = targets.delivered.length;
    const deadLettered = bridge.listDeadLetters({ targetId: "billing" }).map((letter) => letter.event.id);

    // Act
    await client.send(
      new StartReplayCommand(
        replayInput(archiveArn, {
          ReplayName: "billing-outage",
          EventStartTime: new Date(T0 + 60_000),
          EventEndTime: new Date(T0 + 120_000),
          Destination: { Arn: DEFAULT_BUS_ARN, FilterArns: [billingArn] },
        }),
      ),
    );
    await bridge.whenIdle();

    // Assert
    expect(deadLettered).toEqual(duringOutage);
    expect(eventIdsDeliveredTo(targets, "billing")).toEqual([...before, ...after, ...duringOutage]);
    expect(targets.delivered.slice(deliveredBeforeReplay).every((call) => call.target.targetId === "billing")).toBe(
      true,
    );
    expect(eventIdsDeliveredTo(targets, "audit")).toEqual([...before, ...duringOutage, ...after]);
    expect(eventIdsDeliveredTo(targets, "fulfilment")).toEqual([...before, ...duringOutage, ...after]);
  });
});
