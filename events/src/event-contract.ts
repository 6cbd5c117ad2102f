import type * as z from "zod/mini";
import { ContractValidationError, parseWithSchema } from "./contract-validation-error";
import { describeValue } from "./field-rules";
import { parseEnvelopeFields, type EventBridgeEnvelope } from "./envelope";

/**
 * Everything the system knows about one kind of event: where it comes from, its name on the
 * bus, the schema of what is published today, and how to read any version ever published.
 */
export interface EventContract<TDetail> {
  readonly detailType: string;
  readonly sources: readonly string[];
  /** The version written into every detail published now. */
  readonly schemaVersion: number;
  /**
   * What a publisher must produce (strict, no aliases); also the source of the JSON Schema.
   * A zod/mini schema: parse it with `parseWithSchema` (or `validateDetailForPublish`), which
   * gives the messages this project's errors read; its own `safeParse` has no English messages.
   */
  readonly detailSchema: z.ZodMiniType<TDetail>;
  /**
   * Reads a detail as consumers receive it: any published version, legacy aliases, a JSON
   * string instead of an object. Throws ContractValidationError naming the field.
   */
  parseDetail(raw: unknown, envelope?: Pick<EventBridgeEnvelope, "source">): TDetail;
}

/** Validates a detail against the contract's publish schema. */
export function validateDetailForPublish<TDetail>(contract: EventContract<TDetail>, detail: unknown): TDetail {
  return parseWithSchema(`${contract.detailType} detail`, contract.detailSchema, detail);
}

/**
 * Parses a whole EventBridge event with the contract, envelope included: the envelope fields,
 * the detail-type and source the contract allows, then the detail.
 */
export function parseEvent<TDetail>(contract: EventContract<TDetail>, raw: unknown): EventBridgeEnvelope<TDetail> {
  const envelope = parseEnvelopeFields(raw);
  const problems = [];
  if (envelope["detail-type"] !== contract.detailType) {
    problems.push({
      field: "detail-type",
      message: `must be ${contract.detailType}, got ${JSON.stringify(envelope["detail-type"])}`,
    });
  }
  if (!contract.sources.includes(envelope.source)) {
    problems.push({
      field: "source",
      message: `must be one of ${contract.sources.join(", ")}, got ${JSON.stringify(envelope.source)}`,
    });
  }
  if (problems.length > 0) throw new ContractValidationError(`${contract.detailType} event ${envelope.id}`, problems);
  try {
    return { ...envelope, detail: contract.parseDetail(envelope.detail, envelope) };
  } catch (error) {
    if (error instanceof ContractValidationError) {
      throw new ContractValidationError(
        `${contract.detailType} event ${envelope.id}`,
        error.problems.map((p) => ({ field: `detail.${p.field}`, message: p.message })),
        { cause: error },
      );
    }
    throw error;
  }
}

/** A detail may arrive as a JSON string (legacy callers); anything unparsable is reported, not thrown raw. */
export function detailAsObject(what: string, raw: unknown): Record<string, unknown> {
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ContractValidationError(
        what,
        [{ field: "(root)", message: `must be a JSON object, got unparsable JSON ${describeValue(raw)}` }],
        { cause: error },
      );
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : value === null ? "null" : typeof value;
    throw new ContractValidationError(what, [{ field: "(root)", message: `must be a JSON object, got ${kind}` }]);
  }
  return value as Record<string, unknown>;
}
