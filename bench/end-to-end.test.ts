import { emailSweepFunction } from "@payment3/functions";
import { startLocalRuntime, subscriptionResourceNames } from "@payment3/local";
import { describe, expect, it } from "vitest";
import { failedChecks, runEndToEnd } from "./end-to-end";
import { requestsSummary } from "./run-benchmarks";

describe("runEndToEnd", () => {
  it("counts the requests of a sweep that fires during the run under the sweep's name, in the whole flow", async () => {
    // Prepare: schedules fire only when told to.
    const runtime = await startLocalRuntime({
      port: 0,
      dataDirectory: null,
      logLevel: "SILENT",
      scheduleTickIntervalMs: 0,
    });
    const sweepName = subscriptionResourceNames(runtime.config, emailSweepFunction).functionName;
    try {
      // Act: the run logs this line once its probes and request counter are in place, just before the first confirmation.
      const run = await runEndToEnd(runtime, {
        confirmations: 20,
        concurrency: 4,
        firstOrderId: 700_000_000_000,
        completionTimeoutMs: 30_000,
        countRequests: true,
        log: (message) => {
          if (message.includes("in flight"))
            runtime.stack.eventBridge.fireDueSchedules(new Date(Date.now() + 6 * 60_000));
        },
      });
      const summary = requestsSummary(
        { run, requests: run.requests ?? [], failedChecks: failedChecks(run) },
        runtime.config,
      );

      // Assert
      expect(run.functions.find((fn) => fn.name === sweepName)?.invocations).toBe(1);
      expect(run.requests?.filter((request) => request.operation === "Query").map((request) => request.caller)).toEqual(
        [sweepName],
      );
      expect(summary.byCaller.find((caller) => caller.caller === sweepName)).toMatchObject({
        label: "email-sweep",
        paymentPath: false,
      });
    } finally {
      await runtime.close();
    }
  }, 60_000);
});
