import { writeJsonSchemas } from "./json-schemas";

const { written, refused } = writeJsonSchemas();
for (const path of written) console.log(`wrote ${path}`);
for (const path of refused) {
  console.error(
    `refused to change ${path}: that schema version is published. Bump the contract's schemaVersion (and keep the old version readable) instead.`,
  );
}
process.exitCode = refused.length > 0 ? 1 : 0;
