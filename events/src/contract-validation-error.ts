import type * as z from "zod/mini";
import { englishIssueMessage } from "./zod-english-messages";

/** One thing wrong with an event, named by its field path (`detail.amount`, `orderId`). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * An event or event detail that does not satisfy its contract. No retry can fix it: callers
 * record it (an `INVALID_EVENT` outcome, a dead letter) and never write anything for it.
 */
export class ContractValidationError extends Error {
  override readonly name = "ContractValidationError";
  readonly code = "INVALID_EVENT";
  readonly problems: readonly FieldProblem[];

  constructor(what: string, problems: readonly FieldProblem[], options?: { cause?: unknown }) {
    super(`${what} is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join("; ")}`, options);
    this.problems = problems;
  }

  /** The first field named, e.g. `amount`; handy for logs and failure events. */
  get field(): string {
    return this.problems[0]?.field ?? "";
  }
}

/** Turns zod issues into field problems whose messages read `amount must be ..., got "abc"`. */
export function fieldProblemsFrom(
  error: z.core.$ZodError,
  pathPrefix: readonly (string | number)[] = [],
): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = [...pathPrefix, ...issue.path].map(String);
    return { field: path.length > 0 ? path.join(".") : "(root)", message: issue.message };
  });
}

// zod/mini loads no locale: an issue without a message of its own would read "Invalid input".
// Each parse passes zod's English messages for the issues a contract can raise
// (`version Invalid input: expected string, received number`), not `z.config`: nothing global
// changes, and no bundler can drop it as a side effect.

/** Parses a value with a zod schema, naming each wrong field in a ContractValidationError. */
export function parseWithSchema<T>(what: string, schema: z.ZodMiniType<T>, raw: unknown): T {
  const result = schema.safeParse(raw, { error: englishIssueMessage });
  if (!result.success) throw new ContractValidationError(what, fieldProblemsFrom(result.error));
  return result.data;
}
