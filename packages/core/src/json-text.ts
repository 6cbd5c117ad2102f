/** A value read from a field that may hold JSON text: the decoded value, or why the text is not JSON. */
export type JsonTextReading =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: Error };

/**
 * Reads a field that legacy writers fill with either a JSON string or the value itself (a
 * callback's `detail`, calculate-cost's `body`, an audit row's PynamoDB JSON `data`): a string
 * is decoded, anything else is returned as it is. Never throws; each caller decides what text
 * that is not JSON means.
 */
export function readJsonText(value: unknown): JsonTextReading {
  if (typeof value !== "string") return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

/** True for a JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
