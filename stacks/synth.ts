/**
 * `npm run synth [-- --stage <stage>] [-- --out <dir>]`: synthesizes every stack offline, as
 * `sst deploy --stage <stage>` would before deploying, and writes each stack's CloudFormation
 * template to `<out>/<stackName>.template.json` (default stage dev, default out cdk.out), with
 * the function bundles beside them. Needs no AWS credentials. Prints the template paths.
 */
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { stage: { type: "string", default: "dev" }, out: { type: "string", default: "cdk.out" } },
});

// SST itself still loads aws-sdk v2, which prints an end-of-support notice on import; our code does not use v2.
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE ??= "1";
const { synthesizeOffline } = await import("./synthesize-offline");

const templates = await synthesizeOffline({ stage: values.stage, outdir: path.resolve(values.out) });
for (const template of templates) console.log(path.relative(process.cwd(), template));
