import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import type { ParsedOptions } from "./main";

/** status, replay and dlq: the commands that need the bus's operator APIs. */
export async function runOperatorCommand(command: string, _rest: readonly string[], _values: ParsedOptions, _context: CliContext): Promise<number> {
  throw new CliError(`unknown command ${JSON.stringify(command)}; see payment3 --help`, 2);
}
