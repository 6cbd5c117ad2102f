import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { describeError } from "../aws/aws-error";
import { isJsonObject, readJsonText } from "../json-text";
import { uncountedBusinessMetrics, type BusinessMetrics } from "../metrics/business-metrics";

/**
 * calculate-cost's `body`: the priced order. It need not echo what it does not compute (the
 * customer, `basketName`, `orderDate`, even `orderId`); the processor adds what the legacy
 * function added.
 */
export type PricedOrder = Record<string, unknown> & { orderId: string; grandTotal?: unknown };

/** Recalculates an order's cost. An interface because tests inject faults into it. */
export interface CostCalculator {
  recalculate(order: Record<string, unknown> & { orderId: string }): Promise<PricedOrder>;
}

/**
 * How a calculate-cost call failed (the `kind` dimension of `CalculateCostFailed`):
 * - `INVOKE_FAILED`: Lambda Invoke itself failed (network, throttling, permissions): the function may not have run.
 * - `FUNCTION_ERROR`: the function raised or timed out (Lambda's `FunctionError`).
 * - `ERROR_STATUS`: the function answered a `statusCode` other than 200 (it refused or could not price the order).
 * - `BAD_ANSWER`: the answer is not `{statusCode: 200, body: <order>}`.
 */
export const COST_CALCULATION_FAILURE_KINDS = [
  "INVOKE_FAILED",
  "FUNCTION_ERROR",
  "ERROR_STATUS",
  "BAD_ANSWER",
] as const;

export type CostCalculationFailureKind = (typeof COST_CALCULATION_FAILURE_KINDS)[number];

/** calculate-cost failed or answered something unusable. Always `transient`: it is another team's service, a later attempt may succeed. */
export class CostCalculationError extends Error {
  override readonly name = "CostCalculationError";
  readonly code = "COST_CALCULATION_FAILED";
  readonly transient = true;
  constructor(
    message: string,
    readonly kind: CostCalculationFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface LambdaCostCalculatorDependencies {
  readonly lambda: LambdaClient;
  readonly functionName: string;
  /** Receives each call's latency (`CalculateCostLatency`, ms) and each failure (`CalculateCostFailed` by kind). */
  readonly metrics?: BusinessMetrics;
  /** Milliseconds for measuring a call; `performance.now` unless a test fixes it. */
  readonly clock?: () => number;
}

const preview = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text);

/**
 * calculate-cost through Lambda Invoke (RequestResponse). The order goes in as stored, as the
 * legacy function sent it (its own `basketName` and `orderDate` untouched); the answer is
 * `{statusCode, body}` with the priced order in `body` (an object or a JSON string). Every call's
 * latency and every failure, by kind, go to `metrics`.
 */
export function createLambdaCostCalculator({
  metrics = uncountedBusinessMetrics,
  clock = () => performance.now(),
  ...dependencies
}: LambdaCostCalculatorDependencies): CostCalculator {
  return {
    async recalculate(order) {
      const started = clock();
      try {
        return await invokeCalculateCost(dependencies, order);
      } catch (error) {
        if (error instanceof CostCalculationError) metrics.count("CalculateCostFailed", { kind: error.kind });
        throw error;
      } finally {
        metrics.record("CalculateCostLatency", clock() - started, "Milliseconds");
      }
    },
  };
}

/** One Invoke of calculate-cost, its answer read; every failure is a CostCalculationError of its kind. */
async function invokeCalculateCost(
  { lambda, functionName }: Pick<LambdaCostCalculatorDependencies, "lambda" | "functionName">,
  order: Record<string, unknown> & { orderId: string },
): Promise<PricedOrder> {
  const request = order;
  const fail = (kind: CostCalculationFailureKind, what: string, cause?: unknown) =>
    new CostCalculationError(`calculate-cost function ${functionName} ${what} for order ${order.orderId}`, kind, {
      cause,
    });
  let response: InvokeCommandOutput;
  try {
    response = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "RequestResponse",
        Payload: Buffer.from(JSON.stringify(request)),
      }),
    );
  } catch (error) {
    throw fail("INVOKE_FAILED", `could not be invoked: ${describeError(error)}`, error);
  }
  const payloadText = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
  if (response.FunctionError) {
    throw fail("FUNCTION_ERROR", `raised ${response.FunctionError}: ${preview(payloadText)}`);
  }
  const reading = readJsonText(payloadText);
  const payload =
    reading.ok && typeof reading.value === "object" && reading.value !== null
      ? (reading.value as { statusCode?: unknown; body?: unknown })
      : undefined;
  if (payload === undefined) {
    throw fail("BAD_ANSWER", `returned a payload that is not a JSON object: ${preview(payloadText) || "(empty)"}`);
  }
  if (payload.statusCode !== 200) {
    throw fail(
      "ERROR_STATUS",
      `returned statusCode ${JSON.stringify(payload.statusCode)} with body ${preview(JSON.stringify(payload.body) ?? "")}`,
    );
  }
  const body = readJsonText(payload.body);
  if (!body.ok || !isJsonObject(body.value)) {
    throw fail(
      "BAD_ANSWER",
      `returned a body that is not an order object: ${preview(JSON.stringify(payload.body) ?? "(none)")}`,
    );
  }
  // The order id is ours; calculate-cost may echo it as a number.
  return { ...body.value, orderId: order.orderId };
}
