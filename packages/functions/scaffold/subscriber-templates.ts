/** File contents for a new subscriber called `name` (kebab-case); `Name` is its PascalCase form. */
export function subscriberFiles(name: string): Record<string, string> {
  const pascal = name.replace(/(^|-)([a-z0-9])/g, (_m, _dash, c: string) => c.toUpperCase());
  const camel = pascal[0]!.toLowerCase() + pascal.slice(1);
  return {
    [`${name}-handler.ts`]: `import type { Logger } from "@aws-lambda-powertools/logger";
import { parseOrderOutcomeEvent, type OrderOutcomeEvent } from "@payment3/events";
import { lambdaHandler, outcomeLogKeys } from "../lambda-handler";

export interface ${pascal}Result {
  readonly orderId: string;
  readonly idempotencyKey: string;
}

/**
 * What ${name} does with one outcome. The same outcome can arrive more than once (retries,
 * re-publishes, archive replays): make every effect idempotent on \`outcome.detail.idempotencyKey\`.
 */
export async function handle${pascal}(outcome: OrderOutcomeEvent, logger: Logger): Promise<${pascal}Result> {
  logger.info("${name} received an outcome", { outcome: outcome["detail-type"] });
  return { orderId: outcome.detail.orderId, idempotencyKey: outcome.detail.idempotencyKey };
}

/** The Lambda handler: parse with the contract (a bad event throws and is dead-lettered), log context, then the work. */
export function create${pascal}Handler(logger: Logger) {
  return lambdaHandler({ logger, failureMessage: "${name} did not finish; the event will be retried or dead-lettered" }, async (event) => {
    const outcome = parseOrderOutcomeEvent(event);
    logger.appendKeys(outcomeLogKeys(outcome));
    return handle${pascal}(outcome, logger);
  });
}
`,
    [`${name}-subscription.ts`]: `import type { Logger } from "@aws-lambda-powertools/logger";
import type { Config } from "@payment3/core";
import { OrderPaidContract, PROCESSOR_SOURCE } from "@payment3/events";
import type { Subscription } from "../subscription";
import { create${pascal}Handler } from "./${name}-handler";

/** ${name}: which events its rule routes to it, and how they are retried. */
export const ${camel}Subscription = {
  name: "${name}",
  description: "${name} subscriber",
  eventPattern: { source: [PROCESSOR_SOURCE], "detail-type": [OrderPaidContract.detailType] },
  handler: "packages/functions/src/${name}/handler.handler",
  timeoutSeconds: 30,
  retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 6 * 3600 },
  deadLetterRetentionDays: 14,
  // List every resource the handler touches, e.g. { resource: "emailLogTable", actions: ["dynamodb:PutItem"] }.
  access: [],
  create(_config: Config, logger: Logger) {
    return create${pascal}Handler(logger);
  },
} as const satisfies Subscription;
`,
    "handler.ts": `import { Logger } from "@aws-lambda-powertools/logger";
import { loadConfig } from "@payment3/core";
import { ${camel}Subscription } from "./${name}-subscription";

const logger = new Logger({ serviceName: "payment3-${name}" });

/** Lambda entry point: target of the ${name} rule. */
export const handler = ${camel}Subscription.create(loadConfig(), logger);
`,
  };
}

/**
 * The local-bus test of a new subscriber called `name`. It lives in packages/local (the runtime
 * that runs every registered subscription), so packages/functions needs nothing from it.
 */
export function subscriberLocalTest(name: string): string {
  return `import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { createAwsClients, createEventBridgePublisher, publishWalletPaymentConfirmed } from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "../runtime/provision";

let stack: LocalStack;
const results: unknown[] = [];
const config = () => localConfig(stack, { BRANCH: "${name}-test" });

beforeAll(async () => {
  stack = await startLocalStack({ eventBridge: { retryBaseDelayMs: 2, logger: { warn() {} } }, lambdaAsync: { retryDelaysMs: [2, 4] } });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  // Record what the in-process function returns, to see it ran.
  const { functionName } = subscriptionResourceNames(config(), { name: "${name}" });
  const run = stack.functions.get(functionName)!;
  stack.functions.set(functionName, async (event, context) => {
    const result = await run(event, context);
    results.push(result);
    return result;
  });
  const { documentClient } = createAwsClients({ region: config().region, endpoint: stack.url });
  await documentClient.send(new PutCommand({ TableName: config().orderTableName, Item: { orderId: "4242", items: [{ quantity: 1, unitPrice: 100 }] } }));
});
afterAll(async () => {
  await stack?.close();
});

describe("${name} on the local bus", () => {
  it("receives OrderPaid for a paid order", async () => {
    const { eventBridge } = createAwsClients({ region: config().region, endpoint: stack.url });

    await publishWalletPaymentConfirmed({ orderId: "4242", paymentId: "p-4242", success: true, amount: 100 }, { publisher: createEventBridgePublisher({ client: eventBridge }), eventBusName: config().eventBusName });
    await stack.eventBridge.whenIdle();

    expect(results).toEqual([{ orderId: "4242", idempotencyKey: "4242:p-4242:OrderPaid" }]);
    // Neither a rule dead letter (a refused invoke) nor an on-failure record (the function threw).
    expect([...stack.eventBridge.listDeadLetters(), ...stack.lambdaAsync.listFailures()]).toEqual([]);
  });
});
`;
}
