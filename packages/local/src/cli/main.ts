import { parseArgs } from "node:util";
import { ContractValidationError } from "@payment3/events";
import { createCliContext, type CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import { COMMAND_HELP, USAGE } from "./command-help";
import { ordersShowCommand } from "./orders-show-command";
import { preflightCommand } from "./preflight-command";
import { publishCommand } from "./publish-command";
import { terminalStyleFor } from "./terminal-style";
import { testPatternCommand } from "./test-pattern-command";

export { USAGE } from "./command-help";

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
  wait: { type: "boolean", default: false },
  timeout: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  rule: { type: "string", multiple: true },
  "dry-run": { type: "boolean", default: false },
  archive: { type: "string" },
  id: { type: "string", multiple: true },
  production: { type: "boolean", default: false },
} as const;

export type ParsedOptions = ReturnType<typeof parseCommandLine>["values"];

/**
 * `--amount -5` and `--from -1h` as `--amount=-5` / `--from=-1h`: a value starting with "-"
 * and a digit is a value, not an option (parseArgs would refuse it as ambiguous).
 */
function joinDashValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    const next = argv[i + 1];
    if (
      name &&
      (OPTIONS as Record<string, { type: string }>)[name]?.type === "string" &&
      next !== undefined &&
      /^-[\d.]/.test(next)
    ) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** The flags and positionals of a command line; a mistake is a CliError with exit code 2. */
export function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({ args: joinDashValues(argv), options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    const command = argv.find((arg) => !arg.startsWith("-") && arg in COMMAND_HELP);
    const help = `see payment3 ${command ? `${command} ` : ""}--help`;
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) throw new CliError(`unknown option ${option}; ${help}`, 2);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option && /ambiguous/.test(message))
      throw new CliError(`the value of ${option} starts with "-": write it as ${option}=<value>; ${help}`, 2);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option)
      throw new CliError(`${option} needs a value; ${help}`, 2);
    throw new CliError(`${message.split(". ")[0]}; ${help}`, 2);
  }
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether standard output / error is a terminal (colour); default: ask process.stdout / stderr. */
  readonly outIsTTY?: boolean;
  readonly errIsTTY?: boolean;
}

const processIo: CliIo = {
  out: (t) => console.log(t),
  err: (t) => console.error(t),
  outIsTTY: process.stdout.isTTY,
  errIsTTY: process.stderr.isTTY,
};

/**
 * Runs one command line; returns the exit code: 0 done, 1 it did not work, 2 a usage mistake
 * (also an invalid confirmation). Output goes to `io`; an error is one line on `io.err`.
 */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let context: CliContext | undefined;
  try {
    const { values, positionals } = parseCommandLine(argv);
    const [command, ...rest] = positionals;
    if (command === "help") {
      io.out(COMMAND_HELP[rest[0] ?? ""] ?? USAGE);
      return 0;
    }
    if (values.help || !command) {
      io.out((command && COMMAND_HELP[command]) || USAGE);
      return command || values.help ? 0 : 2;
    }
    const style = terminalStyleFor(io.outIsTTY, env);
    if (command === "test-pattern") {
      // Like grep: 0 when it matches, 1 when it does not, 2 when it could not tell.
      return testPatternCommand({ json: values.json, out: io.out, style }, rest[0], rest[1]).matches ? 0 : 1;
    }
    context = createCliContext(values, env, { out: io.out, progress: io.err, style });
    const commands = await import("./commands");
    switch (command) {
      case "publish":
        return (
          await publishCommand(context, {
            file: values.file,
            orderId: values["order-id"],
            paymentId: values["payment-id"],
            success: values.success,
            amount: values.amount,
            channel: values.channel,
            confirmedAt: values["confirmed-at"],
            wait: values.wait,
            timeout: values.timeout,
          })
        ).exitCode;
      case "preflight":
        return await preflightCommand(context, { orderId: values["order-id"], production: values.production }, env);
      case "orders":
        if (rest[0] !== "show")
          throw new CliError("usage: payment3 orders show <orderId>; see payment3 orders --help", 2);
        await ordersShowCommand(context, rest[1]);
        return 0;
      default:
        return await commands.runOperatorCommand(command, rest, values, context);
    }
  } catch (error) {
    const errorStyle = terminalStyleFor(io.errIsTTY, env);
    io.err(`${errorStyle.red("payment3:")} ${describeFailure(error, context)}`);
    return error instanceof CliError ? error.exitCode : error instanceof ContractValidationError ? 2 : 1;
  }
}

/** A failure as one line: its message without an `Error:` prefix, with what to do when the cause is known. */
export function describeFailure(error: unknown, context: CliContext | undefined): string {
  if (error instanceof CliError || error instanceof ContractValidationError) return error.message;
  if (!(error instanceof Error)) return String(error);
  const name = error.name;
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const message = (error.message || name).replace(/\s+/g, " ").trim();
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return `cannot reach ${context?.endpoint ?? "AWS"}${context?.endpoint ? ": is 'npm start' running?" : ""} (${code})`;
  }
  if (context && !context.endpoint) {
    const where = `region ${context.config.region}, stage ${context.config.stage}`;
    if (name === "CredentialsProviderError" || /could not load credentials/i.test(message)) {
      return `no AWS credentials found: payment3 was talking to AWS (${where}) as no --endpoint or AWS_ENDPOINT_URL was given; for the local endpoint add --endpoint http://127.0.0.1:4566 or export AWS_ENDPOINT_URL=http://127.0.0.1:4566; for AWS set AWS_PROFILE (or --profile)`;
    }
    return `${message} (on AWS, ${where}: no --endpoint or AWS_ENDPOINT_URL given)`;
  }
  return message;
}
