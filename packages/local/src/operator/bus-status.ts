import {
  DescribeEventBusCommand,
  ListArchivesCommand,
  ListReplaysCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  type EventBridgeClient,
} from "@aws-sdk/client-eventbridge";

export interface BusStatus {
  readonly bus: { readonly name: string; readonly arn: string };
  readonly rules: readonly {
    readonly name: string;
    readonly state: string;
    readonly eventPattern: string;
    readonly targets: readonly {
      readonly id: string;
      readonly arn: string;
      readonly maximumRetryAttempts: number | null;
      readonly deadLetterQueue: string | null;
    }[];
  }[];
  readonly archives: readonly {
    readonly name: string;
    readonly state: string;
    readonly eventCount: number;
    readonly sizeBytes: number;
    readonly retentionDays: number;
  }[];
  readonly replays: readonly {
    readonly name: string;
    readonly state: string;
    readonly from: string | null;
    readonly to: string | null;
  }[];
}

/** The bus, its rules with their targets, its archives and replays, through the EventBridge API (local or AWS alike). */
export async function readBusStatus(eventBridge: EventBridgeClient, eventBusName: string): Promise<BusStatus> {
  const bus = await eventBridge.send(new DescribeEventBusCommand({ Name: eventBusName }));
  const rules = (await eventBridge.send(new ListRulesCommand({ EventBusName: eventBusName, Limit: 100 }))).Rules ?? [];
  const withTargets = await Promise.all(
    rules.map(async (rule) => {
      const targets =
        (await eventBridge.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: eventBusName })))
          .Targets ?? [];
      return {
        name: rule.Name ?? "",
        state: rule.State ?? "",
        eventPattern: rule.EventPattern ?? "",
        targets: targets.map((t) => ({
          id: t.Id ?? "",
          arn: t.Arn ?? "",
          maximumRetryAttempts: t.RetryPolicy?.MaximumRetryAttempts ?? null,
          deadLetterQueue: t.DeadLetterConfig?.Arn?.split(":").at(-1) ?? null,
        })),
      };
    }),
  );
  const archives = ((await eventBridge.send(new ListArchivesCommand({ EventSourceArn: bus.Arn }))).Archives ?? []).map(
    (a) => ({
      name: a.ArchiveName ?? "",
      state: a.State ?? "",
      eventCount: a.EventCount ?? 0,
      sizeBytes: a.SizeBytes ?? 0,
      retentionDays: a.RetentionDays ?? 0,
    }),
  );
  const replays = ((await eventBridge.send(new ListReplaysCommand({}))).Replays ?? []).map((r) => ({
    name: r.ReplayName ?? "",
    state: r.State ?? "",
    from: r.EventStartTime?.toISOString() ?? null,
    to: r.EventEndTime?.toISOString() ?? null,
  }));
  return { bus: { name: bus.Name ?? eventBusName, arn: bus.Arn ?? "" }, rules: withTargets, archives, replays };
}
