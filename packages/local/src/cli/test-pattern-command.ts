import { readFileSync } from "node:fs";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import { explainPatternMismatch, InvalidEventPatternError, type PatternMismatch } from "@payment3/aws-local";

/** A file the command cannot use is a usage mistake (exit 2), never a "no match" (exit 1). */
function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read the ${what} file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      2,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`the ${what} file ${path} is not JSON: ${(error as Error).message}`, 2);
  }
}

/**
 * `payment3 test-pattern <pattern.json> <event.json>`: does it match, and if not, which field.
 * Offline; same engine as the local bus. A file that cannot be read or an invalid pattern is
 * a CliError with exit code 2, so that 1 always means "no match".
 */
export function testPatternCommand(
  context: Pick<CliContext, "json" | "out" | "style">,
  patternFile: string | undefined,
  eventFile: string | undefined,
): { matches: boolean; mismatches: PatternMismatch[] } {
  if (!patternFile || !eventFile) throw new CliError("usage: payment3 test-pattern <pattern.json> <event.json>", 2);
  const pattern = readJsonFile(patternFile, "pattern");
  const event = readJsonFile(eventFile, "event");
  if (typeof pattern !== "object" || pattern === null || Array.isArray(pattern))
    throw new CliError(`the pattern in ${patternFile} must be a JSON object`, 2);
  let mismatches: PatternMismatch[];
  try {
    mismatches = explainPatternMismatch(pattern as Record<string, unknown>, event);
  } catch (error) {
    if (error instanceof InvalidEventPatternError)
      throw new CliError(`invalid pattern in ${patternFile}: ${error.message}`, 2);
    throw error;
  }
  const result = { matches: mismatches.length === 0, mismatches };
  const { style } = context;
  if (context.json) context.out(JSON.stringify(result));
  else if (result.matches) context.out(style.green("match"));
  else
    context.out(
      [
        style.red("no match:"),
        ...mismatches.map((m) => `  ${m.field}: pattern wants ${m.expected}, event has ${m.actual}`),
      ].join("\n"),
    );
  return result;
}
