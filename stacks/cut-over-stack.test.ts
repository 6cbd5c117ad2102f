import { execFile } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import { Match, Template } from "aws-cdk-lib/assertions";
import { legacyInvokeResourceNames } from "@payment3/core";
import {
  auditLogSubscription,
  legacyInvokeFunction,
  notificationsSubscription,
  SCHEDULED_FUNCTIONS,
  SUBSCRIPTIONS,
  type Subscription,
} from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthesizeTestStage, type Json } from "./synthesize-test-stage";

/*
 * The cut-over settings, synthesized by `npm run synth`'s own script twice: the legacy invoke
 * adapter on (everything else created), and the adapter off with the ProcessPaidOrderTable and
 * the notifications topic adopted. The defaults (adapter off, nothing adopted) are
 * wallet-events-stack.test.ts's template.
 */
const run = promisify(execFile);
const LEGACY = legacyInvokeResourceNames("test");
const ADOPTED_TABLE = "ProcessPaidOrderTable-master";
const ADOPTED_TOPIC_ARN = "arn:aws:sns:ap-southeast-1:123456789012:payment-notifications-master";

interface Synthesized {
  readonly out: string;
  readonly json: Json;
  readonly template: Template;
}

let adapterOn: Synthesized;
let adopted: Synthesized;

async function synthesize(settings: Record<string, string>): Promise<Synthesized> {
  const { out, json } = await synthesizeTestStage(settings);
  return { out, json, template: Template.fromJSON(json) };
}

beforeAll(async () => {
  [adapterOn, adopted] = await Promise.all([
    synthesize({ LEGACY_INVOKE_ADAPTER: "on" }),
    synthesize({
      ADOPT_PROCESS_PAID_ORDER_TABLE: ADOPTED_TABLE,
      ADOPT_PAYMENT_NOTIFICATIONS_TOPIC_ARN: ADOPTED_TOPIC_ARN,
    }),
  ]);
}, 180_000);

afterAll(async () => {
  for (const synthesized of [adapterOn, adopted])
    if (synthesized) await rm(synthesized.out, { recursive: true, force: true });
});

function logicalId({ template }: Synthesized, type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids, `exactly one ${type} with ${JSON.stringify(properties)}`).toHaveLength(1);
  return ids[0]!;
}

const resourcesOfType = ({ json }: Synthesized, type: string): [string, Json][] =>
  Object.entries(json.Resources as Record<string, Json>).filter(([, resource]) => resource.Type === type);
const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const legacyFunctionId = (synthesized: Synthesized) =>
  logicalId(synthesized, "AWS::Lambda::Function", { FunctionName: LEGACY.functionName });
const legacyQueueId = (synthesized: Synthesized) =>
  logicalId(synthesized, "AWS::SQS::Queue", { QueueName: LEGACY.onFailureQueueName });

/** The statements of every inline policy on a function's role. */
function inlineStatements(synthesized: Synthesized, functionLogicalId: string): Json[] {
  const roleId = synthesized.json.Resources[functionLogicalId].Properties.Role["Fn::GetAtt"][0];
  return resourcesOfType(synthesized, "AWS::IAM::Policy")
    .filter(([, policy]) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap(([, policy]) => asList(policy.Properties.PolicyDocument.Statement) as Json[]);
}

const subscriptionFunctionId = (synthesized: Synthesized, subscription: Subscription) =>
  logicalId(synthesized, "AWS::Lambda::Function", { FunctionName: `payment3-test-${subscription.name}` });

describe("LEGACY_INVOKE_ADAPTER=on", () => {
  it("deploys the adapter under the legacy function's exact name, with the legacy entry's handler and timeout", () => {
    adapterOn.template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: "payment3-process-paid-wallet-order-internal-test",
      Handler: legacyInvokeFunction.handler,
      Timeout: legacyInvokeFunction.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          EVENT_BUS_NAME: { Ref: Match.stringLikeRegexp("Bus") },
          POWERTOOLS_SERVICE_NAME: "payment3-legacy-invoke",
        }),
      },
      // What payment3 preflight tells the adapter from the legacy function by.
      Tags: Match.arrayWith([{ Key: "payment3:function", Value: "legacy-invoke-adapter" }]),
    });
  });

  it("gives it no async retries and its own on-failure queue, so an invalid payload lands there with the payload", () => {
    const fn = legacyFunctionId(adapterOn);
    const queue = legacyQueueId(adapterOn);

    adapterOn.template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: fn },
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
    });
    adapterOn.template.hasResourceProperties("AWS::SQS::Queue", {
      QueueName: "payment3-test-legacy-invoke-on-failure",
      MessageRetentionPeriod: 14 * 86_400,
      SqsManagedSseEnabled: true,
    });
  });

  it("refuses non-TLS access to the on-failure queue (enforceSSL)", () => {
    adapterOn.template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: legacyQueueId(adapterOn) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("alarms the ops topic on a message in the on-failure queue and on any function error", () => {
    const opsTopic = logicalId(adapterOn, "AWS::SNS::Topic", { TopicName: "payment3-test-ops-alarms" });

    adapterOn.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [legacyQueueId(adapterOn), "QueueName"] } }],
      Threshold: 0,
      AlarmActions: [{ Ref: opsTopic }],
    });
    adapterOn.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "Errors",
      Dimensions: [{ Name: "FunctionName", Value: { Ref: legacyFunctionId(adapterOn) } }],
      AlarmActions: [{ Ref: opsTopic }],
    });
  });

  it("publishes only with the callbacks' policy: PutEvents on the stage bus as a callback source, nothing else on the bus", () => {
    const fn = legacyFunctionId(adapterOn);
    const roleId = adapterOn.json.Resources[fn].Properties.Role["Fn::GetAtt"][0];
    const policy = logicalId(adapterOn, "AWS::IAM::ManagedPolicy", {
      ManagedPolicyName: "payment3-test-callback-publish",
    });

    expect(adapterOn.json.Resources[roleId].Properties.ManagedPolicyArns).toContainEqual({ Ref: policy });
    const inline = inlineStatements(adapterOn, fn);
    expect(inline.flatMap((statement) => asList(statement.Action))).not.toContain("events:PutEvents");
    expect(inline.flatMap((statement) => asList(statement.Action)).sort()).toEqual([
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:SendMessage",
    ]);
  });

  it("is not a bus subscriber: no rule targets it", () => {
    const fn = legacyFunctionId(adapterOn);

    const targets = resourcesOfType(adapterOn, "AWS::Events::Rule").flatMap(
      ([, rule]) => rule.Properties.Targets as Json[],
    );
    expect(targets.map((target) => JSON.stringify(target.Arn))).not.toContain(JSON.stringify(arnOf(fn)));
    expect(targets).toHaveLength(SUBSCRIPTIONS.length + SCHEDULED_FUNCTIONS.length);
  });

  it("outputs the function's name and the on-failure queue's URL", () => {
    expect(adapterOn.json.Outputs.LegacyInvokeFunctionName.Value).toEqual({ Ref: legacyFunctionId(adapterOn) });
    expect(adapterOn.json.Outputs.LegacyInvokeOnFailureQueueUrl.Value).toEqual({ Ref: legacyQueueId(adapterOn) });
  });

  it("bundles the adapter as an ES module Node can load, exporting its handler", async () => {
    const fn = adapterOn.json.Resources[legacyFunctionId(adapterOn)].Properties;
    const bundle = path.join(
      adapterOn.out,
      `asset.${String(fn.Code.S3Key).replace(/\.zip$/, "")}`,
      `${fn.Handler.slice(0, fn.Handler.lastIndexOf("."))}.mjs`,
    );
    const loader = path.join(adapterOn.out, "load-legacy-invoke.mjs");
    await writeFile(
      loader,
      `const module = await import(${JSON.stringify(bundle)});\nconsole.log(typeof module.handler);\n`,
    );

    const { stdout } = await run(process.execPath, [loader], {
      env: { PATH: process.env.PATH, AWS_REGION: "ap-southeast-1" },
      timeout: 30_000,
    });

    expect(stdout.trim()).toBe("function");
  });
});

describe("LEGACY_INVOKE_ADAPTER off (the default)", () => {
  it("leaves the legacy name alone: no function, queue or output of the adapter", () => {
    adopted.template.resourcePropertiesCountIs("AWS::Lambda::Function", { FunctionName: LEGACY.functionName }, 0);
    adopted.template.resourcePropertiesCountIs("AWS::SQS::Queue", { QueueName: LEGACY.onFailureQueueName }, 0);
    expect(Object.keys(adopted.json.Outputs)).not.toContain("LegacyInvokeFunctionName");
  });
});

describe("adopted ProcessPaidOrderTable and notifications topic", () => {
  it("creates neither, and still creates the email log, idempotency and suppression tables", () => {
    const tableNames = resourcesOfType(adopted, "AWS::DynamoDB::Table")
      .map(([, table]) => table.Properties.TableName)
      .sort();
    const topicNames = resourcesOfType(adopted, "AWS::SNS::Topic").map(([, topic]) => topic.Properties.TopicName);

    expect(tableNames).toEqual([
      "payment3-email-log-test",
      "payment3-email-suppressions-test",
      "payment3-idempotency-test",
    ]);
    expect(topicNames).toEqual(["payment3-test-ops-alarms"]);
  });

  it("creates both when nothing is adopted", () => {
    adapterOn.template.resourcePropertiesCountIs(
      "AWS::DynamoDB::Table",
      { TableName: "payment3-process-paid-order-test" },
      1,
    );
    adapterOn.template.resourcePropertiesCountIs(
      "AWS::SNS::Topic",
      { TopicName: "payment3-payment-notifications-test" },
      1,
    );
  });

  it("gives the functions the adopted names in their configuration", () => {
    const variables =
      adopted.json.Resources[subscriptionFunctionId(adopted, auditLogSubscription)].Properties.Environment.Variables;

    expect(variables.PROCESS_PAID_ORDER_TABLE_NAME).toBe(ADOPTED_TABLE);
    expect(variables.PAYMENT_NOTIFICATIONS_TOPIC_ARN).toBe(ADOPTED_TOPIC_ARN);
  });

  it("grants the audit log exactly its registry actions on the adopted table, and nothing on a created one", () => {
    const access = auditLogSubscription.access.find((entry) => entry.resource === "processPaidOrderTable")!;
    const adoptedArn = {
      "Fn::Join": [
        "",
        ["arn:", { Ref: "AWS::Partition" }, `:dynamodb:ap-southeast-1:000000000000:table/${ADOPTED_TABLE}`],
      ],
    };

    const statements = inlineStatements(adopted, subscriptionFunctionId(adopted, auditLogSubscription)).filter(
      (statement) => isDeepStrictEqual(asList(statement.Resource), [adoptedArn]),
    );
    expect(statements).toHaveLength(1);
    expect(asList(statements[0]!.Action).sort()).toEqual([...access.actions].sort());
  });

  it("grants the notifier sns:Publish on the adopted topic ARN only", () => {
    const statements = inlineStatements(adopted, subscriptionFunctionId(adopted, notificationsSubscription)).filter(
      (statement) => asList(statement.Action).includes("sns:Publish"),
    );

    expect(statements).toHaveLength(1);
    expect(asList(statements[0]!.Resource)).toEqual([ADOPTED_TOPIC_ARN]);
  });
});
