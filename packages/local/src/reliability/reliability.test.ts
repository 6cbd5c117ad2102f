import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { FAULT_KINDS, parseSeed } from "../faults/index";
import { runShardedReliability } from "./sharded-run";

/*
 * The CI size runs inside `npm test`. `RELIABILITY_FULL=1` (npm run test:reliability) runs the
 * full size, K = 10,000, split over one process per core. RELIABILITY_SEED replays a run,
 * RELIABILITY_ORDERS sets K, RELIABILITY_SHARDS the processes, RELIABILITY_TRACE=<orderId>,...
 * prints what happened to those orders.
 */
const full = process.env.RELIABILITY_FULL === "1";
const orders = Number(process.env.RELIABILITY_ORDERS ?? (full ? 10_000 : 250));
const shards = Number(process.env.RELIABILITY_SHARDS ?? (full ? availableParallelism() : 1));
const seed = parseSeed(process.env.RELIABILITY_SEED, 20_260_201);
const traceOrders = (process.env.RELIABILITY_TRACE ?? "").split(",").filter(Boolean);

describe("reliability under faults, duplicates and replays", () => {
  it(
    `every confirmation ends in exactly one outcome and every effect happens once (K=${orders}, seed ${seed})`,
    async () => {
      const report = await runShardedReliability({
        seed,
        orders,
        shards,
        traceOrders,
        log: (line) => console.log(line),
      });
      console.log(report.summary);

      const replay = `seed ${seed}: replay with RELIABILITY_SEED=${seed} RELIABILITY_ORDERS=${orders} RELIABILITY_SHARDS=${shards}`;
      expect(
        FAULT_KINDS.filter((kind) => report.injected[kind] === 0),
        `fault kinds never injected; ${replay}`,
      ).toEqual([]);
      expect(
        report.shards.map((shard) => shard.replayState),
        replay,
      ).toEqual(report.shards.map(() => "COMPLETED"));
      expect(report.violations, replay).toEqual([]);
      expect(
        report.matrix.filter((row) => row.lost > 0 || row.duplicated > 0).map((row) => row.label),
        replay,
      ).toEqual([]);
    },
    full ? 7_200_000 : 240_000,
  );
});
