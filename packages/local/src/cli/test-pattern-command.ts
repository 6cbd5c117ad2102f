import { readFileSync } from "node:fs";
import { explainPatternMismatch, InvalidEventPatternError, type PatternMismatch } from "../event-pattern/index";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`the ${what} file ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** `payment3 test-pattern <pattern.json> <event.json>`: does it match, and if not, which field. Offline; same engine as the local bus. */
export function testPatternCommand(context: Pick<CliContext, "json" | "out">, patternFile: string | undefined, eventFile: string | undefined): { matches: boolean; mismatches: PatternMismatch[] } {
  if (!patternFile || !eventFile) throw new CliError("usage: payment3 test-pattern <pattern.json> <event.json>", 2);
  const pattern = readJsonFile(patternFile, "pattern");
  const event = readJsonFile(eventFile, "event");
  if (typeof pattern !== "object" || pattern === null || Array.isArray(pattern)) throw new CliError(`the pattern in ${patternFile} must be a JSON object`);
  let mismatches: PatternMismatch[];
  try {
    mismatches = explainPatternMismatch(pattern as Record<string, unknown>, event);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new CliError(`${patternFile}: ${error.message}`);
    throw error;
  }
  const result = { matches: mismatches.length === 0, mismatches };
  if (context.json) context.out(JSON.stringify(result));
  else if (result.matches) context.out("match");
  else context.out(["no match:", ...mismatches.map((m) => `  ${m.field}: pattern wants ${m.expected}, event has ${m.actual}`)].join("\n"));
  return result;
}
