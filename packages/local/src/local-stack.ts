import { startAwsLocal, type AwsLocal, type AwsLocalOptions, type LocalFunction } from "@payment3/aws-local";
import {
  CALCULATE_COST_FUNCTION_NAME,
  calculateCostStandIn,
  createBusinessMetricsCounter,
  type BusinessMetricsCounter,
} from "@payment3/core";
import {
  withCalculateCostFaults,
  withDynamoDbFaults,
  withSesFaults,
  withSnsFaults,
  putEventsFaultHook,
  lambdaInvokeFaultHook,
  type FaultInjector,
} from "./faults/index";
import { createLocalConsole, type LocalConsole } from "./console/console-service";
import { createAdminService } from "./runtime/admin-service";

export interface LocalStackOptions extends Omit<AwsLocalOptions, "wrap" | "extraServices"> {
  /**
   * Fault injection for tests (see `faults/`): DynamoDB, PutEvents, calculate-cost, SES, SNS and
   * the functions' asynchronous Invoke consult it on every call. Absent by default, and then nothing is wrapped.
   */
  readonly faults?: FaultInjector;
  /** The business counts the operator API serves (`GET /_local/business-metrics`); the runtime shares it with its subscriptions. A new, empty one by default. */
  readonly businessMetrics?: BusinessMetricsCounter;
}

/** The local AWS services with what payment3 adds: the calculate-cost stand-in, fault hooks, the admin API, the console. */
export type LocalStack = AwsLocal & {
  /** The local console at `/_local/console/` and the flow it records. */
  readonly console: LocalConsole;
};

/**
 * Starts the AWS services the system uses offline behind one HTTP endpoint (see `startAwsLocal`),
 * with the calculate-cost stand-in served by Lambda Invoke, the operator's admin API, and the
 * fault hooks when `faults` is given. The unmodified SDK clients reach all of them with `endpoint: stack.url`.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const { faults, businessMetrics = createBusinessMetricsCounter(), ...awsLocalOptions } = options;
  let localConsole: LocalConsole | undefined;
  const stack = await startAwsLocal({
    ...awsLocalOptions,
    functions: new Map<string, LocalFunction>([
      [
        CALCULATE_COST_FUNCTION_NAME,
        withCalculateCostFaults(calculateCostStandIn, faults, { functionName: CALCULATE_COST_FUNCTION_NAME }),
      ],
      ...(options.functions ?? []),
    ]),
    eventBridge: { ...(faults ? { putEventsFaults: putEventsFaultHook(faults) } : {}), ...options.eventBridge },
    lambdaAsync: { ...(faults ? { invokeFaults: lambdaInvokeFaultHook(faults) } : {}), ...options.lambdaAsync },
    ...(faults
      ? {
          wrap: {
            dynamoDb: (service) => withDynamoDbFaults(service, faults),
            ses: (ses) => withSesFaults(ses, faults),
            sns: (sns) => withSnsFaults(sns, faults),
          },
        }
      : {}),
    extraServices: (eventBridge, lambdaAsync) => {
      localConsole = createLocalConsole(eventBridge, lambdaAsync, options.host ? { host: options.host } : {});
      return [localConsole.service, createAdminService(eventBridge, lambdaAsync, businessMetrics)];
    },
  });
  return Object.assign(stack, { console: localConsole! });
}
