import { InvokeCommand, type InvokeCommandOutput, type LambdaClient } from "@aws-sdk/client-lambda";
import { describeError } from "../aws/aws-error";
import { isJsonObject, readJsonText } from "../json-text";

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

/** calculate-cost failed or answered something unusable. Always `transient`: it is another team's service, a later attempt may succeed. */
export class CostCalculationError extends Error {
  override readonly name = "CostCalculationError";
  readonly code = "COST_CALCULATION_FAILED";
  readonly transient = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface LambdaCostCalculatorDependencies {
  readonly lambda: LambdaClient;
  readonly functionName: string;
}

const preview = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}...` : text);

/**
 * calculate-cost through Lambda Invoke (RequestResponse). The order goes in as stored, as the
 * legacy function sent it (its own `basketName` and `orderDate` untouched); the answer is
 * `{statusCode, body}` with the priced order in `body` (an object or a JSON string).
 */
export function createLambdaCostCalculator({ lambda, functionName }: LambdaCostCalculatorDependencies): CostCalculator {
  return {
    async recalculate(order) {
      const request = order;
      const fail = (what: string, cause?: unknown) =>
        new CostCalculationError(`calculate-cost function ${functionName} ${what} for order ${order.orderId}`, {
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
        throw fail(`could not be invoked: ${describeError(error)}`, error);
      }
      const payloadText = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
      if (response.FunctionError) {
        throw fail(`raised ${response.FunctionError}: ${preview(payloadText)}`);
      }
      const reading = readJsonText(payloadText);
      const payload =
        reading.ok && typeof reading.value === "object" && reading.value !== null
          ? (reading.value as { statusCode?: unknown; body?: unknown })
          : undefined;
      if (payload === undefined) {
        throw fail(`returned a payload that is not a JSON object: ${preview(payloadText) || "(empty)"}`);
      }
      if (payload.statusCode !== 200) {
        throw fail(
          `returned statusCode ${JSON.stringify(payload.statusCode)} with body ${preview(JSON.stringify(payload.body) ?? "")}`,
        );
      }
      const body = readJsonText(payload.body);
      if (!body.ok || !isJsonObject(body.value)) {
        throw fail(`returned a body that is not an order object: ${preview(JSON.stringify(payload.body) ?? "(none)")}`);
      }
      // The order id is ours; calculate-cost may echo it as a number.
      return { ...body.value, orderId: order.orderId };
    },
  };
}
