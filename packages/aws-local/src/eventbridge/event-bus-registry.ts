import { compileEventPattern, type CompiledEventPattern } from "../event-pattern/index";
import {
  EventBridgeLimitExceededError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeValidationError,
  LIMIT_EXCEEDED_MESSAGE,
} from "./errors";
import { DEFAULT_EVENT_BUS_NAME, type EventBridgeArns } from "./eventbridge-arns";
import type {
  CreateEventBusRequest,
  DescribeRuleResponse,
  EventBusDescription,
  ListEventBusesRequest,
  ListEventBusesResponse,
  ListRulesRequest,
  ListRulesResponse,
  ListTargetsByRuleRequest,
  ListTargetsByRuleResponse,
  PutRuleRequest,
  PutTargetsRequest,
  RemoveTargetsRequest,
  RuleReference,
  RuleState,
  Target,
  TargetResultEntry,
  TargetsResultResponse,
} from "./eventbridge-shapes";
import { optional } from "./optional-field";
import { paginate } from "./pagination";
import { parseScheduleExpression } from "./schedule-expression";
import {
  checkCreateEventBusRequest,
  checkPutRuleRequest,
  checkPutTargetsRequest,
  checkRemoveTargetsRequest,
} from "./request-validation";

export const MAX_TARGETS_PER_RULE = 5;

export interface EventBusRecord {
  readonly name: string;
  readonly description?: string;
  readonly creationTime: Date;
  readonly lastModifiedTime: Date;
}

/** A rule as routing and export read it; its pattern is compiled once, when the rule is put. */
export interface RegisteredRule {
  readonly name: string;
  readonly eventBusName: string;
  readonly eventPattern?: string;
  readonly compiledPattern?: CompiledEventPattern;
  readonly scheduleExpression?: string;
  readonly state: RuleState;
  readonly description?: string;
  readonly roleArn?: string;
  readonly targets: ReadonlyMap<string, Target>;
}

interface RuleRecord extends RegisteredRule {
  state: RuleState;
  readonly targets: Map<string, Target>;
}

/** What archives and replays need to know about buses and rules. */
export interface EventBusLookup {
  /** The resolved name of an existing bus, or `ResourceNotFoundException`. */
  requireEventBus(nameOrArn: string | undefined): string;
  hasEventBus(eventBusName: string): boolean;
  ruleArnsOf(eventBusName: string): string[];
}

/** Adds to the registry while {@link EventBusRegistry.replaceAll} rebuilds it; nothing is announced until all succeeded. */
export interface EventBusRegistryDraft {
  addEventBus(bus: EventBusRecord): void;
  /** Checks and adds a rule as PutRule does, then its targets as PutTargets does. */
  addRule(request: PutRuleRequest, targets: readonly Target[]): void;
}

export interface EventBusRegistryOptions {
  readonly arns: EventBridgeArns;
  readonly now: () => number;
  readonly warn: (message: string, details?: Record<string, unknown>) => void;
}

/**
 * The event buses (`default` always exists), their rules and the rules' targets, with the invariants that need
 * what is already there: names are unique, a rule's bus exists, at most five targets per rule, a rule with targets
 * cannot be deleted, `default` cannot be deleted. Operations take and return the wire shapes of the EventBridge API.
 * Every change is announced to the {@link onChanged} listeners.
 */
export class EventBusRegistry implements EventBusLookup {
  private buses: Map<string, EventBusRecord>;
  private rules = new Map<string, Map<string, RuleRecord>>();
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly options: EventBusRegistryOptions) {
    this.buses = new Map([[DEFAULT_EVENT_BUS_NAME, this.newBus(DEFAULT_EVENT_BUS_NAME)]]);
  }

  // ---- Event buses ----

  createEventBus(request: CreateEventBusRequest): { EventBusArn: string; Description?: string } {
    checkCreateEventBusRequest(request);
    if (this.buses.has(request.Name)) {
      throw new EventBridgeResourceAlreadyExistsError(`Event bus ${request.Name} already exists.`); // [LS-AWS]
    }
    this.buses.set(request.Name, this.newBus(request.Name, request.Description));
    this.changed();
    return { EventBusArn: this.options.arns.eventBus(request.Name), ...optional("Description", request.Description) };
  }

  /** Describes a bus by name or ARN (default: `default`). */
  describeEventBus(request: { readonly Name?: string }): EventBusDescription {
    const bus = this.buses.get(this.options.arns.eventBusNameOf(request.Name));
    if (!bus) throw unknownEventBus(this.options.arns.eventBusNameForMessage(request.Name));
    return this.describeBus(bus);
  }

  listEventBuses(request: ListEventBusesRequest): ListEventBusesResponse {
    const buses = [...this.buses.values()]
      .filter((bus) => request.NamePrefix === undefined || bus.name.startsWith(request.NamePrefix))
      .sort((a, b) => compareNames(a.name, b.name));
    const page = paginate(buses, request);
    return {
      EventBuses: page.items.map((bus) => this.describeBus(bus)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /**
   * Deletes a custom bus and its rules; answers the name of the bus deleted, or `undefined` when there was none
   * (which succeeds). `default` cannot be deleted. [LS-AWS test_delete_default_event_bus, test_describe_delete_not_existing_event_bus]
   */
  deleteEventBus(request: { readonly Name: string }): string | undefined {
    const name = this.options.arns.eventBusNameOf(request.Name);
    if (name === DEFAULT_EVENT_BUS_NAME) throw new EventBridgeValidationError("Cannot delete event bus default.");
    if (!this.buses.delete(name)) return undefined;
    this.rules.delete(name);
    this.changed();
    return name;
  }

  // ---- Rules ----

  /** Creates or replaces a rule (its targets are kept). The pattern is compiled here, once. */
  putRule(request: PutRuleRequest): { RuleArn: string } {
    const existing = this.rules.get(this.options.arns.eventBusNameOf(request.EventBusName))?.get(request.Name);
    const rule = this.storeRule(request, existing?.targets ?? new Map());
    this.changed();
    return { RuleArn: this.ruleArn(rule) };
  }

  describeRule(request: RuleReference): DescribeRuleResponse {
    const rule = this.requireRule(request.Name, request.EventBusName);
    return { ...this.describeRuleRecord(rule), CreatedBy: this.options.arns.account };
  }

  /** Rules of one bus (default: `default`) in name order, optionally only names starting with `NamePrefix`. */
  listRules(request: ListRulesRequest): ListRulesResponse {
    const eventBusName = this.requireEventBus(request.EventBusName);
    const rules = [...this.rulesOf(eventBusName).values()]
      .filter((rule) => request.NamePrefix === undefined || rule.name.startsWith(request.NamePrefix))
      .sort((a, b) => compareNames(a.name, b.name));
    const page = paginate(rules, request);
    return {
      Rules: page.items.map((rule) => this.describeRuleRecord(rule)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /**
   * Deletes a rule without targets. Deleting a rule that does not exist succeeds, as on AWS ("If you call delete
   * rule multiple times for the same rule, all calls will succeed"); an unknown bus does not. [BOTO DeleteRule doc]
   */
  deleteRule(request: RuleReference): void {
    const eventBusName = this.requireEventBus(request.EventBusName);
    const rule = this.rulesOf(eventBusName).get(request.Name);
    if (!rule) return;
    if (rule.targets.size > 0) {
      throw new EventBridgeValidationError("Rule can't be deleted since it has targets."); // [LS-AWS]
    }
    this.rulesOf(eventBusName).delete(request.Name);
    this.changed();
  }

  /** ENABLED or DISABLED; a disabled rule matches nothing until enabled again. */
  setRuleState(request: RuleReference, state: "ENABLED" | "DISABLED"): void {
    this.requireRule(request.Name, request.EventBusName).state = state;
    this.changed();
  }

  // ---- Targets ----

  /**
   * Adds or replaces targets (by Id): at most 10 per request and 5 per rule. Invalid input fails the whole request
   * with `ValidationException`, as AWS's request validation does, so `FailedEntries` is always empty here.
   * [semantics §8, LS-AWS test_put_target_id_validation]
   */
  putTargets(request: PutTargetsRequest): TargetsResultResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    this.addTargets(rule, request.Targets);
    this.changed();
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(request: ListTargetsByRuleRequest): ListTargetsByRuleResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    const page = paginate([...rule.targets.values()], request);
    return {
      Targets: page.items.map((target) => structuredClone(target)),
      ...(page.nextToken ? { NextToken: page.nextToken } : {}),
    };
  }

  /** Removes targets by Id; an Id the rule does not have is reported in `FailedEntries`. */
  removeTargets(request: RemoveTargetsRequest): TargetsResultResponse {
    const rule = this.requireRule(request.Rule, request.EventBusName);
    checkRemoveTargetsRequest(request.Ids);
    const failed: TargetResultEntry[] = [];
    for (const id of request.Ids) {
      if (!rule.targets.delete(id)) {
        // Wording from LocalStack's provider; what AWS answers for an unknown Id is unverified.
        failed.push({
          TargetId: id,
          ErrorCode: "ResourceNotFoundException",
          ErrorMessage: `Rule '${rule.name}' does not have a target with the Id '${id}'.`,
        });
      }
    }
    if (failed.length < request.Ids.length) this.changed();
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  // ---- Lookups ----

  hasEventBus(eventBusName: string): boolean {
    return this.buses.has(eventBusName);
  }

  requireEventBus(nameOrArn: string | undefined): string {
    const name = this.options.arns.eventBusNameOf(nameOrArn);
    if (!this.buses.has(name)) throw unknownEventBus(this.options.arns.eventBusNameForMessage(nameOrArn));
    return name;
  }

  /** The rules of a bus in the order they were first put (none for an unknown bus). */
  rulesOn(eventBusName: string): RegisteredRule[] {
    return [...(this.rules.get(eventBusName)?.values() ?? [])];
  }

  ruleArnsOf(eventBusName: string): string[] {
    return this.rulesOn(eventBusName).map((rule) => this.ruleArn(rule));
  }

  /** The target as it is configured now, if its rule and bus still exist. */
  findTarget(reference: {
    readonly eventBusName: string;
    readonly ruleName: string;
    readonly targetId: string;
  }): Target | undefined {
    return this.rules.get(reference.eventBusName)?.get(reference.ruleName)?.targets.get(reference.targetId);
  }

  ruleArn(rule: Pick<RegisteredRule, "eventBusName" | "name">): string {
    return this.options.arns.rule(rule.eventBusName, rule.name);
  }

  // ---- The whole registry ----

  eventBuses(): EventBusRecord[] {
    return [...this.buses.values()];
  }

  /** Every rule, bus by bus. */
  allRules(): RegisteredRule[] {
    return [...this.rules.values()].flatMap((rules) => [...rules.values()]);
  }

  /**
   * Replaces every bus (but `default`'s record, unless `build` adds one) and rule with what `build` adds. On error
   * the registry is left as it was and the error is rethrown; on success the change is announced once.
   */
  replaceAll(build: (draft: EventBusRegistryDraft) => void): void {
    const previous = { buses: this.buses, rules: this.rules };
    this.buses = new Map([
      [DEFAULT_EVENT_BUS_NAME, previous.buses.get(DEFAULT_EVENT_BUS_NAME) ?? this.newBus(DEFAULT_EVENT_BUS_NAME)],
    ]);
    this.rules = new Map();
    try {
      build({
        addEventBus: (bus) => this.buses.set(bus.name, bus),
        addRule: (request, targets) => {
          const rule = this.storeRule(request, new Map());
          if (targets.length > 0) this.addTargets(rule, targets);
        },
      });
    } catch (error) {
      this.buses = previous.buses;
      this.rules = previous.rules;
      throw error;
    }
    this.changed();
  }

  /** Calls `listener` after every change to buses, rules or targets; returns the unsubscribe function. */
  onChanged(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private storeRule(request: PutRuleRequest, targets: Map<string, Target>): RuleRecord {
    checkPutRuleRequest(request);
    const eventBusName = this.requireEventBus(request.EventBusName);
    if (request.ScheduleExpression !== undefined) {
      if (eventBusName !== DEFAULT_EVENT_BUS_NAME) {
        throw new EventBridgeValidationError("ScheduleExpression is supported only on the default event bus.");
      }
      // After the bus check: AWS answers an empty expression on a custom bus with the bus message. [semantics §10]
      parseScheduleExpression(request.ScheduleExpression);
    }
    const compiledPattern = request.EventPattern === undefined ? undefined : compileEventPattern(request.EventPattern);
    const rule: RuleRecord = {
      name: request.Name,
      eventBusName,
      ...optional("eventPattern", request.EventPattern),
      ...optional("compiledPattern", compiledPattern),
      ...optional("scheduleExpression", request.ScheduleExpression),
      // PutRule replaces the rule's settings: no State means ENABLED again.
      state: request.State ?? "ENABLED",
      ...optional("description", request.Description),
      ...optional("roleArn", request.RoleArn),
      targets,
    };
    this.rulesOf(eventBusName).set(rule.name, rule);
    return rule;
  }

  private addTargets(rule: RuleRecord, targets: readonly Target[]): void {
    checkPutTargetsRequest(targets, (message) => this.options.warn(message, { rule: rule.name }));
    const ids = new Set([...rule.targets.keys(), ...targets.map((target) => target.Id)]);
    if (ids.size > MAX_TARGETS_PER_RULE) throw new EventBridgeLimitExceededError(LIMIT_EXCEEDED_MESSAGE);
    for (const target of targets) rule.targets.set(target.Id, structuredClone(target));
  }

  private requireRule(ruleName: string, eventBusNameOrArn: string | undefined): RuleRecord {
    const eventBusName = this.requireEventBus(eventBusNameOrArn);
    const rule = this.rulesOf(eventBusName).get(ruleName);
    if (!rule) {
      throw new EventBridgeResourceNotFoundError(`Rule ${ruleName} does not exist on EventBus ${eventBusName}.`); // [LS-AWS]
    }
    return rule;
  }

  private rulesOf(eventBusName: string): Map<string, RuleRecord> {
    let rules = this.rules.get(eventBusName);
    if (!rules) {
      rules = new Map();
      this.rules.set(eventBusName, rules);
    }
    return rules;
  }

  private describeRuleRecord(rule: RuleRecord): Omit<DescribeRuleResponse, "CreatedBy"> {
    return {
      Name: rule.name,
      Arn: this.ruleArn(rule),
      ...optional("EventPattern", rule.eventPattern),
      ...optional("ScheduleExpression", rule.scheduleExpression),
      State: rule.state,
      ...optional("Description", rule.description),
      ...optional("RoleArn", rule.roleArn),
      EventBusName: rule.eventBusName,
    };
  }

  private newBus(name: string, description?: string): EventBusRecord {
    const now = new Date(this.options.now());
    return { name, ...optional("description", description), creationTime: now, lastModifiedTime: now };
  }

  private describeBus(bus: EventBusRecord): EventBusDescription {
    return {
      Name: bus.name,
      Arn: this.options.arns.eventBus(bus.name),
      ...optional("Description", bus.description),
      CreationTime: bus.creationTime,
      LastModifiedTime: bus.lastModifiedTime,
    };
  }

  private changed(): void {
    for (const listener of this.changeListeners) {
      try {
        listener();
      } catch (error) {
        this.options.warn(`An onConfigurationChanged listener failed: ${String(error)}`);
      }
    }
  }
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** AWS names the bus, never the ARN the caller gave. [semantics §12; LS-AWS test_create_archive_error_unknown_event_bus] */
function unknownEventBus(eventBusName: string): EventBridgeResourceNotFoundError {
  return new EventBridgeResourceNotFoundError(`Event bus ${eventBusName} does not exist.`);
}
