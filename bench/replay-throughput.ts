import {
  CreateArchiveCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  PutRuleCommand,
  PutTargetsCommand,
  StartReplayCommand,
  type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";
import { createAwsClients, defaultResourceNames, describeError } from "@payment3/core";
import { localFunctionArn } from "@payment3/aws-local";
import type { LocalRuntime } from "@payment3/local";
import { compileEventPattern } from "../packages/aws-local/src/event-pattern/index";
import { median, roundTo } from "./statistics";

/** The rule a replay is filtered to: every OrderPaid, as a new subscriber catching up would ask for. */
const REPLAY_RULE_PATTERN = { source: ["payment3.processor"], "detail-type": ["OrderPaid"] };

/** The bus archive, as the stacks create it: every event, kept 30 days. */
export interface BusArchive {
  readonly archiveName: string;
  readonly archiveArn: string;
  /** When the bench started counting; the replay window starts here. */
  readonly createdAtMs: number;
  /** Events the bus accepted since, that the replay rule's pattern matches: what a replay should deliver. */
  readonly matchingEvents: () => number;
  /** Stops counting them. */
  readonly stopCounting: () => void;
}

export type ReplayResult =
  | {
      readonly available: true;
      readonly archiveName: string;
      /** The rule the replay is filtered to (FilterArns), and its pattern. */
      readonly rule: string;
      readonly rulePattern: Record<string, unknown>;
      readonly runs: number;
      /** Events in the archive (all in the replay window). */
      readonly archivedEvents: number;
      /** Events the rule received per replay (median over the runs). */
      readonly eventsDelivered: number;
      /** The events of the archive the rule's pattern matches: what it should receive. */
      readonly expectedDeliveries: number;
      /** From StartReplay to the last delivery, median over the runs. */
      readonly seconds: number;
      /** Delivered events per second, median over the runs. */
      readonly eventsPerSecond: number;
      /** Archived events walked per second, median over the runs. */
      readonly archivedEventsPerSecond: number;
    }
  | { readonly available: false; readonly reason: string };

function eventBridgeOf(runtime: LocalRuntime): EventBridgeClient {
  return createAwsClients({ region: runtime.config.region, endpoint: runtime.url }).eventBridge;
}

/**
 * The bus archive, as the deployed stack has one: the local runtime's own when it creates one
 * (DescribeArchive), else created here with CreateArchive. Counts from now on the events the
 * replay rule will want. Returns why not when the local EventBridge offers no archive API.
 */
export async function prepareBusArchive(runtime: LocalRuntime): Promise<BusArchive | { readonly unavailable: string }> {
  const eventBridge = eventBridgeOf(runtime);
  const archiveName = defaultResourceNames(runtime.config.stage).archiveName;
  try {
    let archiveArn: string;
    try {
      archiveArn = (await eventBridge.send(new DescribeArchiveCommand({ ArchiveName: archiveName }))).ArchiveArn!;
    } catch (error) {
      if ((error as { name?: string }).name !== "ResourceNotFoundException") throw error;
      const bus = await eventBridge.send(new DescribeEventBusCommand({ Name: runtime.config.eventBusName }));
      archiveArn = (
        await eventBridge.send(
          new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: bus.Arn!, RetentionDays: 30 }),
        )
      ).ArchiveArn!;
    }
    const pattern = compileEventPattern(REPLAY_RULE_PATTERN);
    let matching = 0;
    const stopCounting = runtime.stack.eventBridge.onEventAccepted((accepted) => {
      if (accepted.eventBusName === runtime.config.eventBusName && pattern.matches(accepted.event)) matching += 1;
    });
    return { archiveName, archiveArn, createdAtMs: Date.now(), matchingEvents: () => matching, stopCounting };
  } catch (error) {
    return {
      unavailable: `replay API not available: the bus archive could not be read or created (${describeError(error)})`,
    };
  } finally {
    eventBridge.destroy();
  }
}

/**
 * Replays the whole archive to one filtered rule (a counting no-op target added for this),
 * `runs` times, and times each from StartReplay until the last delivery: events per second
 * delivered from the archive, as `payment3 replay --rule` would run it.
 */
export async function measureReplay(
  runtime: LocalRuntime,
  archive: BusArchive,
  runs: number,
  log: (message: string) => void,
): Promise<ReplayResult> {
  const { stack, config } = runtime;
  const eventBridge = eventBridgeOf(runtime);
  const sinkName = "payment3-bench-replay-sink";
  try {
    archive.stopCounting();
    const expectedDeliveries = archive.matchingEvents();
    let delivered = 0;
    stack.functions.set(sinkName, () => {
      delivered += 1;
    });
    // Created after the live run, so only replayed events reach it.
    const rule = await eventBridge.send(
      new PutRuleCommand({
        Name: sinkName,
        EventBusName: config.eventBusName,
        EventPattern: JSON.stringify(REPLAY_RULE_PATTERN),
      }),
    );
    await eventBridge.send(
      new PutTargetsCommand({
        Rule: sinkName,
        EventBusName: config.eventBusName,
        Targets: [{ Id: "sink", Arn: localFunctionArn(sinkName, config.region) }],
      }),
    );
    const bus = await eventBridge.send(new DescribeEventBusCommand({ Name: config.eventBusName }));
    const archived = await eventBridge.send(new DescribeArchiveCommand({ ArchiveName: archive.archiveName }));

    const seconds: number[] = [];
    const deliveries: number[] = [];
    await stack.eventBridge.whenIdle();
    for (let run = 1; run <= runs; run++) {
      log(`replay: run ${run} of ${runs}, ${archived.EventCount ?? "?"} archived events to rule ${sinkName}`);
      delivered = 0;
      const replayName = `bench-replay-${Date.now()}-${run}`;
      const started = performance.now();
      await eventBridge.send(
        new StartReplayCommand({
          ReplayName: replayName,
          EventSourceArn: archive.archiveArn,
          // Event times are whole seconds: start a second early, end a second late.
          EventStartTime: new Date(archive.createdAtMs - 1000),
          EventEndTime: new Date(Date.now() + 1000),
          Destination: { Arn: bus.Arn!, FilterArns: [rule.RuleArn!] },
        }),
      );
      // Waited for in-process: polling DescribeReplay over HTTP would compete with the replay for the CPU.
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([
        stack.eventBridge.whenReplayEnded(replayName),
        new Promise<never>(
          (_, reject) =>
            (timer = setTimeout(() => reject(new Error(`replay ${replayName} did not end within 120 s`)), 120_000)),
        ),
      ]).finally(() => clearTimeout(timer));
      const state = ended.State ?? "UNKNOWN";
      const reason = ended.StateReason;
      if (state !== "COMPLETED")
        return { available: false, reason: `replay ${replayName} ended ${state}: ${reason ?? "no reason given"}` };
      await stack.eventBridge.whenIdle();
      seconds.push((performance.now() - started) / 1000);
      deliveries.push(delivered);
    }
    const medianSeconds = median(seconds);
    const archivedEvents = archived.EventCount ?? 0;
    return {
      available: true,
      archiveName: archive.archiveName,
      rule: sinkName,
      rulePattern: REPLAY_RULE_PATTERN,
      runs,
      archivedEvents,
      eventsDelivered: median(deliveries),
      expectedDeliveries,
      seconds: roundTo(medianSeconds, 3),
      eventsPerSecond: Math.round(median(deliveries.map((count, index) => count / seconds[index]!))),
      archivedEventsPerSecond: Math.round(median(seconds.map((value) => archivedEvents / value))),
    };
  } catch (error) {
    return { available: false, reason: `replay API not available: ${describeError(error)}` };
  } finally {
    stack.functions.delete(sinkName);
    eventBridge.destroy();
  }
}
