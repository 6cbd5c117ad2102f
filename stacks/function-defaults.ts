import { aws_logs as logs, type Stack } from "aws-cdk-lib";
import type { FunctionProps } from "sst/constructs";
import { FUNCTION_ESBUILD_OVERRIDES } from "./function-bundling";

/**
 * Node.js 24: SST 2.49.8's Function maps "nodejs24.x" to aws-cdk-lib's NODEJS_24_X, and its
 * esbuild build for ESM targets "esnext" whatever the runtime, so the bundle is the same. Node 22
 * leaves Lambda support in April 2027; Node 24 is the newer LTS line (upstream end of life April 2028).
 */
export const FUNCTION_RUNTIME = "nodejs24.x";

/**
 * What every payment3 function shares, whatever it does: runtime, architecture, ESM bundle with
 * source maps and UTF-8 text (stacks/function-bundling.ts), no X-Ray, Powertools' service name and log level, a log group kept three months.
 */
export function payment3FunctionProps(
  stack: Stack,
  logGroupId: string,
  props: {
    readonly environment: Readonly<Record<string, string>>;
    readonly serviceName: string;
    readonly logLevel: string;
  },
) {
  return {
    runtime: FUNCTION_RUNTIME,
    architecture: "arm_64",
    // Off: the code sends no X-Ray segments of its own, and active tracing would add
    // xray:PutTraceSegments / PutTelemetryRecords on "*" (X-Ray has no resource-level permissions).
    tracing: "disabled",
    nodejs: { format: "esm", minify: true, sourcemap: true, esbuild: FUNCTION_ESBUILD_OVERRIDES },
    environment: {
      ...props.environment,
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      POWERTOOLS_LOG_LEVEL: props.logLevel,
      // The source map ships next to the bundle; this makes stack traces point at the TypeScript.
      NODE_OPTIONS: "--enable-source-maps",
    },
    logGroup: new logs.LogGroup(stack, logGroupId, { retention: logs.RetentionDays.THREE_MONTHS }),
  } as const satisfies Partial<FunctionProps>;
}
