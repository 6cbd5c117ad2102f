import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { scaffoldSubscriber, SubscriberNameError } from "./scaffold-subscriber";

const registrySource = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "subscriptions.ts");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A scratch copy of packages/functions/src holding the real registry file. */
function scratchFunctionsSrc(): string {
  const dir = mkdtempSync(join(tmpdir(), "scaffold-"));
  dirs.push(dir);
  copyFileSync(registrySource, join(dir, "subscriptions.ts"));
  return dir;
}

/** Where the scratch scaffold puts the local-bus test (packages/local/src/subscribers in the repository). */
const localTestsOf = (src: string) => join(src, "local-subscribers");

describe("npm run new:subscriber", () => {
  it("writes the handler, subscription and Lambda entry, a local-bus test in packages/local, and registers the subscription", () => {
    const src = scratchFunctionsSrc();

    const files = scaffoldSubscriber("loyalty-points", src, localTestsOf(src));

    expect(files.map((f) => f.slice(src.length + 1)).sort()).toEqual([
      "local-subscribers/loyalty-points.test.ts",
      "loyalty-points/handler.ts",
      "loyalty-points/loyalty-points-handler.ts",
      "loyalty-points/loyalty-points-subscription.ts",
      "subscriptions.ts",
    ]);
    const registry = readFileSync(join(src, "subscriptions.ts"), "utf8");
    expect(registry).toContain(
      'import { loyaltyPointsSubscription } from "./loyalty-points/loyalty-points-subscription";',
    );
    expect(registry).toMatch(
      /emailEventsSubscription,\n {2}loyaltyPointsSubscription,\n {2}\/\/ new subscriptions go above this line/,
    );
    expect(readFileSync(join(src, "loyalty-points/loyalty-points-subscription.ts"), "utf8")).toContain(
      'handler: "packages/functions/src/loyalty-points/handler.handler"',
    );
    expect(readFileSync(join(src, "local-subscribers/loyalty-points.test.ts"), "utf8")).toContain(
      "registerSubscriptions(stack, config(), SUBSCRIPTIONS",
    );
  });

  it.each([["Loyalty_Points"], ["-x"], ["a".repeat(41)]])("refuses the name %j, saying what a name must be", (name) => {
    const src = scratchFunctionsSrc();

    expect(() => scaffoldSubscriber(name, src, localTestsOf(src))).toThrow(SubscriberNameError);
    expect(() => scaffoldSubscriber(name, src, localTestsOf(src))).toThrow(/must be kebab-case/);
    expect(existsSync(join(src, name))).toBe(false);
  });

  it("refuses a name that already exists", () => {
    const src = scratchFunctionsSrc();
    scaffoldSubscriber("loyalty-points", src, localTestsOf(src));

    expect(() => scaffoldSubscriber("loyalty-points", src, localTestsOf(src))).toThrow(
      /already exists; pick another name/,
    );
  });
});
