import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { describe, expect, it } from "vitest";
import { explainPatternMismatch } from "@payment3/aws-local";

const EXAMPLES = fileURLToPath(new URL("../../../../events/examples/", import.meta.url));
const PATTERNS = join(EXAMPLES, "patterns");
const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

/** Each sample pattern and the example events it matches, as README.md's "Try an event pattern" lists them. */
const MATCHES: Record<string, readonly string[]> = {
  "processor.json": ["WalletPaymentConfirmed.legacy-callback.json", "WalletPaymentConfirmed.v1.json"],
  "audit-log.json": ["OrderPaid.v1.json", "OrderPaymentFailed.v1.json"],
  "notifications.json": ["OrderPaid.v1.json"],
  "refunds-to-make.json": ["OrderPaymentFailed.v1.json"],
  "large-payments.json": ["OrderPaid.v1.json"],
};
const exampleEvents = readdirSync(EXAMPLES)
  .filter((file) => file.endsWith(".json"))
  .sort();

describe("the sample patterns in events/examples/patterns", () => {
  it("are the ones listed here", () => {
    expect(readdirSync(PATTERNS).sort()).toEqual(Object.keys(MATCHES).sort());
  });

  it.each(Object.entries(MATCHES))("%s matches exactly %j among the example events", (pattern, expected) => {
    const matching = exampleEvents.filter(
      (event) =>
        explainPatternMismatch(readJson(join(PATTERNS, pattern)), readJson(join(EXAMPLES, event))).length === 0,
    );

    expect(matching).toEqual(expected);
  });

  it.each(["processor", "audit-log", "notifications"])(
    "%s.json is the pattern the subscription registry routes with",
    (name) => {
      const subscription = SUBSCRIPTIONS.find((candidate) => candidate.name === name);

      expect(subscription?.eventPattern).toEqual(readJson(join(PATTERNS, `${name}.json`)));
    },
  );

  it("are listed in README.md with what they match", () => {
    const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");

    for (const [pattern, events] of Object.entries(MATCHES)) {
      const row = readme.split("\n").find((line) => line.startsWith(`| \`${pattern}\``));
      expect(row, pattern).toBeDefined();
      for (const event of events) expect(row, pattern).toContain(`\`${event}\``);
    }
  });
});
