import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { scaffoldSubscriber } from "./scaffold-subscriber";

const name = process.argv[2];
if (!name || name.startsWith("-")) {
  console.error("usage: npm run new:subscriber -- <name>   (kebab-case, e.g. loyalty-points)");
  process.exit(2);
}
try {
  const functionsPackage = join(dirname(fileURLToPath(import.meta.url)), "..");
  const repositoryRoot = join(functionsPackage, "..", "..");
  const files = scaffoldSubscriber(
    name,
    join(functionsPackage, "src"),
    join(functionsPackage, "..", "local", "src", "subscribers"),
  );
  // The templates cannot know how long the name makes each line: let the repository's formatter lay them out.
  execFileSync(
    process.execPath,
    [join(repositoryRoot, "node_modules", "@biomejs", "biome", "bin", "biome"), "format", "--write", ...files],
    {
      cwd: repositoryRoot,
      stdio: "ignore",
    },
  );
  console.log(`new subscriber ${name}:`);
  for (const file of files) console.log(`  ${file}`);
  console.log(
    `next: set its eventPattern and access, write the handler's work, run: npx vitest run packages/local/src/subscribers/${name}`,
  );
} catch (error) {
  console.error(`new:subscriber: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
