import { compileEventPattern } from "../event-pattern/index";
import type { EventEnvelope } from "./event-envelope";
import type { EventBusRegistry, RegisteredRule } from "./event-bus-registry";
import type { AcceptedEvent } from "./event-journal";
import type { TestEventPatternRequest } from "./eventbridge-shapes";
import type { PendingWork } from "./pending-work";
import { checkEventPatternLength, parseTestEvent } from "./request-validation";
import { deliveryJobFor, type DeliveryJob, type TargetDelivery } from "./target-delivery";
import { renderTargetInput } from "./target-input";

export interface EventRouterOptions {
  readonly rules: Pick<EventBusRegistry, "rulesOn" | "ruleArn">;
  readonly delivery: Pick<TargetDelivery, "deliver">;
  readonly pending: PendingWork;
  readonly warn: (message: string) => void;
}

/**
 * Which rules of a bus an event matches, and the delivery jobs that follows: one per target of every enabled rule
 * whose pattern matches, with the target's input already rendered.
 */
export class EventRouter {
  constructor(private readonly options: EventRouterOptions) {}

  /**
   * The enabled rules of the bus whose pattern matches the event, only those in `filterArns` when given (a replay's
   * FilterArns narrow the rules, they do not bypass a disabled one). A rule with only a schedule matches nothing.
   */
  *matchingRules(
    eventBusName: string,
    event: EventEnvelope,
    filterArns?: ReadonlySet<string>,
  ): Generator<RegisteredRule> {
    for (const rule of this.options.rules.rulesOn(eventBusName)) {
      if (rule.state === "DISABLED" || !rule.compiledPattern) continue;
      if (filterArns && !filterArns.has(this.options.rules.ruleArn(rule))) continue;
      if (this.ruleMatches(rule, event)) yield rule;
    }
  }

  /**
   * One job per target of each matching rule, produced as they are consumed. A target whose input cannot be built
   * from this event gets no job, and a warning says so.
   */
  *deliveryJobs(accepted: AcceptedEvent, filterArns?: ReadonlySet<string>): Generator<DeliveryJob> {
    for (const rule of this.matchingRules(accepted.eventBusName, accepted.event, filterArns)) {
      const ruleArn = this.options.rules.ruleArn(rule);
      for (const target of rule.targets.values()) {
        let input: unknown;
        try {
          input = renderTargetInput(target, {
            event: accepted.event,
            ruleName: rule.name,
            ruleArn,
            ingestionTime: accepted.ingestionTime,
          });
        } catch (error) {
          this.options.warn(
            `Could not build the input of target ${target.Id} of rule ${rule.name} for event ` +
              `${accepted.event.id}: ${String(error)}; the event was not delivered to it.`,
          );
          continue;
        }
        yield deliveryJobFor(target, {
          event: accepted.event,
          input,
          eventBusName: accepted.eventBusName,
          ruleName: rule.name,
          ruleArn,
          ingestionTime: accepted.ingestionTime,
          ageOrigin: accepted.ingestionTime,
        });
      }
    }
  }

  /** Starts delivering the event to every target of every matching rule (only the rules in `filterArns` when given). */
  route(accepted: AcceptedEvent, filterArns?: ReadonlySet<string>): void {
    for (const job of this.deliveryJobs(accepted, filterArns)) void this.options.delivery.deliver(job);
  }

  /** Routes the events on the next turn of the event loop: PutEvents answers first, delivery happens afterwards, as on AWS. */
  routeLater(accepted: readonly AcceptedEvent[]): void {
    const end = this.options.pending.begin();
    setImmediate(() => {
      try {
        for (const entry of accepted) {
          try {
            this.route(entry);
          } catch (error) {
            console.error(`[local-eventbridge] routing event ${entry.event.id} failed:`, error);
          }
        }
      } finally {
        end();
      }
    });
  }

  private ruleMatches(rule: RegisteredRule, event: EventEnvelope): boolean {
    try {
      return rule.compiledPattern?.matches(event) ?? false;
    } catch (error) {
      this.options.warn(`Rule ${rule.name} failed to evaluate its pattern on event ${event.id}: ${String(error)}`);
      return false;
    }
  }
}

/** TestEventPattern: whether `Event` matches `EventPattern`, with no bus or rule involved. [semantics §4] */
export function testEventPattern(request: TestEventPatternRequest): { Result: boolean } {
  checkEventPatternLength(request.EventPattern);
  const event = parseTestEvent(request.Event);
  return { Result: compileEventPattern(request.EventPattern).matches(event) };
}
