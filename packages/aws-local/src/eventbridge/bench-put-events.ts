/**
 * PutEvents throughput of the local EventBridge over HTTP, through the real SDK client: batches of 10 entries,
 * several concurrency levels, 3 rules (two match every event) and a no-op target.
 *
 *   npx tsx packages/aws-local/src/eventbridge/bench-put-events.ts [secondsPerLevel=3]
 */
import { Agent } from "node:http";
import { performance } from "node:perf_hooks";
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { startLocalEndpoint } from "../http/local-endpoint";
import { createEventBridgeService } from "./eventbridge-api";
import { LocalEventBridge } from "./local-event-bridge";

const secondsPerLevel = Number(process.argv[2] ?? "3");
const concurrencyLevels = [1, 4, 16, 64];
const batchSize = 10;

let deliveries = 0;
const bridge = new LocalEventBridge({
  journalCapacity: 1000,
  logger: { warn: (message) => console.warn(message) },
  targetInvoker: () => {
    deliveries += 1;
    return Promise.resolve();
  },
});
const endpoint = await startLocalEndpoint({ port: 0, services: [createEventBridgeService(bridge)] });
const client = new EventBridgeClient({
  endpoint: endpoint.url,
  region: "ap-southeast-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 128 }) },
});

const rules = [
  { name: "all-orders", pattern: { source: ["bench.orders"] } },
  { name: "paid-orders", pattern: { "detail-type": ["OrderPaid"], detail: { amount: [{ numeric: [">", 0] }] } } },
  { name: "refunds", pattern: { "detail-type": ["OrderRefunded"] } },
];
for (const rule of rules) {
  await client.send(new PutRuleCommand({ Name: rule.name, EventPattern: JSON.stringify(rule.pattern) }));
  await client.send(
    new PutTargetsCommand({
      Rule: rule.name,
      Targets: [{ Id: "noop", Arn: "arn:aws:lambda:ap-southeast-1:000000000000:function:noop" }],
    }),
  );
}

const entries = Array.from({ length: batchSize }, (_, index) => ({
  Source: "bench.orders",
  DetailType: "OrderPaid",
  Detail: JSON.stringify({
    orderId: `o-${index}`,
    amount: 10 + index,
    currency: "SGD",
    items: [{ sku: "A", quantity: 1 }],
  }),
}));

async function runLevel(concurrency: number, seconds: number) {
  const latencies: number[] = [];
  let failedEntries = 0;
  const deadline = performance.now() + seconds * 1000;
  const deliveriesBefore = deliveries;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const sent = performance.now();
        const response = await client.send(new PutEventsCommand({ Entries: entries }));
        latencies.push(performance.now() - sent);
        failedEntries += response.FailedEntryCount ?? 0;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await bridge.whenIdle();
  const drained = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  return {
    concurrency,
    requests: latencies.length,
    requestsPerSecond: Math.round(latencies.length / elapsed),
    eventsPerSecond: Math.round((latencies.length * batchSize) / elapsed),
    p50Ms: percentile(50).toFixed(2),
    p99Ms: percentile(99).toFixed(2),
    failedEntries,
    deliveries: deliveries - deliveriesBefore,
    deliveriesPerSecondIncludingDrain: Math.round((deliveries - deliveriesBefore) / drained),
  };
}

await runLevel(4, 1); // warm-up (JIT, sockets)
const results = [];
for (const concurrency of concurrencyLevels) results.push(await runLevel(concurrency, secondsPerLevel));
console.log(
  `PutEvents over HTTP, ${batchSize} entries per request, 3 rules (2 match each event), no-op target, Node ${process.version}`,
);
console.table(results);

client.destroy();
bridge.close();
await endpoint.close();
