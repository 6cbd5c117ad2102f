import type { FaultInjector, FaultSite } from "./fault-injector";
import { unitHash } from "./seeded-random";
import { EventBridgeError, type PutEventsFaultHook, type PutEventsRequestEntry } from "@payment3/aws-local";

/** PutEvents failed as a whole: HTTP 500 `InternalException`, which the SDK retries. */
export class InjectedInternalException extends EventBridgeError {
  override readonly name = "InjectedInternalException";
  readonly code = "InternalException";
  override readonly httpStatus = 500;
}

/**
 * The local EventBridge's PutEvents with faults (its `putEventsFaults` option):
 *
 * - `put-events-total`: the request answers 500 `InternalException` and no entry is accepted.
 * - `put-events-partial`: an entry answers `InternalFailure` (200, `FailedEntryCount` > 0) and
 *   is not accepted, while the request's other entries are, as a real partial failure.
 *
 * Requests and entries the bus would reject anyway keep their own error.
 */
export function putEventsFaultHook(faults: FaultInjector): PutEventsFaultHook {
  return {
    beforeRequest(request) {
      const site: FaultSite = {
        operation: "PutEvents",
        resource: request.Entries[0]?.EventBusName ?? "default",
        orderIds: request.Entries.flatMap((entry) => orderIdOf(entry) ?? []),
        key: `PutEvents|${request.Entries.map(entryKey).join(",")}`,
      };
      if (faults.decide("put-events-total", site)) {
        throw new InjectedInternalException(
          "Injected fault: EventBridge had an internal error; retry the request (local fault injection).",
        );
      }
    },
    failEntry(entry) {
      const orderId = orderIdOf(entry);
      const site: FaultSite = {
        operation: "PutEvents",
        resource: entry.EventBusName ?? "default",
        ...(orderId ? { orderIds: [orderId] } : {}),
        key: `PutEventsEntry|${entryKey(entry)}`,
      };
      return faults.decide("put-events-partial", site)
        ? {
            ErrorCode: "InternalFailure",
            ErrorMessage: "Injected fault: the entry failed with an internal error; retry it (local fault injection).",
          }
        : undefined;
    },
  };
}

/** The same entry sent again (by a retry) has the same key. */
function entryKey(entry: PutEventsRequestEntry): string {
  return unitHash(entry.Source ?? "", entry.DetailType ?? "", entry.Detail ?? "")
    .toString(36)
    .slice(2);
}

function orderIdOf(entry: PutEventsRequestEntry): string | undefined {
  try {
    const detail = JSON.parse(entry.Detail ?? "") as { orderId?: unknown };
    return typeof detail.orderId === "string" || typeof detail.orderId === "number"
      ? String(detail.orderId)
      : undefined;
  } catch {
    return undefined;
  }
}
