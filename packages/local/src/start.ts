import { parseArgs } from "node:util";
import { CONSOLE_PATH } from "./console/console-service";
import { demoReplayNote, demoTotalsLine, formatDemoSummary, runDemoConfirmations } from "./demo/run-demo";
import { DEFAULT_DATA_DIRECTORY, DEFAULT_LOCAL_PORT, startLocalRuntime } from "./runtime/local-runtime";
import { formatTryCommands } from "./try-commands";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// The local endpoint accepts any signature; the SDK still insists on having credentials.
process.env.AWS_ACCESS_KEY_ID ??= "local";
process.env.AWS_SECRET_ACCESS_KEY ??= "local";

const USAGE = `npm start [-- options]

  --port <n>          endpoint port (default ${DEFAULT_LOCAL_PORT}, or PAYMENT3_LOCAL_PORT)
  --data-dir <path>   where data is kept between runs (default ${DEFAULT_DATA_DIRECTORY}/)
  --in-memory         keep nothing on disk
  --no-demo           serve only; publish no demo confirmations
  --exit              exit after the demo instead of serving until Ctrl-C
  -h, --help          this text`;

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      "in-memory": { type: "boolean", default: false },
      "no-demo": { type: "boolean", default: false },
      exit: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const rawPort = values.port ?? process.env.PAYMENT3_LOCAL_PORT ?? String(DEFAULT_LOCAL_PORT);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(rawPort)}`);
  return {
    ...values,
    port,
    dataDirectory: values["in-memory"] ? null : (values["data-dir"] ?? DEFAULT_DATA_DIRECTORY),
  };
}

async function main(): Promise<void> {
  const opts = options();
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const runtime = await startLocalRuntime({
    port: opts.port,
    dataDirectory: opts.dataDirectory,
    followOrderHistory: true,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL as "WARN" | undefined) ?? "ERROR",
  });
  const { url, config, stack } = runtime;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(
      `\n${signal}: stopping; waiting for deliveries in flight${opts.dataDirectory ? ` and saving ${opts.dataDirectory}/` : ""}...`,
    );
    await runtime.close();
    console.log("stopped.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  console.log(
    `payment3 local is ready at ${url}  (DynamoDB, EventBridge, Lambda, SES, SNS; data: ${opts.dataDirectory ? `${opts.dataDirectory}/` : "in memory"})`,
  );
  console.log(
    `  bus ${config.eventBusName}, tables ${config.orderTableName}, ${config.auditLogTableName}, ${config.emailLogTableName}`,
  );
  console.log(`  console: ${url}${CONSOLE_PATH}   mail page: ${stack.mailPageUrl}`);
  console.log(formatTryCommands({ url, region: config.region, eventBusName: config.eventBusName }));

  if (!opts["no-demo"]) {
    const rows = await runDemoConfirmations(stack, config);
    console.log(`\nDemo: ${rows.length} wallet payment confirmations published through the bus\n`);
    console.log(formatDemoSummary(rows));
    const replayNote = demoReplayNote(rows, opts.dataDirectory);
    if (replayNote) console.log(`\n${replayNote}`);
    console.log(`\n${demoTotalsLine(stack, config.eventBusName)}`);
  }
  if (opts.exit) {
    await shutdown("--exit");
    return;
  }
  console.log(`\nServing at ${url} until Ctrl-C.`);
}

main().catch((error: unknown) => {
  console.error(`payment3: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
