/**
 * Replay throughput of the local EventBridge: archives N events (one per second of event time, so N/60 one-minute
 * windows), then replays them over HTTP through the real SDK client to one rule chosen with FilterArns (out of three
 * rules that all match), with a no-op target. Prints deliveries per second and the longest event-loop stall during
 * the replay (the replay yields between windows and batches). Runs in memory, then with a data directory.
 *
 *   npx tsx packages/aws-local/src/eventbridge/bench-replay.ts [events=20000]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import {
  CreateArchiveCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { startLocalEndpoint } from "../http/local-endpoint";
import { createEventBridgeService } from "./eventbridge-api";
import { LocalEventBridge } from "./local-event-bridge";

const eventCount = Number(process.argv[2] ?? "20000");
const T0 = Date.parse("2026-03-01T00:00:00Z");
const BUS_ARN = "arn:aws:events:ap-southeast-1:000000000000:event-bus/default";

async function run(label: string, dataDirectory: string | undefined) {
  let deliveries = 0;
  const bridge = new LocalEventBridge({
    journalCapacity: 100,
    logger: { warn: (message) => console.warn(message) },
    targetInvoker: () => {
      deliveries += 1;
      return Promise.resolve();
    },
    ...(dataDirectory === undefined ? {} : { dataDirectory }),
  });
  const endpoint = await startLocalEndpoint({ port: 0, services: [createEventBridgeService(bridge)] });
  const client = new EventBridgeClient({
    endpoint: endpoint.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const ruleArns: string[] = [];
  for (const name of ["billing", "audit", "fulfilment"]) {
    const { RuleArn } = await client.send(
      new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ["bench.orders"] }) }),
    );
    await client.send(
      new PutTargetsCommand({
        Rule: name,
        Targets: [{ Id: "noop", Arn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}` }],
      }),
    );
    ruleArns.push(RuleArn ?? "");
  }
  const { ArchiveArn } = await client.send(new CreateArchiveCommand({ ArchiveName: "bench", EventSourceArn: BUS_ARN }));

  const archiveStarted = performance.now();
  for (let start = 0; start < eventCount; start += 10) {
    bridge.putEvents({
      Entries: Array.from({ length: Math.min(10, eventCount - start) }, (_, index) => ({
        Source: "bench.orders",
        DetailType: "OrderPaid",
        Detail: JSON.stringify({
          orderId: `o-${start + index}`,
          amount: 10 + index,
          currency: "SGD",
          items: [{ sku: "A", quantity: 1 }],
        }),
        Time: new Date(T0 + (start + index) * 1000),
      })),
    });
  }
  await bridge.whenIdle();
  bridge.flush();
  const archiveSeconds = (performance.now() - archiveStarted) / 1000;
  const deliveriesBefore = deliveries;

  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  const replayStarted = performance.now();
  await client.send(
    new StartReplayCommand({
      ReplayName: "bench-replay",
      EventSourceArn: ArchiveArn,
      EventStartTime: new Date(T0),
      EventEndTime: new Date(T0 + eventCount * 1000),
      Destination: { Arn: BUS_ARN, FilterArns: [ruleArns[0] ?? ""] },
    }),
  );
  const replay = await bridge.whenReplayEnded("bench-replay");
  await bridge.whenIdle();
  const replaySeconds = (performance.now() - replayStarted) / 1000;
  loopDelay.disable();
  const delivered = deliveries - deliveriesBefore;

  client.destroy();
  bridge.close();
  await endpoint.close();
  return {
    storage: label,
    events: eventCount,
    windows: Math.ceil(eventCount / 60),
    archivedPerSecond: Math.round(eventCount / archiveSeconds),
    replayState: replay.State,
    delivered,
    replaySeconds: replaySeconds.toFixed(3),
    deliveredPerSecond: Math.round(delivered / replaySeconds),
    maxEventLoopStallMs: (loopDelay.max / 1e6).toFixed(1),
  };
}

const directory = mkdtempSync(join(tmpdir(), "bench-replay-"));
try {
  await run("warm-up", undefined);
  const results = [await run("memory", undefined), await run("data directory", directory)];
  console.log(
    `Replay of ${eventCount} archived events to 1 of 3 matching rules (FilterArns), no-op target, Node ${process.version}`,
  );
  console.table(results);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
