import type { FaultInjector, FaultSite } from "./fault-injector";
import { unitHash } from "./seeded-random";
import type { LocalFunction } from "@payment3/aws-local";

/** What Lambda reports when a function runs past its timeout (the invoker sees FunctionError "Unhandled"). */
export class LambdaTimeoutError extends Error {
  override readonly name = "Sandbox.Timedout";
  constructor(timeoutMs: number) {
    super(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds (local fault injection)`);
  }
}

export interface CalculateCostFaultOptions {
  /** The function's name, for the fault site. */
  readonly functionName: string;
  /**
   * How long a timed-out invocation runs before Lambda ends it. Stands in for calculate-cost's own
   * timeout (seconds on AWS); default 50 ms so a test does not wait.
   */
  readonly timeoutMs?: number;
}

/**
 * calculate-cost with faults, for Lambda Invoke and rule targets alike:
 *
 * - `calculate-cost-error`: answers `{statusCode: 503}` (the function's own error answer), or,
 *   for every other fault, raises (Lambda answers 200 with FunctionError "Unhandled").
 * - `calculate-cost-timeout`: runs for `timeoutMs`, then ends as Lambda ends a function that
 *   passed its timeout: FunctionError with `Sandbox.Timedout` / "Task timed out after ...". The
 *   processor's LambdaClient keeps the SDK's default (no client-side request timeout), so on AWS
 *   this is how a slow calculate-cost reaches it; a socket that never answers cannot happen there.
 *
 * Without an injector the function is returned as is.
 */
export function withCalculateCostFaults(
  calculateCost: LocalFunction,
  faults: FaultInjector | undefined,
  options: CalculateCostFaultOptions,
): LocalFunction {
  if (!faults) return calculateCost;
  const timeoutMs = options.timeoutMs ?? 50;
  let errors = 0;
  return async (payload, context) => {
    const orderId = (payload as { orderId?: unknown } | null)?.orderId;
    const site: FaultSite = {
      operation: "Invoke",
      resource: options.functionName,
      ...(typeof orderId === "string" ? { orderIds: [orderId] } : {}),
      key: `Invoke|${options.functionName}|${typeof orderId === "string" ? orderId : unitHash(JSON.stringify(payload) ?? "")}`,
    };
    if (faults.decide("calculate-cost-timeout", site)) {
      await new Promise((resolve) => setTimeout(resolve, timeoutMs));
      throw new LambdaTimeoutError(timeoutMs);
    }
    if (faults.decide("calculate-cost-error", site)) {
      errors += 1;
      if (errors % 2 === 0) throw new Error("Injected fault: calculate-cost crashed (local fault injection)");
      return {
        statusCode: 503,
        body: JSON.stringify({ message: "Injected fault: calculate-cost is unavailable (local fault injection)" }),
      };
    }
    return calculateCost(payload, context);
  };
}
