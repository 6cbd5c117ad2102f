import type { Logger } from "@aws-lambda-powertools/logger";
import { createProcessorDependencies, type Config, type ProcessorDependencies } from "@payment3/core";
import { createProcessorHandler, processorSubscription } from "@payment3/functions";
import type { LocalStack } from "../local-stack";
import { subscriptionResourceNames } from "../runtime/provision";
import type { FaultInjector } from "./fault-injector";
import type { LocalFunction } from "@payment3/aws-local";

export type CrashStep = "after-order-write" | "before-publish";

/** The processor "died" at a chosen step: nothing after it ran (no retryable failure is published for it). */
export class InjectedCrashError extends Error {
  override readonly name = "InjectedCrashError";
  constructor(
    readonly step: CrashStep,
    orderId: string | undefined,
  ) {
    super(
      `Injected crash ${step === "after-order-write" ? "after the order write" : "before the publish"} of order ${orderId ?? "?"} (local fault injection)`,
    );
  }
}

/**
 * The processor's dependencies with crashes:
 *
 * - `crash-after-order-write`: `orders.saveFinalOutcome` commits the write (a payment's outcome,
 *   with its header when applied), then throws.
 * - `crash-before-publish`: `publisher.publish` throws before anything is sent.
 *
 * Either way the handler fails and the platform retries the confirmation, which must then
 * finish the job ("a crash between the write and the publish is healed by the next delivery",
 * docs/design.md §Idempotency).
 */
export function withProcessorCrashes(
  dependencies: ProcessorDependencies,
  faults: FaultInjector,
): ProcessorDependencies {
  return {
    ...dependencies,
    orders: {
      getOrder: (orderId) => dependencies.orders.getOrder(orderId),
      async saveFinalOutcome(orderAsRead, write) {
        await dependencies.orders.saveFinalOutcome(orderAsRead, write);
        const { orderId } = orderAsRead;
        const site = {
          operation: "saveFinalOutcome",
          resource: "processor",
          orderIds: [orderId],
          key: `saveFinalOutcome|${orderId}|${write.paymentId}`,
        };
        if (faults.decide("crash-after-order-write", site)) throw new InjectedCrashError("after-order-write", orderId);
      },
    },
    publisher: {
      async publish(entries) {
        const details = entries.map(
          (entry) =>
            JSON.parse(entry.Detail) as { orderId?: string; paymentId?: string | null; idempotencyKey?: string },
        );
        const orderIds = details.flatMap((detail) => (typeof detail.orderId === "string" ? [detail.orderId] : []));
        const site = {
          operation: "publish",
          resource: "processor",
          orderIds,
          key: `publish|${details.map((detail) => detail.idempotencyKey).join(",")}`,
        };
        if (faults.decide("crash-before-publish", site)) throw new InjectedCrashError("before-publish", orderIds[0]);
        return dependencies.publisher.publish(entries);
      },
    },
  };
}

/**
 * Replaces the processor in the stack's functions with the registry's processor handler built on
 * crash-injecting dependencies (the same handler and adapters, only wrapped). Call after the
 * subscriptions are registered.
 */
export function installProcessorCrashes(
  stack: LocalStack,
  config: Config,
  faults: FaultInjector,
  logger: Logger,
): void {
  const { functionName, serviceName } = subscriptionResourceNames(config, processorSubscription);
  const childLogger = logger.createChild({ serviceName });
  const dependencies = withProcessorCrashes(createProcessorDependencies(config, { logger: childLogger }), faults);
  stack.functions.set(functionName, createProcessorHandler(() => dependencies, childLogger) as LocalFunction);
}
