import type { LocalFunction } from "@payment3/aws-local";
import { requestCaller } from "./request-counter";

/** Invocations and durations of one in-process Lambda function. */
export interface FunctionProbe {
  readonly invocations: number;
  readonly failures: number;
  readonly durationsMs: number[];
}

/**
 * Wraps the functions the local runtime runs (rule targets and Lambda Invoke look them up by
 * name at each call), counting invocations and timing each; `onSuccess` sees the payload and
 * the time the function returned. With `nameRequestCaller`, each invocation runs as the caller of
 * the requests it sends (`requestCaller`, which the request counter reads): that async context
 * makes every promise in the process slower, so a timed pass leaves it off. `restore()` puts the
 * originals back.
 */
export function probeFunctions(
  functions: Map<string, LocalFunction>,
  names: readonly string[],
  options: {
    readonly nameRequestCaller: boolean;
    readonly onSuccess?: (name: string, payload: unknown, finishedAt: number) => void;
  },
): { readonly probes: ReadonlyMap<string, FunctionProbe>; restore(): void } {
  const onSuccess = options.onSuccess ?? (() => undefined);
  const originals = new Map<string, LocalFunction>();
  const probes = new Map<string, { invocations: number; failures: number; durationsMs: number[] }>();
  for (const name of names) {
    const original = functions.get(name);
    if (!original) throw new Error(`no local function ${name} to probe; is the subscription registered?`);
    originals.set(name, original);
    const probe = { invocations: 0, failures: 0, durationsMs: [] as number[] };
    probes.set(name, probe);
    functions.set(name, async (payload, context) => {
      probe.invocations += 1;
      const started = performance.now();
      try {
        const result = options.nameRequestCaller
          ? await requestCaller.run(name, () => original(payload, context))
          : await original(payload, context);
        const finishedAt = performance.now();
        probe.durationsMs.push(finishedAt - started);
        onSuccess(name, payload, finishedAt);
        return result;
      } catch (error) {
        probe.failures += 1;
        throw error;
      }
    });
  }
  return {
    probes,
    restore() {
      for (const [name, original] of originals) functions.set(name, original);
      // Until every AsyncLocalStorage is disabled, Node keeps the promise hooks on and every later pass pays for them.
      if (options.nameRequestCaller) requestCaller.disable();
    },
  };
}
