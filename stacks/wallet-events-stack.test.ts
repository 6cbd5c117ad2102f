import { Template } from "aws-cdk-lib/assertions";
import { App, getStack } from "sst/constructs";
import { initProject } from "sst/project.js";
import { beforeAll, describe, expect, it } from "vitest";
import { processorSubscription } from "../packages/functions/src/processor/processor-subscription";
import { WalletEventsStack } from "./wallet-events-stack";

let template: Template;

beforeAll(async () => {
  await initProject({ stage: "test" });
  const app = new App({ mode: "deploy", stage: "test", name: "payment3", region: "ap-southeast-1" });
  app.setDefaultFunctionProps({ runtime: "nodejs22.x", architecture: "arm_64" });
  app.stack(WalletEventsStack);
  template = Template.fromStack(getStack(WalletEventsStack));
}, 120_000);

describe("WalletEventsStack (synthesized offline)", () => {
  it("creates the bus payment3-<stage>", () => {
    template.hasResourceProperties("AWS::Events::EventBus", { Name: "payment3-test" });
  });

  it("routes the processor's subscription pattern to the processor, nodejs22.x on arm64", () => {
    const rules = template.findResources("AWS::Events::Rule");
    const patterns = Object.values(rules).map((rule) => rule.Properties.EventPattern);

    expect(patterns).toContainEqual(processorSubscription.eventPattern);
    template.hasResourceProperties("AWS::Lambda::Function", { Runtime: "nodejs22.x", Architectures: ["arm64"], Timeout: 200 });
  });
});
