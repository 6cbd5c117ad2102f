import type { JsonSchema } from "./json-schemas";

function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return "nothing";
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeOf).sort().join("|");
  if (schema.type !== undefined)
    return Array.isArray(schema.type) ? [...schema.type].sort().join("|") : String(schema.type);
  return "any";
}

function objectBranch(schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.type === "object") return schema;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).find((s) => s.type === "object");
  return undefined;
}

/**
 * Lists the changes that would stop events of an already published schema version from
 * being read by the current schema, or consumers of the old version from reading new events:
 * a field removed, a field's type changed, an enum value dropped, a new required field.
 * Archived events are replayed months later, so each of these breaks a replay.
 */
export function findBreakingChanges(published: JsonSchema, current: JsonSchema, path = ""): string[] {
  const problems: string[] = [];
  const at = (key: string) => (path ? `${path}.${key}` : key);
  const oldProps = objectBranch(published)?.properties ?? {};
  const newObject = objectBranch(current);
  const newProps = newObject?.properties ?? {};
  for (const [key, oldField] of Object.entries(oldProps)) {
    const newField = newProps[key];
    if (!newField) {
      problems.push(`field ${at(key)} was removed`);
      continue;
    }
    if (typeOf(oldField) !== typeOf(newField)) {
      problems.push(`field ${at(key)} changed type from ${typeOf(oldField)} to ${typeOf(newField)}`);
      continue;
    }
    if (Array.isArray(oldField.enum)) {
      const kept = new Set((newField.enum as unknown[] | undefined) ?? []);
      for (const value of oldField.enum as unknown[]) {
        if (!kept.has(value)) problems.push(`field ${at(key)} no longer allows ${JSON.stringify(value)}`);
      }
    }
    if (objectBranch(oldField)) problems.push(...findBreakingChanges(oldField, newField, at(key)));
  }
  const wasRequired = new Set(objectBranch(published)?.required ?? []);
  for (const key of newObject?.required ?? []) {
    if (!wasRequired.has(key) && newProps[key]?.default === undefined)
      problems.push(`field ${at(key)} is newly required`);
  }
  return problems;
}
