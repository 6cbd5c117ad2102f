/**
 * Measures single-core matching throughput of compiled event patterns.
 * Run: npx tsx packages/aws-local/src/event-pattern/bench-event-pattern.ts
 */
import { conformanceCases } from "./conformance-cases";
import { compileEventPattern, type CompiledEventPattern } from "./index";

const MEASURE_MS = 1_000;

function envelope(source: string, detailType: string, detail: object): object {
  return {
    version: "0",
    id: "0d3c1e34-3a1c-4f4e-9d2b-8b7f1f3e1a00",
    "detail-type": detailType,
    source,
    account: "123456789012",
    time: "2026-01-29T10:00:00Z",
    region: "ap-southeast-1",
    resources: [],
    detail,
  };
}

/** Calls every (pattern, event) pair round-robin for MEASURE_MS after a warm-up; returns matches/s. */
function measure(pairs: readonly (readonly [CompiledEventPattern, unknown])[]): { perSecond: number; matched: number } {
  let matched = 0;
  const runFor = (ms: number): number => {
    let calls = 0;
    const end = performance.now() + ms;
    while (performance.now() < end) {
      for (let round = 0; round < 100; round++) {
        for (const [compiled, event] of pairs) if (compiled.matches(event)) matched++;
      }
      calls += 100 * pairs.length;
    }
    return calls;
  };
  runFor(200);
  const started = performance.now();
  const calls = runFor(MEASURE_MS);
  const elapsed = performance.now() - started;
  return { perSecond: (calls / elapsed) * 1000, matched };
}

const walletRule = compileEventPattern({
  source: ["payment3.wallet-callback", "payment3.bank-app-callback"],
  "detail-type": ["WalletPaymentConfirmed"],
});
const failedRule = compileEventPattern({
  "detail-type": ["OrderPaymentFailed"],
  detail: { retryable: [false], reason: ["PAYMENT_DECLINED"] },
});
const walletEvents = [
  envelope("payment3.bank-app-callback", "WalletPaymentConfirmed", { orderId: "o-1", amount: 1200 }),
  envelope("payment3.processor", "OrderPaymentFailed", {
    orderId: "o-2",
    retryable: false,
    reason: "PAYMENT_DECLINED",
  }),
];
const failedEvents = [
  envelope("payment3.processor", "OrderPaymentFailed", {
    orderId: "o-2",
    retryable: false,
    reason: "PAYMENT_DECLINED",
  }),
  envelope("payment3.processor", "OrderPaymentFailed", { orderId: "o-3", retryable: true, reason: "TIMEOUT" }),
];

const rows: [string, ReturnType<typeof measure>][] = [
  ["wallet rule (source x2 + detail-type)", measure(walletEvents.map((event) => [walletRule, event] as const))],
  [
    "failed rule (detail-type + detail.retryable + detail.reason)",
    measure(failedEvents.map((event) => [failedRule, event] as const)),
  ],
  [
    `conformance set (${conformanceCases.length} pattern/event pairs)`,
    measure(conformanceCases.map((c) => [compileEventPattern(c.pattern), c.event] as const)),
  ],
];

console.log(
  `node ${process.version}, one thread, ${MEASURE_MS} ms per row (half the events of each typical rule match)`,
);
for (const [label, { perSecond }] of rows) {
  console.log(`${label.padEnd(64)} ${Math.round(perSecond).toLocaleString("en-US").padStart(12)} matches/s`);
}
