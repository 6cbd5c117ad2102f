import * as z from "zod/mini";
import { parseWithSchema } from "./contract-validation-error";

// Built once, shared by the fields (zod schemas are immutable).
const text = z.string();
const nonEmptyText = z.string().check(z.minLength(1));

/**
 * The envelope EventBridge wraps around every detail (same fields as Powertools'
 * `EventBridgeSchema`). `replay-name` is present only on events re-sent by an archive replay.
 */
export const EventBridgeEnvelopeSchema = z.object({
  version: text,
  id: nonEmptyText,
  "detail-type": nonEmptyText,
  source: nonEmptyText,
  account: text,
  time: nonEmptyText,
  region: text,
  resources: z.array(text),
  "replay-name": z.optional(text),
  detail: z.unknown(),
});

export type EventBridgeEnvelope<TDetail = unknown> = Omit<z.infer<typeof EventBridgeEnvelopeSchema>, "detail"> & {
  detail: TDetail;
};

/** Checks the envelope fields (not the detail) and names the first wrong one. */
export function parseEnvelopeFields(raw: unknown): EventBridgeEnvelope {
  return parseWithSchema("EventBridge event", EventBridgeEnvelopeSchema, raw) as EventBridgeEnvelope;
}
