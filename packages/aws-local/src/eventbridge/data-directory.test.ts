import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { DATA_FILES } from "./data-directory";
import {
  startEventBridgeHarness,
  switchableInvoker,
  waitFor,
  type EventBridgeHarness,
} from "./eventbridge-test-harness";
import { DataFileError } from "../json-files";
import { LocalEventBridge, type LocalEventBridgeOptions } from "./local-event-bridge";

const BUS = "orders-bus";
const BUS_ARN = `arn:aws:events:ap-southeast-1:000000000000:event-bus/${BUS}`;
const FUNCTION_PREFIX = "arn:aws:lambda:ap-southeast-1:000000000000:function:";
const T0 = Date.parse("2026-03-01T10:00:00Z");

const directories: string[] = [];
const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), "local-eventbridge-"));
  directories.push(directory);
  return directory;
}

async function start(dataDirectory: string, options: LocalEventBridgeOptions = {}) {
  const targets = switchableInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: targets.invoker, dataDirectory, ...options });
  harnesses.push(harness);
  return { ...harness, targets };
}

/** Closes a harness (as a process stop would) and forgets it. */
async function stop(harness: EventBridgeHarness): Promise<void> {
  harnesses.splice(harnesses.indexOf(harness), 1);
  await harness.close();
}

function order(id: string, secondsAfterT0: number): PutEventsRequestEntry {
  return {
    EventBusName: BUS,
    Source: "orders",
    DetailType: "OrderPlaced",
    Detail: JSON.stringify({ orderId: id }),
    Time: new Date(T0 + secondsAfterT0 * 1000),
  };
}

async function put(client: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<string[]> {
  const response = await client.send(new PutEventsCommand({ Entries: entries }));
  if (response.FailedEntryCount !== 0) throw new Error(`PutEvents failed: ${JSON.stringify(response)}`);
  return (response.Entries ?? []).map((entry) => entry.EventId ?? "");
}

/** A bus with rules "billing" (dead-letters at the first failure) and "audit", and an archive of every event. */
async function prepareBus(client: EventBridgeClient): Promise<void> {
  await client.send(new CreateEventBusCommand({ Name: BUS, Description: "orders" }));
  for (const name of ["billing", "audit"]) {
    await client.send(
      new PutRuleCommand({ Name: name, EventBusName: BUS, EventPattern: JSON.stringify({ source: ["orders"] }) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: name,
        EventBusName: BUS,
        Targets: [
          {
            Id: name,
            Arn: `${FUNCTION_PREFIX}${name}`,
            InputPath: "$.detail",
            RetryPolicy: { MaximumRetryAttempts: 0 },
            DeadLetterConfig: { Arn: `arn:aws:sqs:ap-southeast-1:000000000000:${name}-dlq` },
          },
        ],
      }),
    );
  }
  await client.send(
    new CreateArchiveCommand({ ArchiveName: "orders-archive", EventSourceArn: BUS_ARN, Description: "all orders" }),
  );
}

describe("a data directory", () => {
  it("keeps rules, targets, archived events, dead letters and replays across a restart, and replays after it", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const first = await start(directory);
    await prepareBus(first.client);
    first.targets.down.add("billing");
    const ids = await put(first.client, [order("o-1", 0), order("o-2", 30), order("o-3", 70)]);
    await first.bridge.whenIdle();
    const deadLetters = first.bridge.listDeadLetters();
    const archiveBefore = await first.client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));
    await stop(first);

    // Act
    const second = await start(directory);
    const rules = await second.client.send(new ListRulesCommand({ EventBusName: BUS }));
    const targets = await second.client.send(new ListTargetsByRuleCommand({ Rule: "billing", EventBusName: BUS }));
    const archiveAfter = await second.client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));
    const { ArchiveArn } = archiveAfter;
    await second.client.send(
      new StartReplayCommand({
        ReplayName: "after-restart",
        EventSourceArn: ArchiveArn,
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 60_000),
        Destination: { Arn: BUS_ARN, FilterArns: [`arn:aws:events:ap-southeast-1:000000000000:rule/${BUS}/billing`] },
      }),
    );
    await second.bridge.whenIdle();
    await stop(second);
    const third = await start(directory);
    const replay = await third.client.send(new DescribeReplayCommand({ ReplayName: "after-restart" }));

    // Assert
    expect(rules.Rules?.map((rule) => rule.Name)).toEqual(["audit", "billing"]);
    expect(targets.Targets).toEqual([
      expect.objectContaining({ Id: "billing", InputPath: "$.detail", RetryPolicy: { MaximumRetryAttempts: 0 } }),
    ]);
    expect(archiveAfter).toMatchObject({
      EventCount: 3,
      SizeBytes: archiveBefore.SizeBytes,
      Description: "all orders",
      CreationTime: archiveBefore.CreationTime,
    });
    expect(deadLetters.map((letter) => letter.event.id)).toEqual(ids);
    expect(second.bridge.listDeadLetters()).toEqual(deadLetters);
    expect(
      second.targets.delivered.map((call) => [
        call.target.targetId,
        call.context.event.id,
        call.context.event["replay-name"],
      ]),
    ).toEqual([
      ["billing", ids[0], "after-restart"],
      ["billing", ids[1], "after-restart"],
    ]);
    expect(replay).toMatchObject({ State: "COMPLETED", EventLastReplayedTime: new Date(T0 + 30_000) });
    expect(third.bridge.listDeadLetters()).toHaveLength(3);
  });

  it("does not bring back dead letters that were redriven before the restart", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const first = await start(directory);
    await prepareBus(first.client);
    first.targets.down.add("billing");
    await put(first.client, [order("o-1", 0), order("o-2", 1), order("o-3", 2)]);
    await first.bridge.whenIdle();
    first.targets.down.delete("billing");
    const [kept] = first.bridge.listDeadLetters();
    const redriven = first.bridge
      .listDeadLetters()
      .slice(1)
      .map((letter) => letter.id);
    await first.bridge.redriveDeadLetters({ ids: redriven });
    await stop(first);

    // Act
    const second = await start(directory);

    // Assert
    expect(second.bridge.listDeadLetters().map((letter) => letter.id)).toEqual([kept?.id]);
  });

  it("marks a replay that was running when the bridge stopped as FAILED", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const first = await start(directory, { replayWindowPauseMs: 60_000 });
    await prepareBus(first.client);
    await put(first.client, [order("o-1", 0), order("o-2", 70)]);
    await first.client.send(
      new StartReplayCommand({
        ReplayName: "interrupted",
        EventSourceArn: "arn:aws:events:ap-southeast-1:000000000000:archive/orders-archive",
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 3_600_000),
        Destination: { Arn: BUS_ARN },
      }),
    );
    await waitFor("the first window to be replayed", () =>
      first.bridge.getReplayProgress("interrupted").eventsReplayed === 1 ? true : undefined,
    );
    await stop(first);

    // Act
    const second = await start(directory);
    const replay = await second.client.send(new DescribeReplayCommand({ ReplayName: "interrupted" }));

    // Assert
    expect(replay).toMatchObject({
      State: "FAILED",
      StateReason: "The local EventBridge was closed while the replay was running.",
      EventLastReplayedTime: new Date(T0),
    });
  });

  it("marks a replay that was running when the process died (no close) as FAILED at the next start", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const crashed = await start(directory, { replayWindowPauseMs: 60_000 });
    await prepareBus(crashed.client);
    await put(crashed.client, [order("o-1", 0), order("o-2", 70)]);
    await crashed.client.send(
      new StartReplayCommand({
        ReplayName: "interrupted",
        EventSourceArn: "arn:aws:events:ap-southeast-1:000000000000:archive/orders-archive",
        EventStartTime: new Date(T0),
        EventEndTime: new Date(T0 + 3_600_000),
        Destination: { Arn: BUS_ARN },
      }),
    );
    await waitFor("the first window to be replayed", () =>
      crashed.bridge.getReplayProgress("interrupted").eventsReplayed === 1 ? true : undefined,
    );
    crashed.bridge.flush();

    // Act
    const restarted = await start(directory);
    const replay = await restarted.client.send(new DescribeReplayCommand({ ReplayName: "interrupted" }));

    // Assert
    expect(replay).toMatchObject({
      State: "FAILED",
      StateReason: "The local EventBridge stopped while the replay was RUNNING; start a new replay to finish it.",
    });
    expect(replay.ReplayEndTime).toBeInstanceOf(Date);
  });

  it("writes archived events as JSON Lines with their ingestion time, and rewrites the file when retention drops events", async () => {
    // Prepare
    let now = T0 + 60_000;
    const directory = temporaryDirectory();
    const { client, bridge } = await start(directory, { clock: () => new Date(now) });
    await client.send(new CreateEventBusCommand({ Name: BUS }));
    await client.send(new CreateArchiveCommand({ ArchiveName: "day", EventSourceArn: BUS_ARN, RetentionDays: 1 }));
    const ids = await put(client, [order("o-1", 0), order("o-2", 3600)]);
    bridge.flush();
    const eventsFile = join(directory, DATA_FILES.archiveEvents, "day.jsonl");
    const written = readFileSync(eventsFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);

    // Act
    now = T0 + 86_400_000 + 60_000;
    const dropped = bridge.sweepExpiredArchiveEvents();
    const afterSweep = readFileSync(eventsFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);

    // Assert
    expect(written.map((line) => [line.ingestionTime, (line.event as { id: string }).id])).toEqual([
      [new Date(T0 + 60_000).toISOString(), ids[0]],
      [new Date(T0 + 60_000).toISOString(), ids[1]],
    ]);
    expect(dropped).toBe(1);
    expect(afterSweep).toEqual([ids[1]]);
  });

  it("skips a torn last line with a warning naming the file and line, and appends cleanly after it", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const first = await start(directory);
    await prepareBus(first.client);
    first.targets.down.add("billing");
    await put(first.client, [order("o-1", 0), order("o-2", 1)]);
    await first.bridge.whenIdle();
    await stop(first);
    const eventsFile = join(directory, DATA_FILES.archiveEvents, "orders-archive.jsonl");
    const deadLettersFile = join(directory, DATA_FILES.deadLetters);
    appendFileSync(eventsFile, '{"ingestionTime": "2026-03-01T10:00:00.000Z", "sizeBytes": 12, "event": {"id": "tor');
    appendFileSync(deadLettersFile, '{"added": {"id"');

    // Act
    const second = await start(directory);
    await put(second.client, [order("o-3", 2)]);
    await stop(second);
    const third = await start(directory);
    const archive = await third.client.send(new DescribeArchiveCommand({ ArchiveName: "orders-archive" }));

    // Assert
    expect(second.warnings).toEqual(
      expect.arrayContaining([
        `Skipped line 3 of ${eventsFile}: it is not valid JSON (a partial write?).`,
        `Skipped line 3 of ${deadLettersFile}: it is not valid JSON (a partial write?).`,
      ]),
    );
    expect(archive.EventCount).toBe(3);
    expect(third.bridge.listDeadLetters()).toHaveLength(2);
    expect(third.warnings.filter((warning) => warning.startsWith("Skipped line"))).toEqual([]);
  });

  it("refuses to start on a damaged configuration file, naming it", () => {
    // Prepare
    const directory = temporaryDirectory();
    writeFileSync(join(directory, DATA_FILES.configuration), '{"formatVersion": 1, "eventBuses": [');

    // Act
    const starting = () => new LocalEventBridge({ dataDirectory: directory, logger: { warn: () => undefined } });

    // Assert
    expect(starting).toThrow(DataFileError);
    expect(starting).toThrow(`${join(directory, DATA_FILES.configuration)}: is not valid JSON`);
  });

  it("leaves no temporary files behind", async () => {
    // Prepare
    const directory = temporaryDirectory();
    const { client, bridge } = await start(directory);

    // Act
    await prepareBus(client);
    await put(client, [order("o-1", 0)]);
    await bridge.whenIdle();
    bridge.flush();

    // Assert
    expect(readdirSync(directory).sort()).toEqual([
      "archives",
      "archives.json",
      "configuration.json",
      "dead-letters.jsonl",
      "replays.json",
    ]);
    expect(readdirSync(join(directory, "archives"))).toEqual(["orders-archive.jsonl"]);
  });
});
