import { cx_api } from "aws-cdk-lib";
import { App } from "sst/constructs";
import { initProject, useProject } from "sst/project.js";

/** The account offline templates are synthesized for: no AWS call is made to learn the real one. */
export const OFFLINE_ACCOUNT = "000000000000";

/**
 * An SST app in deploy mode for `stage`, built the way `sst deploy` builds it but without
 * asking STS for the account (CDK_DEFAULT_ACCOUNT, else a placeholder). The app's name and
 * region come from sst.config.ts.
 */
export async function createOfflineApp(stage: string, outdir?: string): Promise<App> {
  await initProject({ stage });
  const { config } = useProject();
  return new App(
    { mode: "deploy", stage, name: config.name, region: config.region, account: process.env.CDK_DEFAULT_ACCOUNT ?? OFFLINE_ACCOUNT },
    // As `sst deploy`: no aws:cdk:path metadata in the templates.
    { outdir, context: { [cx_api.PATH_METADATA_ENABLE_CONTEXT]: false } },
  );
}
