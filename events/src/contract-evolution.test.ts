import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EVENT_CONTRACTS, type EventName } from "./contracts";
import { parseEvent, type EventContract } from "./event-contract";
import {
  currentSchemaPath,
  EXAMPLES_DIR,
  formatJson,
  generateJsonSchema,
  PUBLISHED_SCHEMAS_DIR,
  type JsonSchema,
} from "./json-schemas";
import { findBreakingChanges } from "./schema-compatibility";

const names = Object.keys(EVENT_CONTRACTS) as EventName[];
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** Every leaf path of a JSON value, e.g. `paymentHeader.totalPaid`, with its value. */
function leaves(value: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      for (const [path, leaf] of leaves(child, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

describe("event contracts over time", () => {
  it.each(names)("the committed JSON Schema of %s is up to date (run `npm run schemas` if not)", (name) => {
    const committed = readFileSync(currentSchemaPath(name), "utf8");

    expect(committed).toBe(formatJson(generateJsonSchema(name)));
  });

  const published = readdirSync(PUBLISHED_SCHEMAS_DIR).filter((file) => file.endsWith(".schema.json"));

  it("keeps a frozen schema for the current version of every event", () => {
    for (const name of names) {
      expect(published).toContain(`${name}.v${EVENT_CONTRACTS[name].schemaVersion}.schema.json`);
    }
  });

  it.each(published)("the current schema reads everything published as %s", (file) => {
    const name = file.split(".")[0] as EventName;

    const problems = findBreakingChanges(readJson(join(PUBLISHED_SCHEMAS_DIR, file)), generateJsonSchema(name));

    expect(problems).toEqual([]);
  });

  const examples = readdirSync(EXAMPLES_DIR).filter((file) => /\.v\d+\.json$/.test(file));

  it("keeps an example envelope of every published schema version", () => {
    const expected = published.map((file) => file.replace(".schema.json", ".json")).sort();

    expect(examples.sort()).toEqual(expected);
  });

  it.each(examples)("the current parser accepts the example %s and keeps every field of it", (file) => {
    const name = file.split(".")[0] as EventName;
    const example = readJson(join(EXAMPLES_DIR, file));

    const event = parseEvent<unknown>(EVENT_CONTRACTS[name] as EventContract<unknown>, example);

    const parsed = leaves(event.detail);
    for (const [path, value] of leaves(example.detail)) {
      expect(parsed.get(path), `detail.${path}`).toEqual(value);
    }
  });
});

describe("findBreakingChanges", () => {
  const published: JsonSchema = {
    type: "object",
    properties: {
      orderId: { type: "string" },
      amount: { type: "number" },
      reason: { type: "string", enum: ["A", "B"] },
      header: { type: "object", properties: { isPaid: { type: "boolean" } }, required: ["isPaid"] },
    },
    required: ["orderId", "amount"],
  };

  it("finds nothing when a new optional field is added", () => {
    const current: JsonSchema = { ...published, properties: { ...published.properties, note: { type: "string" } } };

    expect(findBreakingChanges(published, current)).toEqual([]);
  });

  it("reports a removed field, a retyped field, a dropped enum value and a new required field", () => {
    const current: JsonSchema = {
      type: "object",
      properties: {
        orderId: { type: "number" },
        reason: { type: "string", enum: ["A"] },
        header: { type: "object", properties: {} },
        channel: { type: "string" },
      },
      required: ["orderId", "channel"],
    };

    expect(findBreakingChanges(published, current)).toEqual([
      "field orderId changed type from string to number",
      "field amount was removed",
      'field reason no longer allows "B"',
      "field header.isPaid was removed",
      "field channel is newly required",
    ]);
  });
});
