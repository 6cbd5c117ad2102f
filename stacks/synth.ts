/**
 * `npm run synth [-- --stage <stage>] [-- --out <dir>]`: synthesizes every stack of the app
 * offline, as `sst deploy --stage <stage>` would before deploying, and writes each stack's
 * CloudFormation template to `<out>/<stackName>.template.json` (default out: cdk.out). No AWS
 * credentials are needed: the account is CDK_DEFAULT_ACCOUNT or a placeholder, and nothing is
 * looked up or uploaded. The functions ARE bundled (esbuild, as on deploy) into the assembly.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { useProject } from "sst/project.js";
import { load } from "sst/stacks/build.js";
import { createOfflineApp } from "./offline-app";

const { values } = parseArgs({
  options: { stage: { type: "string", default: "dev" }, out: { type: "string", default: "cdk.out" } },
});
const outdir = path.resolve(values.out);

// SST's own test mode: App.finish() then bundles the functions but skips reading the CDK
// bootstrap stack, the one AWS call it would otherwise make.
process.env.NODE_ENV = "test";

const app = await createOfflineApp(values.stage, outdir);
// Loaded the way `sst deploy` loads it (bundled with esbuild), so a config that would not load on deploy fails here.
const [, sstConfig] = await load(useProject().paths.config);
await sstConfig.stacks(app);
await app.finish();
const assembly = app.synth();

for (const stack of assembly.stacks) {
  console.log(path.relative(process.cwd(), path.join(assembly.directory, stack.templateFile)));
}
