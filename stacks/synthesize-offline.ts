import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { cx_api } from "aws-cdk-lib";
import { App } from "sst/constructs";
import { initProject, setProject, useProject } from "sst/project.js";
import { load } from "sst/stacks/build.js";

/** The account offline templates are synthesized for: no AWS call is made to learn the real one. */
export const OFFLINE_ACCOUNT = "000000000000";

/**
 * Synthesizes the app the way `sst deploy --stage <stage>` does before it deploys: sst.config.ts
 * loaded as SST loads it (bundled with esbuild), every function bundled, the cloud assembly
 * written to `outdir`. What it leaves out are the AWS calls: the account is CDK_DEFAULT_ACCOUNT
 * or a placeholder instead of STS's answer, and the CDK bootstrap stack is not read.
 * Returns the path of each stack's template.
 */
export async function synthesizeOffline(options: {
  readonly stage: string;
  readonly outdir: string;
}): Promise<string[]> {
  await initProject({ stage: options.stage });
  // SST writes .sst/types and .sst/artifacts in place; a scratch copy per run lets two syntheses
  // (a test run and a developer's `npm run synth`) run at once without deleting each other's files.
  const scratch = await mkdtemp(path.join(tmpdir(), "payment3-sst-"));
  const project = useProject();
  setProject({ ...project, paths: { ...project.paths, out: scratch, artifacts: path.join(scratch, "artifacts") } });
  // SST's own test mode: App.finish() still bundles the functions but skips reading the CDK
  // bootstrap stack, the one AWS call it would otherwise make.
  process.env.NODE_ENV = "test";
  try {
    const app = new App(
      {
        mode: "deploy",
        stage: options.stage,
        name: project.config.name,
        ...(project.config.region ? { region: project.config.region } : {}),
        account: process.env.CDK_DEFAULT_ACCOUNT ?? OFFLINE_ACCOUNT,
      },
      // As `sst deploy`: no aws:cdk:path metadata in the templates.
      { outdir: options.outdir, context: { [cx_api.PATH_METADATA_ENABLE_CONTEXT]: false } },
    );
    const [, sstConfig] = await load(project.paths.config);
    await sstConfig.stacks(app);
    await app.finish();
    const assembly = app.synth();
    return assembly.stacks.map((stack) => path.join(assembly.directory, stack.templateFile));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
