import { parseArgs } from "node:util";
import { ContractValidationError } from "@payment3/events";
import { createCliContext } from "./cli-context";
import { CliError } from "./cli-error";
import { ordersShowCommand } from "./orders-show-command";
import { publishCommand } from "./publish-command";
import { testPatternCommand } from "./test-pattern-command";

export const USAGE = `payment3 — operate the wallet payment events flow, locally or on AWS

usage: payment3 <command> [options]

commands
  publish            publish a WalletPaymentConfirmed (as the callbacks do)
                       --order-id <id> --payment-id <id> --success true|false --amount <THB> [--channel wallet|bank-app] [--confirmed-at <ISO>]
                       or --file <confirmation.json>   (legacy aliases order_id / payment_id accepted)
  replay             replay the bus archive for a time window
                       --from <time> --to <time> [--rule <name>]... [--dry-run] [--archive <name>]
                       times: ISO-8601, now, "2h ago", or --from=-2h (with "=", as it starts with -)
  dlq list           list dead-lettered events          [--rule <name>]
  dlq show --id <id> one dead letter in full: the event, the target, the error
  dlq redrive        deliver dead-lettered events again  [--id <id>]... [--rule <name>]
  status             bus, rules and targets, archive, replays, dead-letter depths
  orders show <id>   an order's payment header, audit rows and emails
  test-pattern <pattern.json> <event.json>
                     does the pattern match the event, and if not, which field (offline;
                     exit 0 on a match, 1 on none)

options
  --endpoint <url>   the local endpoint (default: AWS_ENDPOINT_URL; unset = real AWS)
  --region <r>       AWS region (default AWS_REGION, else ap-southeast-1)
  --profile <p>      AWS profile for real AWS
  --stage <s>        stage / branch whose resources to use (default BRANCH, else dev)
  --bus <name>       event bus (default payment3-<stage>)
  --json             machine-readable output
  -h, --help         this text

Errors are one line on stderr and a non-zero exit (2 for a usage mistake).`;

const OPTIONS = {
  endpoint: { type: "string" },
  region: { type: "string" },
  profile: { type: "string" },
  stage: { type: "string" },
  bus: { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  file: { type: "string" },
  "order-id": { type: "string" },
  "payment-id": { type: "string" },
  success: { type: "string" },
  amount: { type: "string" },
  channel: { type: "string" },
  "confirmed-at": { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  rule: { type: "string", multiple: true },
  "dry-run": { type: "boolean", default: false },
  archive: { type: "string" },
  id: { type: "string", multiple: true },
} as const;

export type ParsedOptions = ReturnType<typeof parseCommandLine>["values"];

export function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}; see payment3 --help`, 2);
  }
}

/** Runs one command line; returns the exit code. Output goes to `io`. */
export async function runCli(argv: readonly string[], io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    const [command, ...rest] = positionals;
    if (values.help || !command) {
      io.out(USAGE);
      return command || values.help ? 0 : 2;
    }
    if (command === "test-pattern") {
      // Like grep: 0 when it matches, 1 when it does not.
      return testPatternCommand({ json: values.json, out: io.out }, rest[0], rest[1]).matches ? 0 : 1;
    }
    const context = createCliContext(values, env, { out: io.out, progress: io.err });
    const commands = await import("./commands");
    switch (command) {
      case "publish":
        await publishCommand(context, { file: values.file, orderId: values["order-id"], paymentId: values["payment-id"], success: values.success, amount: values.amount, channel: values.channel, confirmedAt: values["confirmed-at"] });
        return 0;
      case "orders":
        if (rest[0] !== "show") throw new CliError("usage: payment3 orders show <orderId>", 2);
        await ordersShowCommand(context, rest[1]);
        return 0;
      default:
        return await commands.runOperatorCommand(command, rest, values, context);
    }
  } catch (error) {
    io.err(`payment3: ${describe(error)}`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}

function describe(error: unknown): string {
  if (error instanceof CliError || error instanceof ContractValidationError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    if (code === "ECONNREFUSED") return `cannot reach ${(error as { address?: string }).address ?? "the endpoint"}: is 'npm start' running? (${error.message})`;
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
