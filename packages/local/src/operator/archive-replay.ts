import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  ListRulesCommand,
  StartReplayCommand,
  type DescribeReplayCommandOutput,
  type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";

/** A rule name the operator gave that is not on the bus. */
export class UnknownRuleError extends Error {
  override readonly name = "UnknownRuleError";
}

/** Rule names → ARNs on the bus; an unknown name is an error that lists the names there are. */
export async function resolveRuleArns(
  eventBridge: EventBridgeClient,
  eventBusName: string,
  ruleNames: readonly string[],
): Promise<string[]> {
  const rules: { Name?: string | undefined; Arn?: string | undefined }[] = [];
  let token: string | undefined;
  do {
    const page = await eventBridge.send(
      new ListRulesCommand({ EventBusName: eventBusName, ...(token ? { NextToken: token } : {}) }),
    );
    rules.push(...(page.Rules ?? []));
    token = page.NextToken;
  } while (token);
  return ruleNames.map((name) => {
    const rule = rules.find((candidate) => candidate.Name === name || candidate.Name === `${eventBusName}-${name}`);
    if (!rule?.Arn)
      throw new UnknownRuleError(
        `no rule ${name} on bus ${eventBusName}; its rules are: ${rules.map((r) => r.Name).join(", ") || "(none)"}`,
      );
    return rule.Arn;
  });
}

export interface ReplayRequest {
  readonly eventBusName: string;
  readonly archiveName: string;
  readonly from: Date;
  readonly to: Date;
  /** Only these rules receive the replayed events; all rules of the bus when empty. */
  readonly ruleArns: readonly string[];
  readonly replayName: string;
}

/** Starts a replay of the archive's window to the bus (only to the given rules). Same calls locally and on AWS. */
export async function startArchiveReplay(
  eventBridge: EventBridgeClient,
  request: ReplayRequest,
): Promise<{ replayName: string; replayArn: string }> {
  const [archive, bus] = await Promise.all([
    eventBridge.send(new DescribeArchiveCommand({ ArchiveName: request.archiveName })),
    eventBridge.send(new DescribeEventBusCommand({ Name: request.eventBusName })),
  ]);
  const started = await eventBridge.send(
    new StartReplayCommand({
      ReplayName: request.replayName,
      Description: `payment3 replay ${request.from.toISOString()} .. ${request.to.toISOString()}${request.ruleArns.length ? ` to ${request.ruleArns.length} rule(s)` : ""}`,
      EventSourceArn: archive.ArchiveArn,
      EventStartTime: request.from,
      EventEndTime: request.to,
      Destination: { Arn: bus.Arn, ...(request.ruleArns.length ? { FilterArns: [...request.ruleArns] } : {}) },
    }),
  );
  return { replayName: request.replayName, replayArn: started.ReplayArn ?? "" };
}

const ENDED = new Set(["COMPLETED", "CANCELLED", "FAILED"]);

export interface WaitOptions {
  /** Called after every poll with how far through the window the replay is (0..1, by event time). */
  readonly onProgress?: (fraction: number, replay: DescribeReplayCommandOutput) => void;
  readonly pollMs?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Polls DescribeReplay until the replay ends; progress is the position in the window by event time (all AWS reports). */
export async function waitForReplay(
  eventBridge: EventBridgeClient,
  replayName: string,
  options: WaitOptions = {},
): Promise<DescribeReplayCommandOutput> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 3600 * 1000);
  for (;;) {
    const replay = await eventBridge.send(new DescribeReplayCommand({ ReplayName: replayName }));
    const start = replay.EventStartTime?.getTime() ?? 0;
    const end = replay.EventEndTime?.getTime() ?? 1;
    const last = replay.EventLastReplayedTime?.getTime();
    const fraction =
      replay.State === "COMPLETED"
        ? 1
        : last === undefined
          ? 0
          : Math.min(1, Math.max(0, (last - start) / Math.max(1, end - start)));
    options.onProgress?.(fraction, replay);
    if (ENDED.has(replay.State ?? "")) return replay;
    if (Date.now() > deadline)
      throw new Error(
        `replay ${replayName} still ${replay.State} after the wait limit; follow it with: aws events describe-replay --replay-name ${replayName}`,
      );
    await sleep(options.pollMs ?? 1000);
  }
}

/** `[#########...........]  45%` */
export function progressBar(fraction: number, width = 30): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}%`;
}
