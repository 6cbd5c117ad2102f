import { AsyncInvokeRejectedError, type AsyncInvokeFaultHook } from "@payment3/aws-local";
import type { FaultInjector, FaultSite } from "./fault-injector";

/**
 * The functions' asynchronous Invoke with faults (the local Lambda's `invokeFaults` option): `lambda-throttle`
 * refuses it with 429 `TooManyRequestsException`, as Lambda does when the function is out of concurrency. For a rule
 * target this is the invoke failing, not the function: EventBridge retries it per the target's RetryPolicy and
 * then dead-letters it in the rule's queue, and the function never runs.
 */
export function lambdaInvokeFaultHook(faults: FaultInjector): AsyncInvokeFaultHook {
  return ({ functionName, payload }) => {
    const event = (typeof payload === "object" && payload !== null ? payload : {}) as {
      id?: unknown;
      detail?: { orderId?: unknown };
    };
    const orderId = event.detail?.orderId;
    const site: FaultSite = {
      operation: "Invoke",
      resource: functionName,
      ...(typeof orderId === "string" ? { orderIds: [orderId] } : {}),
      // The event id stays the same across EventBridge's retries, so a burst keeps refusing the same delivery.
      key: `Invoke|${functionName}|${String(event.id ?? "")}`,
    };
    if (!faults.decide("lambda-throttle", site)) return undefined;
    return new AsyncInvokeRejectedError(
      "TooManyRequestsException",
      429,
      `Rate Exceeded. (injected: ${functionName} throttled, local fault injection)`,
    );
  };
}
