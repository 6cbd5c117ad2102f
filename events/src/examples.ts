import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EXAMPLES_DIR } from "./json-schemas";

/** An example envelope from `events/examples/` (tests and docs use these as fixtures). */
export function readExampleEnvelope(
  file: string,
): Record<string, unknown> & { id: string; time: string; detail: unknown } {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), "utf8"));
}
