import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { subscriberFiles, subscriberLocalTest } from "./subscriber-templates";

const IMPORT_MARKER = "// new subscription imports go above this line";
const ENTRY_MARKER = "  // new subscriptions go above this line";

/** A name the scaffold cannot use; the message says why and what would work. */
export class SubscriberNameError extends Error {
  override readonly name = "SubscriberNameError";
}

/**
 * Writes a new subscriber under `<functionsSrc>/<name>/` (handler, subscription, Lambda entry),
 * its test on the local bus as `<localTestsDir>/<name>.test.ts`, and adds it to the registry in
 * `<functionsSrc>/subscriptions.ts`. Returns the files written or changed.
 */
export function scaffoldSubscriber(name: string, functionsSrc: string, localTestsDir: string): string[] {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 40) {
    throw new SubscriberNameError(
      `subscriber name must be kebab-case letters and digits, at most 40 characters (e.g. loyalty-points), got ${JSON.stringify(name)}`,
    );
  }
  const folder = join(functionsSrc, name);
  if (existsSync(folder)) throw new SubscriberNameError(`${folder} already exists; pick another name`);
  const localTest = join(localTestsDir, `${name}.test.ts`);
  if (existsSync(localTest)) throw new SubscriberNameError(`${localTest} already exists; pick another name`);
  const registryPath = join(functionsSrc, "subscriptions.ts");
  const registry = readFileSync(registryPath, "utf8");
  if (!registry.includes(IMPORT_MARKER) || !registry.includes(ENTRY_MARKER)) {
    throw new Error(
      `${registryPath} lost its "new subscription" marker comments; add the import and the entry by hand (see docs/adding-a-subscriber.md)`,
    );
  }
  const camel = name.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  mkdirSync(folder);
  const written = Object.entries(subscriberFiles(name)).map(([file, content]) => {
    writeFileSync(join(folder, file), content);
    return join(folder, file);
  });
  mkdirSync(localTestsDir, { recursive: true });
  writeFileSync(localTest, subscriberLocalTest(name));
  writeFileSync(
    registryPath,
    registry
      .replace(
        IMPORT_MARKER,
        `import { ${camel}Subscription } from "./${name}/${name}-subscription";\n${IMPORT_MARKER}`,
      )
      .replace(ENTRY_MARKER, `  ${camel}Subscription,\n${ENTRY_MARKER}`),
  );
  return [...written, localTest, registryPath];
}
