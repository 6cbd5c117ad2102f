import type { FaultInjector, FaultSite } from "./fault-injector";
import type { LocalFunction } from "@payment3/aws-local";

/** What a subscriber throws while it is down. */
export class SubscriberOutageError extends Error {
  override readonly name = "SubscriberOutageError";
  constructor(readonly functionName: string) {
    super(`Injected outage: ${functionName} is down (local fault injection)`);
  }
}

export interface SubscriberOutage {
  readonly functionName: string;
  /** Invocations that failed because of this outage so far. */
  readonly failedInvocations: number;
  /** Puts the real function back (idempotent). */
  end(): void;
}

/**
 * Takes a subscriber down: until `end()`, every invocation of `functionName` (rule target or
 * Lambda Invoke) throws SubscriberOutageError, so EventBridge retries and then dead-letters its
 * events. Each failed invocation is counted as a `subscriber-outage` fault.
 */
export function beginSubscriberOutage(
  functions: Map<string, LocalFunction>,
  functionName: string,
  faults?: FaultInjector,
): SubscriberOutage {
  const original = functions.get(functionName);
  if (!original)
    throw new RangeError(`no local function ${functionName} to take down; known: ${[...functions.keys()].join(", ")}`);
  let failedInvocations = 0;
  const down: LocalFunction = (event) => {
    failedInvocations += 1;
    const detail = (event as { detail?: { orderId?: unknown; idempotencyKey?: unknown } } | null)?.detail;
    const site: FaultSite = {
      operation: "Invoke",
      resource: functionName,
      ...(typeof detail?.orderId === "string" ? { orderIds: [detail.orderId] } : {}),
      key: `Invoke|${functionName}|${String(detail?.idempotencyKey ?? "")}`,
    };
    faults?.record("subscriber-outage", site);
    throw new SubscriberOutageError(functionName);
  };
  functions.set(functionName, down);
  return {
    functionName,
    get failedInvocations() {
      return failedInvocations;
    },
    end() {
      if (functions.get(functionName) === down) functions.set(functionName, original);
    },
  };
}

/** A subscriber outage for `durationMs`, then the real function is back; resolves when it is. */
export async function subscriberOutageFor(
  functions: Map<string, LocalFunction>,
  functionName: string,
  durationMs: number,
  faults?: FaultInjector,
): Promise<SubscriberOutage> {
  const outage = beginSubscriberOutage(functions, functionName, faults);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  outage.end();
  return outage;
}
