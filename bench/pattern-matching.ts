import { readExampleEnvelope } from "@payment3/events/examples";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { conformanceCases } from "../packages/aws-local/src/event-pattern/conformance-cases";
import { compileEventPattern, type CompiledEventPattern } from "../packages/aws-local/src/event-pattern/index";

export interface PatternMatchingRow {
  readonly name: string;
  /** Distinct (pattern, event) pairs, evaluated round-robin. */
  readonly pairs: number;
  /** How many of the pairs match. */
  readonly matchingPairs: number;
  readonly matchesPerSecond: number;
}

export interface PatternMatchingResult {
  readonly measureMs: number;
  readonly rows: readonly PatternMatchingRow[];
  readonly goalPerSecond: number;
  /** Every row at or above the goal. */
  readonly met: boolean;
}

export const PATTERN_MATCHING_GOAL_PER_SECOND = 500_000;

type Pair = readonly [CompiledEventPattern, unknown];

/** Evaluates every pair round-robin for `measureMs` after a warm-up of a fifth of that; one thread. */
function matchesPerSecond(pairs: readonly Pair[], measureMs: number): number {
  let sink = 0;
  const runFor = (ms: number): { calls: number; elapsed: number } => {
    let calls = 0;
    const started = performance.now();
    const end = started + ms;
    while (performance.now() < end) {
      for (let round = 0; round < 50; round++) {
        for (const [compiled, event] of pairs) if (compiled.matches(event)) sink++;
      }
      calls += 50 * pairs.length;
    }
    return { calls, elapsed: performance.now() - started };
  };
  runFor(measureMs / 5);
  const { calls, elapsed } = runFor(measureMs);
  if (sink < 0) throw new Error("unreachable");
  return (calls / elapsed) * 1000;
}

/** The events this system puts on its bus: both confirmation shapes and every outcome the subscribers tell apart. */
function flowEvents(): unknown[] {
  const confirmation = readExampleEnvelope("WalletPaymentConfirmed.v1.json");
  const legacy = readExampleEnvelope("WalletPaymentConfirmed.legacy-callback.json");
  const paid = readExampleEnvelope("OrderPaid.v1.json");
  const failed = readExampleEnvelope("OrderPaymentFailed.v1.json");
  const failedWith = (reason: string, retryable: boolean) => ({
    ...failed,
    detail: { ...(failed.detail as object), reason, retryable },
  });
  return [
    confirmation,
    legacy,
    { ...confirmation, source: "payment3.bank-app-callback" },
    { ...confirmation, source: "someone.else" },
    paid,
    failedWith("PAYMENT_DECLINED", false),
    failedWith("ALREADY_PAID", false),
    failedWith("COST_CALCULATION_FAILED", true),
  ];
}

/**
 * Matches per second of the compiled patterns, as the local bus runs them: every event of the
 * flow against every rule of the subscription registry (the bus tests each event against each
 * rule), and the conformance cases.
 */
export function measurePatternMatching(measureMs: number): PatternMatchingResult {
  const registryPairs: Pair[] = [];
  const events = flowEvents();
  for (const subscription of SUBSCRIPTIONS) {
    const compiled = compileEventPattern(subscription.eventPattern);
    for (const event of events) registryPairs.push([compiled, event]);
  }
  const conformancePairs: Pair[] = conformanceCases.map((c) => [compileEventPattern(c.pattern), c.event] as const);
  const row = (name: string, pairs: readonly Pair[]): PatternMatchingRow => ({
    name,
    pairs: pairs.length,
    matchingPairs: pairs.filter(([compiled, event]) => compiled.matches(event)).length,
    matchesPerSecond: Math.round(matchesPerSecond(pairs, measureMs)),
  });
  const rows = [
    row(`registry rules (${SUBSCRIPTIONS.length}) × flow events`, registryPairs),
    row(`conformance cases (${conformancePairs.length})`, conformancePairs),
  ];
  return {
    measureMs,
    rows,
    goalPerSecond: PATTERN_MATCHING_GOAL_PER_SECOND,
    met: rows.every((r) => r.matchesPerSecond >= PATTERN_MATCHING_GOAL_PER_SECOND),
  };
}
