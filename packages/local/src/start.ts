import { Logger } from "@aws-lambda-powertools/logger";
import { formatTable, localConfig, provisionDemo, runDemoConfirmations } from "./demo/run-demo";
import { startLocalStack } from "./local-stack";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// The local endpoint accepts any signature; the SDK still insists on having credentials.
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";

function portFromArgs(argv: readonly string[]): number {
  const index = argv.indexOf("--port");
  const raw = index >= 0 ? argv[index + 1] : process.env.PAYMENT3_LOCAL_PORT;
  if (raw === undefined) return 4566;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}`);
  }
  return port;
}

async function main(): Promise<void> {
  const port = portFromArgs(process.argv.slice(2));
  const stack = await startLocalStack({ port, eventBridge: { retryBaseDelayMs: 200, logger: { warn: (message) => console.warn(`[eventbridge] ${message}`) } } }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      throw new Error(`port ${port} is already in use (is another 'npm start' running?); stop it or pass --port <n>`);
    }
    throw error;
  });
  const config = localConfig(stack);
  const logger = new Logger({ serviceName: "payment3-processor", logLevel: (process.env.POWERTOOLS_LOG_LEVEL as "ERROR" | undefined) ?? "ERROR" });
  try {
    await provisionDemo(stack, config, logger);
    console.log(`payment3 local stack ready at ${stack.url} (DynamoDB, EventBridge bus ${config.eventBusName}, Lambda ${config.calculateCostFunction})`);
    const rows = await runDemoConfirmations(stack, config);
    console.log(`\nDemo: ${rows.length} wallet payment confirmations published through the bus\n`);
    console.log(formatTable(rows.map((row) => ({ confirmation: row.story, order: row.orderId, payment: row.paymentId, outcome: row.outcome, "order now": row.orderState }))));
    const stats = stack.eventBridge.getStatistics();
    console.log(`\n${stats.acceptedEvents} events on the bus, ${stats.deadLetters} dead letters.`);
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(`payment3: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
