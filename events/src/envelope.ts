import * as z from "zod";
import { ContractValidationError, fieldProblemsFrom } from "./contract-validation-error";

/**
 * The envelope EventBridge wraps around every detail (same fields as Powertools'
 * `EventBridgeSchema`). `replay-name` is present only on events re-sent by an archive replay.
 */
export const EventBridgeEnvelopeSchema = z.object({
  version: z.string(),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string().min(1),
  region: z.string(),
  resources: z.array(z.string()),
  "replay-name": z.string().optional(),
  detail: z.unknown(),
});

export type EventBridgeEnvelope<TDetail = unknown> = Omit<z.infer<typeof EventBridgeEnvelopeSchema>, "detail"> & {
  detail: TDetail;
};

/** Checks the envelope fields (not the detail) and names the first wrong one. */
export function parseEnvelopeFields(raw: unknown): EventBridgeEnvelope {
  const result = EventBridgeEnvelopeSchema.safeParse(raw);
  if (!result.success) {
    throw new ContractValidationError("EventBridge event", fieldProblemsFrom(result.error));
  }
  return result.data as EventBridgeEnvelope;
}
