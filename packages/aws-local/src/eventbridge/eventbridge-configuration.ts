import { EventBridgeValidationError } from "./errors";
import type { EventBusRegistry } from "./event-bus-registry";
import type { RuleState, Target } from "./eventbridge-shapes";
import { optional } from "./optional-field";
import { checkEventBusName } from "./request-validation";

/** Bus and rule configuration as plain, JSON-serialisable data (patterns are recompiled on import). */
export interface EventBridgeConfiguration {
  readonly formatVersion: 1;
  readonly eventBuses: readonly EventBusConfiguration[];
  readonly rules: readonly RuleConfiguration[];
}

export interface EventBusConfiguration {
  readonly name: string;
  readonly description?: string;
  /** ISO-8601. */
  readonly creationTime: string;
  readonly lastModifiedTime: string;
}

export interface RuleConfiguration {
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: readonly Target[];
}

/** The registry's buses, rules and targets as plain data, for persistence. */
export function exportConfiguration(
  registry: Pick<EventBusRegistry, "eventBuses" | "allRules">,
): EventBridgeConfiguration {
  return {
    formatVersion: 1,
    eventBuses: registry.eventBuses().map((bus) => ({
      name: bus.name,
      ...optional("description", bus.description),
      creationTime: bus.creationTime.toISOString(),
      lastModifiedTime: bus.lastModifiedTime.toISOString(),
    })),
    rules: registry.allRules().map((rule) => ({
      name: rule.name,
      eventBusName: rule.eventBusName,
      ...optional("eventPattern", rule.eventPattern),
      ...optional("scheduleExpression", rule.scheduleExpression),
      state: rule.state,
      ...optional("description", rule.description),
      ...optional("roleArn", rule.roleArn),
      targets: [...rule.targets.values()].map((target) => structuredClone(target)),
    })),
  };
}

/**
 * Replaces all buses, rules and targets of the registry with `configuration` (from {@link exportConfiguration}).
 * Everything is checked as the API would check it, and every pattern compiled, before anything changes; on error
 * the current configuration stays. A time that cannot be read becomes `now`.
 */
export function importConfiguration(
  registry: Pick<EventBusRegistry, "replaceAll">,
  configuration: EventBridgeConfiguration,
  now: () => number,
): void {
  if (configuration.formatVersion !== 1) {
    throw new EventBridgeValidationError(
      `Unsupported EventBridge configuration formatVersion ${String(configuration.formatVersion)}; expected 1.`,
    );
  }
  const timeOf = (iso: string): Date => {
    const time = new Date(iso);
    return Number.isNaN(time.getTime()) ? new Date(now()) : time;
  };
  registry.replaceAll((draft) => {
    for (const bus of configuration.eventBuses) {
      checkEventBusName(bus.name);
      draft.addEventBus({
        name: bus.name,
        ...optional("description", bus.description),
        creationTime: timeOf(bus.creationTime),
        lastModifiedTime: timeOf(bus.lastModifiedTime),
      });
    }
    for (const rule of configuration.rules) {
      draft.addRule(
        {
          Name: rule.name,
          EventBusName: rule.eventBusName,
          State: rule.state,
          ...optional("EventPattern", rule.eventPattern),
          ...optional("ScheduleExpression", rule.scheduleExpression),
          ...optional("Description", rule.description),
          ...optional("RoleArn", rule.roleArn),
        },
        rule.targets,
      );
    }
  });
}
