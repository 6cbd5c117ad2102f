import { FAULT_KINDS, type FaultKind } from "./fault-kinds";
import { unitHash } from "./seeded-random";

/** What a hook tells the injector about the call it is about to serve. */
export interface FaultSite {
  /** The call: `GetItem`, `UpdateItem`, `PutEvents`, `SendEmail`, `Publish`, `Invoke`, `saveFinalOutcome`, ... */
  readonly operation: string;
  /** What it is made on: a table, a function, a topic, a subscriber. */
  readonly resource?: string;
  /** The orders the call concerns, when the request names them (for the fault matrix). */
  readonly orderIds?: readonly string[];
  /**
   * What identifies this request across retries, the SDK's and the platform's (e.g. operation,
   * table and item key). A burst keeps failing requests with the same key, as a hot partition
   * or a sick dependency does; without bursts, a fault the SDK retries once is invisible.
   */
  readonly key: string;
}

/** When to inject one kind of fault. Only calls that pass every filter given are considered. */
export interface FaultRule {
  /** Chance, 0..1, that a call not already in a burst fails (and starts a burst). */
  readonly probability: number;
  /**
   * How many consecutive calls with the same key fail once a burst starts, the first included:
   * a number, or lengths to pick from uniformly (e.g. `[1, 1, 2, 3, 12]`). Default 1.
   */
  readonly burst?: number | readonly number[];
  /** Only these operations, e.g. `["UpdateItem", "PutItem"]`. */
  readonly operations?: readonly string[];
  /** Only these resources (table names, function names, ...). */
  readonly resources?: readonly string[];
  readonly match?: (site: FaultSite) => boolean;
  /** Stop injecting this kind after this many faults. */
  readonly limit?: number;
}

/** Filters of a `failNext` plan. */
export type FaultFilter = Pick<FaultRule, "operations" | "resources" | "match">;

export interface InjectedFault {
  readonly kind: FaultKind;
  readonly site: FaultSite;
  /** 1 for the first fault injected by this injector, then 2, ... */
  readonly sequence: number;
}

export interface FaultCount {
  readonly kind: FaultKind;
  /** Faults injected (each failed call counts, burst continuations included). */
  readonly injected: number;
  /** Orders named by the failed calls. */
  readonly orderIds: ReadonlySet<string>;
  /** Faults whose call named no order (e.g. Powertools idempotency records, keyed by a hash). */
  readonly unattributed: number;
}

export interface FaultInjectorOptions {
  /** Decides every probabilistic fault. Default 1. */
  readonly seed?: number;
}

interface PlannedFailures {
  remaining: number;
  readonly filter: FaultFilter;
}

/**
 * Decides, per call, whether a fault is injected, and counts what it injected. It injects
 * nothing until a rule is configured or a failure is planned: the hooks that consult it
 * (see `fault-hooks.ts`) change no behaviour by themselves.
 *
 * Decisions are deterministic for a seed: whether the n-th call with a given key fails is a
 * hash of (seed, kind, key, n), not a draw from a shared stream, so concurrent calls arriving
 * in a different order still get the same decisions.
 */
export class FaultInjector {
  readonly seed: number;
  private readonly rules = new Map<FaultKind, FaultRule>();
  private readonly planned = new Map<FaultKind, PlannedFailures[]>();
  private readonly bursts = new Map<string, number>();
  private readonly occurrences = new Map<string, number>();
  private readonly injectedByKind = new Map<FaultKind, number>();
  private readonly ordersByKind = new Map<FaultKind, Set<string>>();
  private readonly unattributedByKind = new Map<FaultKind, number>();
  private readonly listeners = new Set<(fault: InjectedFault) => void>();
  private sequence = 0;

  constructor(options: FaultInjectorOptions = {}) {
    this.seed = (options.seed ?? 1) >>> 0;
  }

  /** Injects `kind` by `rule` from now on (replaces an earlier rule of that kind). */
  configure(kind: FaultKind, rule: FaultRule): this {
    if (!(rule.probability >= 0 && rule.probability <= 1))
      throw new RangeError(`probability of ${kind} must be 0..1, got ${rule.probability}`);
    const lengths = typeof rule.burst === "number" ? [rule.burst] : (rule.burst ?? [1]);
    if (lengths.length === 0 || lengths.some((length) => !Number.isInteger(length) || length < 1)) {
      throw new RangeError(`burst of ${kind} must be whole numbers >= 1, got ${JSON.stringify(rule.burst)}`);
    }
    this.rules.set(kind, rule);
    return this;
  }

  /** Configures several kinds at once. */
  configureAll(rules: Partial<Record<FaultKind, FaultRule>>): this {
    for (const kind of FAULT_KINDS) {
      const rule = rules[kind];
      if (rule) this.configure(kind, rule);
    }
    return this;
  }

  /** The next `count` calls of `kind` that pass `filter` fail, whatever the rules say. */
  failNext(kind: FaultKind, count: number, filter: FaultFilter = {}): this {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
    const plans = this.planned.get(kind) ?? [];
    plans.push({ remaining: count, filter });
    this.planned.set(kind, plans);
    return this;
  }

  /** Stops injecting `kind`: its rule, planned failures and running bursts are dropped (counts stay). */
  disable(kind: FaultKind): void {
    this.rules.delete(kind);
    this.planned.delete(kind);
    const prefix = `${kind}\u241f`;
    for (const key of [...this.bursts.keys()]) if (key.startsWith(prefix)) this.bursts.delete(key);
  }

  /** "The fault is fixed": stops every kind. Counts stay for the report. */
  disableAll(): void {
    for (const kind of FAULT_KINDS) this.disable(kind);
  }

  isEnabled(kind: FaultKind): boolean {
    return this.rules.has(kind) || (this.planned.get(kind)?.some((plan) => plan.remaining > 0) ?? false);
  }

  /** Whether this call fails with `kind`; a yes is counted. */
  decide(kind: FaultKind, site: FaultSite): boolean {
    if (this.takePlanned(kind, site)) return this.inject(kind, site);
    const rule = this.rules.get(kind);
    if (!rule || !passes(rule, site)) return false;
    if (rule.limit !== undefined && (this.injectedByKind.get(kind) ?? 0) >= rule.limit) return false;
    const burstKey = `${kind}\u241f${site.key}`;
    const remaining = this.bursts.get(burstKey) ?? 0;
    if (remaining > 0) {
      if (remaining === 1) this.bursts.delete(burstKey);
      else this.bursts.set(burstKey, remaining - 1);
      return this.inject(kind, site);
    }
    const occurrence = this.occurrences.get(burstKey) ?? 0;
    this.occurrences.set(burstKey, occurrence + 1);
    if (unitHash(this.seed, kind, site.key, occurrence) >= rule.probability) return false;
    const lengths = typeof rule.burst === "number" ? [rule.burst] : (rule.burst ?? [1]);
    const length = lengths[Math.floor(unitHash(this.seed, kind, site.key, occurrence, "burst") * lengths.length)] ?? 1;
    if (length > 1) this.bursts.set(burstKey, length - 1);
    return this.inject(kind, site);
  }

  /** Counts a fault a hook injected on its own (a subscriber outage fails every call in its window). */
  record(kind: FaultKind, site: FaultSite): void {
    this.inject(kind, site);
  }

  /** Calls `listener` for every injected fault; returns the unsubscribe function. */
  onInjected(listener: (fault: InjectedFault) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  injectedCount(kind?: FaultKind): number {
    if (kind) return this.injectedByKind.get(kind) ?? 0;
    return [...this.injectedByKind.values()].reduce((sum, count) => sum + count, 0);
  }

  ordersHitBy(kind: FaultKind): ReadonlySet<string> {
    return this.ordersByKind.get(kind) ?? new Set();
  }

  /** One line per fault kind, in matrix order. */
  counts(): FaultCount[] {
    return FAULT_KINDS.map((kind) => ({
      kind,
      injected: this.injectedCount(kind),
      orderIds: this.ordersHitBy(kind),
      unattributed: this.unattributedByKind.get(kind) ?? 0,
    }));
  }

  private takePlanned(kind: FaultKind, site: FaultSite): boolean {
    const plans = this.planned.get(kind);
    const plan = plans?.find((candidate) => candidate.remaining > 0 && passes(candidate.filter, site));
    if (!plan) return false;
    plan.remaining -= 1;
    return true;
  }

  private inject(kind: FaultKind, site: FaultSite): true {
    this.sequence += 1;
    this.injectedByKind.set(kind, (this.injectedByKind.get(kind) ?? 0) + 1);
    if (site.orderIds && site.orderIds.length > 0) {
      const orders = this.ordersByKind.get(kind) ?? new Set<string>();
      for (const orderId of site.orderIds) orders.add(orderId);
      this.ordersByKind.set(kind, orders);
    } else {
      this.unattributedByKind.set(kind, (this.unattributedByKind.get(kind) ?? 0) + 1);
    }
    const fault: InjectedFault = { kind, site, sequence: this.sequence };
    for (const listener of this.listeners) listener(fault);
    return true;
  }
}

function passes(filter: FaultFilter, site: FaultSite): boolean {
  if (filter.operations && !filter.operations.includes(site.operation)) return false;
  if (filter.resources && (site.resource === undefined || !filter.resources.includes(site.resource))) return false;
  return filter.match ? filter.match(site) : true;
}
