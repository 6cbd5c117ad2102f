import { PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { subscriptionResourceNames, type LocalRuntime } from "@payment3/local";
import { CALCULATE_COST_FUNCTION_NAME } from "@payment3/core";
import { compileEventPattern, type CompiledEventPattern } from "../packages/aws-local/src/event-pattern/index";
import { buildWorkload } from "./bench-orders";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";
import { probeFunctions } from "./function-probe";
import { countEndpointRequests, type RequestCount } from "./request-counter";
import { distributionOf, roundTo, type Distribution } from "./statistics";
import { mainThreadCpuMs } from "./thread-cpu";

export interface EndToEndOptions {
  readonly confirmations: number;
  /** Confirmations in flight at once (a closed loop: each caller publishes its next one when its last one is done). */
  readonly concurrency: number;
  readonly firstOrderId: number;
  /** A confirmation not done by then counts as timed out. */
  readonly completionTimeoutMs: number;
  /**
   * Count every request the endpoint serves, by the function that sent it. That runs each invocation in an async
   * context (`requestCaller`), which makes every promise in the process slower: a pass whose times or CPU are reported
   * leaves it off, and a separate pass of the same mix counts.
   */
  readonly countRequests: boolean;
  readonly log: (message: string) => void;
}

export interface FunctionFigures {
  readonly name: string;
  readonly invocations: number;
  readonly failures: number;
  readonly durationMs: Distribution;
}

export interface EndToEndResult {
  readonly confirmations: number;
  readonly uniqueOrders: number;
  readonly paid: number;
  readonly declined: number;
  readonly duplicates: number;
  readonly concurrency: number;
  readonly elapsedSeconds: number;
  readonly throughputPerSecond: number;
  /** From just before PutEvents to the last subscriber that the outcome reaches (audit row, email) having returned. */
  readonly latencyMs: Distribution;
  /** Confirmations per latency bin of `binMs`, from 0; the last bin also holds every slower one. */
  readonly latencyHistogram: { readonly binMs: number; readonly counts: readonly number[] };
  /** Confirmations completed in each second of the run. */
  readonly throughputOverTime: readonly { readonly second: number; readonly completed: number }[];
  readonly timedOut: number;
  /** CPU time of this process (every function, every emulated service, the callers) per confirmation. */
  readonly cpuMsPerConfirmation: number;
  /** CPU time / wall time during the run: 1.0 is one core busy all the time. */
  readonly cpuCoresBusy: number;
  /**
   * CPU time of the main thread alone per confirmation (the functions, the endpoint and the services on it; not
   * dynalite's worker): 1000 / this bounds the throughput when that thread has a core to itself. Linux only.
   */
  readonly mainThreadCpuMsPerConfirmation?: number;
  readonly checks: {
    readonly auditRows: { readonly expected: number; readonly actual: number };
    readonly emailsSent: { readonly expected: number; readonly actual: number };
    readonly snsMessages: { readonly expected: number; readonly actual: number };
    readonly deadLetters: number;
    readonly failedDeliveryAttempts: number;
  };
  /** The in-process Lambda functions: rule targets and calculate-cost. */
  readonly functions: readonly FunctionFigures[];
  /** Every request the endpoint served during the run, by the function that sent it: only when `countRequests`. */
  readonly requests?: readonly RequestCount[];
}

interface Completion {
  expected?: ReadonlySet<string>;
  readonly done: Set<string>;
  lastDoneAt: number;
  completedAt?: number;
  waiter?: (completedAt: number) => void;
}

/**
 * Knows when a confirmation is done: its outcome event names it (`confirmationEventId`), the
 * registry's patterns say which subscribers that outcome reaches, and it is done when each of
 * them has returned.
 */
class CompletionTracker {
  private readonly completions = new Map<string, Completion>();

  constructor(
    private readonly subscribers: readonly { readonly name: string; readonly pattern: CompiledEventPattern }[],
  ) {}

  outcomeAccepted(event: unknown, at: number): void {
    const id = confirmationIdOf(event);
    if (!id) return;
    const completion = this.completionOf(id);
    if (completion.expected) return;
    completion.expected = new Set(
      this.subscribers.filter((subscriber) => subscriber.pattern.matches(event)).map((subscriber) => subscriber.name),
    );
    this.check(completion, at);
  }

  handled(subscriber: string, event: unknown, at: number): void {
    const id = confirmationIdOf(event);
    if (!id) return;
    const completion = this.completionOf(id);
    completion.done.add(subscriber);
    completion.lastDoneAt = Math.max(completion.lastDoneAt, at);
    this.check(completion, at);
  }

  /** Resolves with the completion time, or undefined after `timeoutMs`. */
  waitFor(confirmationEventId: string, timeoutMs: number): Promise<number | undefined> {
    const completion = this.completionOf(confirmationEventId);
    if (completion.completedAt !== undefined) return Promise.resolve(completion.completedAt);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      completion.waiter = (completedAt) => {
        clearTimeout(timer);
        resolve(completedAt);
      };
    });
  }

  private completionOf(id: string): Completion {
    let completion = this.completions.get(id);
    if (!completion) {
      completion = { done: new Set(), lastDoneAt: 0 };
      this.completions.set(id, completion);
    }
    return completion;
  }

  private check(completion: Completion, at: number): void {
    if (completion.completedAt !== undefined || !completion.expected) return;
    if (![...completion.expected].every((name) => completion.done.has(name))) return;
    completion.completedAt = completion.expected.size === 0 ? at : completion.lastDoneAt;
    completion.waiter?.(completion.completedAt);
  }
}

function confirmationIdOf(event: unknown): string | undefined {
  const detail = (event as { detail?: { confirmationEventId?: unknown } } | undefined)?.detail;
  return typeof detail?.confirmationEventId === "string" ? detail.confirmationEventId : undefined;
}

async function runWithConcurrency<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index]!, index);
      }
    }),
  );
}

async function countItems(runtime: LocalRuntime, table: string): Promise<number> {
  const { documentClient } = createAwsClients({ region: runtime.config.region, endpoint: runtime.url });
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(
      new ScanCommand({ TableName: table, Select: "COUNT", ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

/**
 * Publishes the confirmations through the callbacks' publisher against the running local
 * runtime, `concurrency` at a time, and times each from PutEvents until every subscriber its
 * outcome reaches has returned (the audit row and the email written). With `countRequests`, counts
 * every request the endpoint serves meanwhile, by the function that sent it.
 */
export async function runEndToEnd(runtime: LocalRuntime, options: EndToEndOptions): Promise<EndToEndResult> {
  const { stack, config } = runtime;
  const workload = buildWorkload(options.confirmations, options.firstOrderId);
  const { documentClient, eventBridge } = createAwsClients({ region: config.region, endpoint: runtime.url });
  options.log(`end-to-end: seeding ${workload.orders.length} orders`);
  await runWithConcurrency(workload.orders, 16, async (order) => {
    await documentClient.send(new PutCommand({ TableName: config.orderTableName, Item: order }));
  });
  const auditRowsBefore = await countItems(runtime, config.auditLogTableName);
  const emailsBefore = (await stack.ses.listSentEmails()).length;
  const snsBefore = stack.sns.listPublishedMessages().length;
  const deadLettersBefore = stack.eventBridge.deadLetters.size;
  const failedAttemptsBefore = stack.eventBridge.getStatistics().deliveries.failedAttempts;

  const functionName = (subscription: (typeof DEPLOYED_FUNCTIONS)[number]) =>
    subscriptionResourceNames(config, subscription).functionName;
  const subscribers = SUBSCRIPTIONS.filter((subscription) => subscription.name !== "processor");
  const tracker = new CompletionTracker(
    subscribers.map((subscription) => ({
      name: functionName(subscription),
      pattern: compileEventPattern(subscription.eventPattern),
    })),
  );
  const subscriberNames = new Set(subscribers.map(functionName));
  // Every deployed function, so a scheduled one (the email sweep) firing during the run has its requests counted
  // under its own name, not the callers'.
  const probe = probeFunctions(
    stack.functions,
    [...DEPLOYED_FUNCTIONS.map(functionName), CALCULATE_COST_FUNCTION_NAME],
    {
      nameRequestCaller: options.countRequests,
      onSuccess: (name, payload, finishedAt) => {
        if (subscriberNames.has(name)) tracker.handled(name, payload, finishedAt);
      },
    },
  );
  const unsubscribe = stack.eventBridge.onEventAccepted((accepted) => {
    if (accepted.eventBusName === config.eventBusName) tracker.outcomeAccepted(accepted.event, performance.now());
  });
  const counter = options.countRequests ? countEndpointRequests(stack.endpoint.server) : undefined;
  const publisher = createEventBridgePublisher({ client: eventBridge, sizeLimitBytes: config.eventSizeLimitBytes });

  options.log(`end-to-end: ${options.confirmations} confirmations, ${options.concurrency} in flight`);
  const latencies: number[] = [];
  const completedAt: number[] = [];
  let timedOut = 0;
  const cpuBefore = process.cpuUsage();
  const mainThreadCpuBefore = mainThreadCpuMs();
  const started = performance.now();
  await runWithConcurrency(workload.confirmations, options.concurrency, async (confirmation) => {
    const sentAt = performance.now();
    const published = await publishWalletPaymentConfirmed(confirmation.input, {
      publisher,
      eventBusName: config.eventBusName,
    });
    const doneAt = await tracker.waitFor(published.eventId, options.completionTimeoutMs);
    if (doneAt === undefined) {
      timedOut += 1;
      return;
    }
    latencies.push(doneAt - sentAt);
    completedAt.push(doneAt - started);
  });
  const elapsedMs = Math.max(...completedAt, 1);
  const cpu = process.cpuUsage(cpuBefore);
  const mainThreadCpuAfter = mainThreadCpuMs();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  await stack.eventBridge.whenIdle();
  const requests = counter?.stop();
  unsubscribe();
  probe.restore();

  const kinds = (kind: string) => workload.confirmations.filter((confirmation) => confirmation.kind === kind).length;
  const withEmail = new Set(
    workload.orders
      .filter((order) => (order.customer as { email?: string }).email)
      .map((order) => String(order.orderId)),
  );
  const firstDeliveries = workload.confirmations.filter((confirmation) => confirmation.kind !== "duplicate");
  const seconds = Math.ceil(elapsedMs / 1000);
  const throughputOverTime = Array.from({ length: seconds }, (_, second) => ({
    second: second + 1,
    completed: completedAt.filter((at) => at >= second * 1000 && at < (second + 1) * 1000).length,
  }));
  const binMs = latencyBinMs(latencies);
  // About 40 bins reach the p99; the last of at most 60 also holds everything slower.
  const counts = new Array<number>(Math.min(60, Math.ceil((Math.max(0, ...latencies) + 1e-9) / binMs) || 1)).fill(0);
  for (const latency of latencies) counts[Math.min(counts.length - 1, Math.floor(latency / binMs))]! += 1;

  return {
    confirmations: options.confirmations,
    uniqueOrders: workload.orders.length,
    paid: kinds("paid"),
    declined: kinds("declined"),
    duplicates: kinds("duplicate"),
    concurrency: options.concurrency,
    elapsedSeconds: roundTo(elapsedMs / 1000, 3),
    throughputPerSecond: roundTo(latencies.length / (elapsedMs / 1000), 1),
    latencyMs: distributionOf(latencies),
    latencyHistogram: { binMs, counts },
    throughputOverTime,
    timedOut,
    cpuMsPerConfirmation: roundTo(cpuMs / options.confirmations, 2),
    cpuCoresBusy: roundTo(cpuMs / elapsedMs, 2),
    ...(mainThreadCpuBefore !== undefined && mainThreadCpuAfter !== undefined
      ? {
          mainThreadCpuMsPerConfirmation: roundTo(
            (mainThreadCpuAfter - mainThreadCpuBefore) / options.confirmations,
            2,
          ),
        }
      : {}),
    checks: {
      auditRows: {
        expected: firstDeliveries.length,
        actual: (await countItems(runtime, config.auditLogTableName)) - auditRowsBefore,
      },
      emailsSent: {
        expected: firstDeliveries.filter((c) => withEmail.has(c.input.orderId)).length,
        actual: (await stack.ses.listSentEmails()).length - emailsBefore,
      },
      snsMessages: { expected: firstDeliveries.length, actual: stack.sns.listPublishedMessages().length - snsBefore },
      deadLetters: stack.eventBridge.deadLetters.size - deadLettersBefore,
      failedDeliveryAttempts: stack.eventBridge.getStatistics().deliveries.failedAttempts - failedAttemptsBefore,
    },
    // A function that did not run (the sweep, when no schedule fell in the run) has no figures to give.
    functions: [...probe.probes]
      .filter(([, figures]) => figures.invocations > 0)
      .map(([name, figures]) => ({
        name,
        invocations: figures.invocations,
        failures: figures.failures,
        durationMs: distributionOf(figures.durationsMs),
      })),
    ...(requests ? { requests } : {}),
  };
}

/** The checks of the mix that did not hold in a run, e.g. `1 dead letter(s)`; empty when all held. */
export function failedChecks(run: EndToEndResult): string[] {
  const { auditRows, emailsSent, snsMessages, deadLetters } = run.checks;
  const counted = (name: string, check: { expected: number; actual: number }) =>
    check.actual === check.expected ? [] : [`${check.actual} of ${check.expected} ${name}`];
  return [
    ...(run.timedOut > 0 ? [`${run.timedOut} timed out`] : []),
    ...(deadLetters > 0 ? [`${deadLetters} dead letter(s)`] : []),
    ...counted("audit rows", auditRows),
    ...counted("emails", emailsSent),
    ...counted("SNS messages", snsMessages),
  ];
}

/** A bin width giving about 40 bins up to the p99, rounded to 1, 2 or 5 × 10^n ms. */
function latencyBinMs(latencies: readonly number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? sorted.at(-1) ?? 1;
  const raw = Math.max(p99 / 40, 0.1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  return roundTo([1, 2, 5, 10].map((step) => step * magnitude).find((width) => width >= raw)!, 3);
}
