import type { Context } from "aws-lambda";
import type { LocalFunction } from "@payment3/aws-local";
import { describe, expect, it } from "vitest";
import { probeFunctions } from "./function-probe";
import { requestCaller } from "./request-counter";

const NAME = "payment3-dev-processor";

/**
 * A function that answers with the request caller it runs as (after an await, as an SDK call would), and leaves work
 * behind that reads the caller again once `gate` resolves, as a late retry would.
 */
function functionReadingItsCaller(gate: Promise<void>): { readonly fn: LocalFunction; callerLater(): Promise<string> } {
  let callerLater: Promise<string> = Promise.resolve("not invoked");
  return {
    fn: async () => {
      callerLater = gate.then(() => requestCaller.getStore() ?? "no caller");
      await Promise.resolve();
      return requestCaller.getStore() ?? "no caller";
    },
    callerLater: () => callerLater,
  };
}

describe("probeFunctions", () => {
  it("runs each invocation as the caller of its requests when asked, and restore() ends that async context", async () => {
    // Prepare
    let openGate = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });
    const reader = functionReadingItsCaller(gate);
    const functions = new Map([[NAME, reader.fn]]);
    const probe = probeFunctions(functions, [NAME], { nameRequestCaller: true });

    // Act
    const caller = await functions.get(NAME)!({}, {} as Context);
    probe.restore();
    openGate();

    // Assert
    expect(caller).toBe(NAME);
    expect(await reader.callerLater()).toBe("no caller");
    expect(probe.probes.get(NAME)?.invocations).toBe(1);
    expect(functions.get(NAME)).toBe(reader.fn);
  });

  it("runs each invocation without a caller when not asked (the timed passes)", async () => {
    // Prepare
    const reader = functionReadingItsCaller(Promise.resolve());
    const functions = new Map([[NAME, reader.fn]]);
    const probe = probeFunctions(functions, [NAME], { nameRequestCaller: false });

    // Act
    const caller = await functions.get(NAME)!({}, {} as Context);
    probe.restore();

    // Assert
    expect(caller).toBe("no caller");
    expect(probe.probes.get(NAME)?.invocations).toBe(1);
    expect(probe.probes.get(NAME)?.durationsMs).toHaveLength(1);
  });
});
