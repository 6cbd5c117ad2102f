import { explainPatternMismatch, type LocalEventBridge, type PatternMismatch } from "@payment3/aws-local";

/** A target as the console's rules view shows it. */
export interface RuleTargetView {
  readonly id: string;
  readonly arn: string;
  readonly retryPolicy: {
    readonly maximumRetryAttempts: number | null;
    readonly maximumEventAgeSeconds: number | null;
  };
  readonly deadLetterArn: string | null;
  readonly input: string | null;
}

export interface RuleView {
  readonly eventBusName: string;
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly eventPattern: string | null;
  readonly scheduleExpression: string | null;
  readonly targets: RuleTargetView[];
}

/** Whether one rule matches an event, and if not, each field that failed and why. */
export interface RuleMatch {
  readonly eventBusName: string;
  readonly ruleName: string;
  readonly matches: boolean;
  /** Why it does not match (empty when it does). A schedule-only or disabled rule says so here. */
  readonly mismatches: readonly PatternMismatch[];
  readonly note: string | null;
}

/** Every rule of every bus, with its pattern and its targets' retry policy and dead-letter queue. */
export function listRuleViews(eventBridge: LocalEventBridge): RuleView[] {
  const views: RuleView[] = [];
  for (const bus of eventBridge.listEventBuses().EventBuses ?? []) {
    const eventBusName = bus.Name ?? "default";
    let token: string | undefined;
    do {
      const page = eventBridge.listRules({ EventBusName: eventBusName, ...(token ? { NextToken: token } : {}) });
      for (const rule of page.Rules ?? []) {
        const targets = eventBridge.listTargetsByRule({ Rule: rule.Name ?? "", EventBusName: eventBusName }).Targets;
        views.push({
          eventBusName,
          name: rule.Name ?? "",
          arn: rule.Arn ?? "",
          state: rule.State ?? "ENABLED",
          eventPattern: rule.EventPattern ?? null,
          scheduleExpression: rule.ScheduleExpression ?? null,
          targets: (targets ?? []).map((target) => ({
            id: target.Id,
            arn: target.Arn,
            retryPolicy: {
              maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? null,
              maximumEventAgeSeconds: target.RetryPolicy?.MaximumEventAgeInSeconds ?? null,
            },
            deadLetterArn: target.DeadLetterConfig?.Arn ?? null,
            input: target.Input ?? target.InputPath ?? (target.InputTransformer ? "(input transformer)" : null),
          })),
        });
      }
      token = page.NextToken;
    } while (token);
  }
  return views;
}

/** Per rule of every bus: does `event` match it, and if not, the field that failed and what it wanted. */
export function explainRuleMatches(rules: readonly RuleView[], event: unknown): RuleMatch[] {
  return rules.map((rule) => {
    const base = { eventBusName: rule.eventBusName, ruleName: rule.name };
    if (!rule.eventPattern)
      return { ...base, matches: false, mismatches: [], note: "a scheduled rule: it matches no event" };
    const mismatches = explainPatternMismatch(JSON.parse(rule.eventPattern) as Record<string, unknown>, event);
    const note = rule.state === "DISABLED" ? "the rule is disabled: it delivers nothing until enabled" : null;
    return { ...base, matches: mismatches.length === 0, mismatches, note };
  });
}
