import { randomUUID } from "node:crypto";
import { DEFAULT_EVENT_BUS_NAME } from "./eventbridge-arns";
import { buildEventEnvelope } from "./event-envelope";
import type { EventBusRegistry, RegisteredRule } from "./event-bus-registry";
import { parseScheduleExpression, type Schedule } from "./schedule-expression";
import { deliveryJobFor, type TargetDelivery } from "./target-delivery";
import { renderTargetInput } from "./target-input";

/** Catch-up fires of one rule in one call at most; past that the rule skips ahead to its next time after now. */
const MAX_CATCH_UP_FIRES = 1000;

export interface RuleSchedulerOptions {
  readonly rules: Pick<EventBusRegistry, "rulesOn" | "ruleArn" | "onChanged">;
  readonly delivery: Pick<TargetDelivery, "deliver">;
  readonly now: () => number;
  readonly region: string;
  readonly account: string;
  readonly warn: (message: string) => void;
  /** How often the real timer looks for due rules; `undefined`: no timer (fire only through {@link RuleScheduler.fireDue}). */
  readonly tickIntervalMs?: number | undefined;
}

interface ScheduledRule {
  readonly schedule: Schedule;
  /** When the rule was put or enabled: a rate counts from here. */
  readonly startMs: number;
  nextMs: number | undefined;
}

/**
 * Fires the enabled rules of the default bus that have a `ScheduleExpression`: each due time becomes one
 * "Scheduled Event" from `aws.events` delivered to the rule's targets like any matched event (input, retries,
 * dead-letter config). A rule's schedule starts when it is put or enabled; disabling or deleting it stops it.
 * Time comes from `now`, so tests advance their clock and call {@link fireDue}. [semantics §10]
 */
export class RuleScheduler {
  private readonly scheduled = new Map<string, ScheduledRule>();
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: RuleSchedulerOptions) {
    this.unsubscribe = options.rules.onChanged(() => this.synchronize(options.now()));
    this.synchronize(options.now());
    if (options.tickIntervalMs !== undefined) {
      this.timer = setInterval(() => this.fireDue(options.now()), options.tickIntervalMs);
      this.timer.unref();
    }
  }

  /** Fires every schedule due at or before `nowMs` (missed times included, oldest first); returns how many fired. */
  fireDue(nowMs: number): number {
    this.synchronize(nowMs);
    let fired = 0;
    for (const rule of this.options.rules.rulesOn(DEFAULT_EVENT_BUS_NAME)) {
      const entry = this.scheduled.get(rule.name);
      if (!entry) continue;
      let count = 0;
      while (entry.nextMs !== undefined && entry.nextMs <= nowMs && count < MAX_CATCH_UP_FIRES) {
        this.fire(rule, entry.nextMs, nowMs);
        entry.nextMs = entry.schedule.nextFireTime(entry.nextMs, entry.startMs);
        count += 1;
      }
      if (count === MAX_CATCH_UP_FIRES) entry.nextMs = entry.schedule.nextFireTime(nowMs, entry.startMs);
      fired += count;
    }
    return fired;
  }

  /** The next fire time of a scheduled rule of the default bus, if it is enabled and fires again. */
  nextFireTime(ruleName: string): Date | undefined {
    const next = this.scheduled.get(ruleName)?.nextMs;
    return next === undefined ? undefined : new Date(next);
  }

  /** Stops the timer and stops following rule changes. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe();
  }

  /** Starts schedules of rules newly put or enabled (from `nowMs`), drops those of rules deleted, disabled or changed. */
  private synchronize(nowMs: number): void {
    const active = new Set<string>();
    for (const rule of this.options.rules.rulesOn(DEFAULT_EVENT_BUS_NAME)) {
      if (rule.scheduleExpression === undefined || rule.state !== "ENABLED") continue;
      active.add(rule.name);
      if (this.scheduled.get(rule.name)?.schedule.expression === rule.scheduleExpression) continue;
      const schedule = parseScheduleExpression(rule.scheduleExpression);
      this.scheduled.set(rule.name, { schedule, startMs: nowMs, nextMs: schedule.nextFireTime(nowMs, nowMs) });
    }
    for (const name of this.scheduled.keys()) if (!active.has(name)) this.scheduled.delete(name);
  }

  private fire(rule: RegisteredRule, fireMs: number, nowMs: number): void {
    const ruleArn = this.options.rules.ruleArn(rule);
    const time = new Date(fireMs);
    const event = buildEventEnvelope({
      id: randomUUID(),
      detailType: "Scheduled Event",
      source: "aws.events",
      account: this.options.account,
      time,
      region: this.options.region,
      resources: [ruleArn],
      detail: {},
    });
    for (const target of rule.targets.values()) {
      let input: unknown;
      try {
        input = renderTargetInput(target, { event, ruleName: rule.name, ruleArn, ingestionTime: time });
      } catch (error) {
        this.options.warn(
          `Could not build the input of target ${target.Id} of scheduled rule ${rule.name}: ${String(error)}; ` +
            "the scheduled event was not delivered to it.",
        );
        continue;
      }
      // Event age counts from the hand-over, so a clock advanced by days in a test does not age catch-up fires out.
      void this.options.delivery.deliver(
        deliveryJobFor(target, {
          event,
          input,
          eventBusName: DEFAULT_EVENT_BUS_NAME,
          ruleName: rule.name,
          ruleArn,
          ingestionTime: time,
          ageOrigin: new Date(nowMs),
        }),
      );
    }
  }
}
