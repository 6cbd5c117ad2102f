import { runShard } from "./sharded-run";

/*
 * One shard of a sharded reliability run, as a child process (forked by sharded-run.ts with
 * RELIABILITY_SHARD set): runs its share and sends the result to the parent.
 */
const spec = JSON.parse(process.env.RELIABILITY_SHARD ?? "{}") as {
  seed: number;
  orders: number;
  shards: number;
  shard: number;
  traceOrders: string[];
};
const result = await runShard(spec.seed, spec.orders, spec.shards, spec.shard, {
  log: (line) => console.log(line),
  traceOrders: spec.traceOrders,
});
process.send?.(result, () => process.exit(0));
