import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as z from "zod/mini";
import { EVENT_CONTRACTS, type EventName } from "./contracts";

export const EVENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
export const SCHEMAS_DIR = join(EVENTS_DIR, "schemas");
export const PUBLISHED_SCHEMAS_DIR = join(SCHEMAS_DIR, "published");
export const EXAMPLES_DIR = join(EVENTS_DIR, "examples");

export type JsonSchema = Record<string, unknown> & { properties?: Record<string, JsonSchema>; required?: string[] };

/** The JSON Schema of an event's detail as published now, with its bus identity. */
export function generateJsonSchema(name: EventName): JsonSchema {
  const contract = EVENT_CONTRACTS[name];
  const schema = z.toJSONSchema(contract.detailSchema, { io: "output" }) as JsonSchema;
  return {
    $schema: schema.$schema,
    $id: `https://payment3.example/events/${name}.v${contract.schemaVersion}.schema.json`,
    title: `${name} detail, schema version ${contract.schemaVersion}`,
    "x-eventbridge": {
      detailType: contract.detailType,
      sources: contract.sources,
      schemaVersion: contract.schemaVersion,
    },
    ...Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema")),
  };
}

export const currentSchemaPath = (name: EventName) => join(SCHEMAS_DIR, `${name}.schema.json`);
export const publishedSchemaPath = (name: EventName, version: number) =>
  join(PUBLISHED_SCHEMAS_DIR, `${name}.v${version}.schema.json`);

export const formatJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/**
 * Writes the current schema of every event and freezes a copy per published version. A
 * published version is never overwritten: a change to it needs a new schemaVersion.
 */
export function writeJsonSchemas(): { written: string[]; refused: string[] } {
  mkdirSync(PUBLISHED_SCHEMAS_DIR, { recursive: true });
  const written: string[] = [];
  const refused: string[] = [];
  for (const name of Object.keys(EVENT_CONTRACTS) as EventName[]) {
    const text = formatJson(generateJsonSchema(name));
    writeFileSync(currentSchemaPath(name), text);
    written.push(currentSchemaPath(name));
    const frozen = publishedSchemaPath(name, EVENT_CONTRACTS[name].schemaVersion);
    if (!existsSync(frozen)) {
      writeFileSync(frozen, text);
      written.push(frozen);
    } else if (readFileSync(frozen, "utf8") !== text) {
      refused.push(frozen);
    }
  }
  return { written, refused };
}
