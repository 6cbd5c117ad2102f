import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, promisify } from "node:util";
import { Match, Template } from "aws-cdk-lib/assertions";
import {
  ALARMED_BUSINESS_METRICS,
  EMAIL_LOG_TABLE_KEYS,
  IDEMPOTENCY_TABLE_KEYS,
  processPaidOrderTableKeys,
  type TableKeySchema,
} from "@payment3/core";
import { CONFIRMATION_SOURCE_BY_CHANNEL } from "@payment3/events";
import {
  SCHEDULED_FUNCTIONS,
  SUBSCRIPTIONS,
  type ResourceRole,
  type ScheduledFunction,
  type Subscription,
} from "@payment3/functions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  synthEnvironment,
  synthesizeTestStage,
  TEST_STACK_NAME as STACK_NAME,
  type Json,
} from "./synthesize-test-stage";

/*
 * One synthesis for the whole file, by `npm run synth`'s own script: the assertions read exactly
 * the template it writes, with the functions bundled as `sst deploy` would upload them.
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PARTITION = { Ref: "AWS::Partition" };

let outdir: string;
let synthOutput: string;
let templateJson: Json;
let template: Template;
/** The same stage synthesized with AUDIT_CREATED_AT_FORMAT=iso-8601, OPS_ALARM_TOPIC_ARN and RETAIN_TABLES=false. */
let isoOutdir: string;
let isoTemplateJson: Json;

/** An existing on-call topic the second synthesis sends its alarms to as well. */
const EXISTING_ALARM_TOPIC_ARN = "arn:aws:sns:ap-southeast-1:000000000000:on-call";

beforeAll(async () => {
  const [defaults, iso] = await Promise.all([
    synthesizeTestStage({}),
    synthesizeTestStage({
      AUDIT_CREATED_AT_FORMAT: "iso-8601",
      OPS_ALARM_TOPIC_ARN: EXISTING_ALARM_TOPIC_ARN,
      RETAIN_TABLES: "false",
    }),
  ]);
  ({ out: outdir, stdout: synthOutput, json: templateJson } = defaults);
  template = Template.fromJSON(templateJson);
  ({ out: isoOutdir, json: isoTemplateJson } = iso);
}, 180_000);

afterAll(async () => {
  for (const dir of [outdir, isoOutdir]) if (dir) await rm(dir, { recursive: true, force: true });
});

function resourcesOfType(type: string): [string, Json][] {
  return Object.entries(templateJson.Resources as Record<string, Json>).filter(
    ([, resource]) => resource.Type === type,
  );
}

function logicalId(type: string, properties: Json): string {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids, `exactly one ${type} with ${JSON.stringify(properties)}`).toHaveLength(1);
  return ids[0]!;
}

/** Every function the stack deploys with a rule: the registry's subscribers and the scheduled functions. */
const FUNCTIONS: readonly (Subscription | ScheduledFunction)[] = [...SUBSCRIPTIONS, ...SCHEDULED_FUNCTIONS];
/** The bus a function's rule is on: a schedule's is always the default bus. */
const busOf = (entry: Subscription | ScheduledFunction) =>
  "scheduleExpression" in entry || entry.bus === "default" ? "default" : { Ref: busId() };

const arnOf = (id: string) => ({ "Fn::GetAtt": [id, "Arn"] });
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const functionId = (subscription: Pick<Subscription, "name">) =>
  logicalId("AWS::Lambda::Function", { FunctionName: `payment3-test-${subscription.name}` });
const queueId = (name: string) => logicalId("AWS::SQS::Queue", { QueueName: name });
const tableId = (name: string) => logicalId("AWS::DynamoDB::Table", { TableName: name });
const busId = () => logicalId("AWS::Events::EventBus", { Name: "payment3-test" });
const topicId = (name: string) => logicalId("AWS::SNS::Topic", { TopicName: name });
const accountArn = (service: string, resource: string) => ({
  "Fn::Join": ["", ["arn:", PARTITION, `:${service}:ap-southeast-1:000000000000:${resource}`]],
});

/** The ARN(s) each registry role must resolve to in this stage's template. */
function expectedResources(role: ResourceRole): unknown[] {
  const byRole: Record<ResourceRole, () => unknown[]> = {
    orderTable: () => [accountArn("dynamodb", "table/order-table-dev")],
    processPaidOrderTable: () => [arnOf(tableId("payment3-process-paid-order-test"))],
    emailLogTable: () => [arnOf(tableId("payment3-email-log-test"))],
    emailLogUncertainIndex: () => [
      { "Fn::Join": ["", [arnOf(tableId("payment3-email-log-test")), "/index/uncertain-email-index"]] },
    ],
    idempotencyTable: () => [arnOf(tableId("payment3-idempotency-test"))],
    emailSuppressionTable: () => [arnOf(tableId("payment3-email-suppressions-test"))],
    calculateCostFunction: () => [accountArn("lambda", "function:calculate-cost-3-master")],
    eventBus: () => [arnOf(busId())],
    paymentNotificationsTopic: () => [{ Ref: topicId("payment3-payment-notifications-test") }],
    senderIdentity: () => [
      accountArn("ses", "identity/payments@payment3.example"),
      accountArn("ses", "identity/payment3.example"),
    ],
    emailConfigurationSet: () => [accountArn("ses", "configuration-set/payment3-test-email")],
  };
  return byRole[role]();
}

/** Every statement of the inline policies attached to a function's role. */
function functionStatements(subscription: Pick<Subscription, "name">): Json[] {
  const roleId = templateJson.Resources[functionId(subscription)].Properties.Role["Fn::GetAtt"][0];
  return resourcesOfType("AWS::IAM::Policy")
    .filter(([, policy]) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
}

function statementOn(subscription: Pick<Subscription, "name">, resources: unknown[]): Json {
  const matches = functionStatements(subscription).filter((statement) =>
    isDeepStrictEqual(asList(statement.Resource), resources),
  );
  expect(matches, `${subscription.name}: one statement on ${JSON.stringify(resources)}`).toHaveLength(1);
  return matches[0]!;
}

/** Every IAM statement anywhere in the template: role trust, inline, managed, queue and topic policies. */
function allStatements(node: unknown = templateJson): Json[] {
  if (Array.isArray(node)) return node.flatMap((item) => allStatements(item));
  if (node === null || typeof node !== "object") return [];
  const object = node as Json;
  const own =
    "Statement" in object
      ? asList(object.Statement).filter((statement): statement is Json => typeof statement === "object")
      : [];
  return [
    ...own,
    ...Object.entries(object)
      .filter(([key]) => key !== "Statement")
      .flatMap(([, value]) => allStatements(value)),
  ];
}

const subscription = (name: string) => {
  const found = SUBSCRIPTIONS.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no registry entry named ${name}`);
  return found;
};

describe("npm run synth", () => {
  it("writes the stack's CloudFormation template without AWS credentials and prints its path", () => {
    const printed = synthOutput
      .trim()
      .split("\n")
      .map((line) => path.resolve(ROOT, line.trim()));

    expect(printed).toContain(path.join(outdir, `${STACK_NAME}.template.json`));
    expect(templateJson.Resources).toBeTypeOf("object");
  });

  it("refuses --stage prod without SENDER_EMAIL and OPS_ALARM_EMAIL / OPS_ALARM_TOPIC_ARN, naming each, and writes no template", async () => {
    const out = await mkdtemp(path.join(tmpdir(), "payment3-synth-prod-"));
    try {
      const synth = run("npx", ["tsx", "stacks/synth.ts", "--stage", "prod", "--out", out], {
        cwd: ROOT,
        env: synthEnvironment({}),
        timeout: 150_000,
      });

      const failure = await synth.then(
        () => undefined,
        (error: { stderr: string }) => error,
      );
      expect(failure?.stderr).toMatch(/SENDER_EMAIL must be the stage's verified SES sender/);
      expect(failure?.stderr).toMatch(/OPS_ALARM_EMAIL \(an address\) or OPS_ALARM_TOPIC_ARN/);
      expect(existsSync(path.join(out, "prod-payment3-WalletEventsStack.template.json"))).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 150_000);

  it("bundles every registry function as a minified ES module with its source map, loadable by Node", async () => {
    for (const entry of SUBSCRIPTIONS) {
      const fn = templateJson.Resources[functionId(entry)].Properties;
      const assetDir = path.join(outdir, `asset.${String(fn.Code.S3Key).replace(/\.zip$/, "")}`);
      const bundle = path.join(assetDir, `${fn.Handler.slice(0, fn.Handler.lastIndexOf("."))}.mjs`);
      const loader = path.join(outdir, `load-${entry.name}.mjs`);
      await writeFile(
        loader,
        `const module = await import(${JSON.stringify(bundle)});\nconsole.log(typeof module.handler);\n`,
      );

      const { stdout } = await run(process.execPath, [loader], {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: "ap-southeast-1",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        },
        timeout: 30_000,
      });

      expect(fn.Handler, entry.name).toBe(entry.handler);
      expect(existsSync(`${bundle}.map`), `${entry.name} ships its source map`).toBe(true);
      const code = await readFile(bundle, "utf8");
      // Minified: thousands of characters per line (readable esbuild output averages under 60).
      expect(code.length / code.split("\n").length, `${entry.name} is minified`).toBeGreaterThan(1_000);
      expect(stdout.trim(), `${entry.name} exports its handler`).toBe("function");
    }
  });
});

describe("WalletEventsStack template", () => {
  describe("bus and archive", () => {
    it("creates the bus payment3-<stage>", () => {
      template.hasResourceProperties("AWS::Events::EventBus", { Name: "payment3-test" });
    });

    it("archives every event on the bus (no pattern) for 30 days by default", () => {
      template.resourceCountIs("AWS::Events::Archive", 1);
      template.hasResourceProperties("AWS::Events::Archive", {
        SourceArn: arnOf(busId()),
        RetentionDays: 30,
        EventPattern: Match.absent(),
      });
    });
  });

  describe("rules from the subscription registry", () => {
    it("has exactly one rule per registry entry, on the bus the entry names, named as the local runtime names it", () => {
      const rules = resourcesOfType("AWS::Events::Rule").map(([, rule]) => rule.Properties);

      expect(rules.map((rule) => rule.Name).sort()).toEqual(
        FUNCTIONS.map((entry) => `payment3-test-${entry.name}`).sort(),
      );
      for (const entry of FUNCTIONS) {
        const rule = rules.find((candidate) => candidate.Name === `payment3-test-${entry.name}`);
        expect(rule.EventBusName, entry.name).toEqual(busOf(entry));
      }
    });

    it("sends every customer email's SES events to the default bus, through the stage's configuration set", () => {
      template.hasResourceProperties("AWS::SES::ConfigurationSet", { Name: "payment3-test-email" });
      template.hasResourceProperties("AWS::SES::ConfigurationSetEventDestination", {
        ConfigurationSetName: { Ref: logicalId("AWS::SES::ConfigurationSet", { Name: "payment3-test-email" }) },
        EventDestination: Match.objectLike({
          Enabled: true,
          MatchingEventTypes: ["send", "delivery", "bounce", "complaint", "reject", "deliveryDelay"],
          EventBridgeDestination: {
            EventBusArn: {
              "Fn::Join": ["", ["arn:", PARTITION, ":events:ap-southeast-1:000000000000:event-bus/default"]],
            },
          },
        }),
      });
    });

    it("lets SES suppress a hard-bounced or complained address for the stage's emails, whatever the account's settings", () => {
      template.hasResourceProperties("AWS::SES::ConfigurationSet", {
        Name: "payment3-test-email",
        SuppressionOptions: { SuppressedReasons: ["BOUNCE", "COMPLAINT"] },
      });
    });

    it.each(SUBSCRIPTIONS.map((entry) => [entry.name, entry] as const))(
      "routes %s with the registry's pattern, unchanged",
      (_name, entry) => {
        template.hasResourceProperties("AWS::Events::Rule", {
          Name: `payment3-test-${entry.name}`,
          EventPattern: JSON.parse(JSON.stringify(entry.eventPattern)),
          Targets: [Match.objectLike({ Arn: arnOf(functionId(entry)) })],
        });
      },
    );

    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "gives the %s target the registry's retry policy and its own dead-letter queue",
      (_name, entry) => {
        const dlq = queueId(`payment3-test-${entry.name}-dlq`);
        const rule = logicalId("AWS::Events::Rule", { Name: `payment3-test-${entry.name}` });

        template.hasResourceProperties("AWS::Events::Rule", {
          Name: `payment3-test-${entry.name}`,
          Targets: [
            Match.objectLike({
              RetryPolicy: {
                MaximumRetryAttempts: entry.retry.maximumRetryAttempts,
                MaximumEventAgeInSeconds: entry.retry.maximumEventAgeSeconds,
              },
              DeadLetterConfig: { Arn: arnOf(dlq) },
            }),
          ],
        });
        template.hasResourceProperties("AWS::SQS::Queue", {
          QueueName: `payment3-test-${entry.name}-dlq`,
          MessageRetentionPeriod: entry.deadLetterRetentionDays * 86_400,
        });
        // Only this rule may dead-letter into the queue, and only this rule may invoke the function.
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: dlq }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Action: "sqs:SendMessage",
                Principal: { Service: "events.amazonaws.com" },
                Condition: { ArnEquals: { "aws:SourceArn": arnOf(rule) } },
              }),
            ]),
          },
        });
        template.hasResourceProperties("AWS::Lambda::Permission", {
          FunctionName: arnOf(functionId(entry)),
          Principal: "events.amazonaws.com",
          SourceArn: arnOf(rule),
        });
      },
    );
  });

  describe("uncertain-email sweep", () => {
    const sweep = SCHEDULED_FUNCTIONS.find((entry) => entry.name === "email-sweep")!;

    it("runs the sweep every 5 minutes from a scheduled rule on the default bus, with no event pattern", () => {
      template.hasResourceProperties("AWS::Events::Rule", {
        Name: "payment3-test-email-sweep",
        EventBusName: "default",
        ScheduleExpression: "rate(5 minutes)",
        EventPattern: Match.absent(),
        Targets: [
          Match.objectLike({
            Arn: arnOf(functionId(sweep)),
            DeadLetterConfig: { Arn: arnOf(queueId("payment3-test-email-sweep-dlq")) },
          }),
        ],
      });
    });

    it("gives the email log the sparse uncertain-email index, keys only, from its key schema", () => {
      const index = EMAIL_LOG_TABLE_KEYS.indexes![0]!;

      template.hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: "payment3-email-log-test",
        GlobalSecondaryIndexes: [
          {
            IndexName: "uncertain-email-index",
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: "HASH" },
              { AttributeName: index.sortKey!.name, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "KEYS_ONLY" },
          },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: "emailAwaitingProof", AttributeType: "S" },
          { AttributeName: "emailUncertainSince", AttributeType: "S" },
        ]),
      });
    });

    it("lets the sweep query only the index, update rows, and send only as the sender with the configuration set", () => {
      expect(statementOn(sweep, expectedResources("emailLogUncertainIndex")).Action).toBe("dynamodb:Query");
      expect(statementOn(sweep, expectedResources("emailLogTable")).Action).toBe("dynamodb:UpdateItem");
      expect(statementOn(sweep, expectedResources("senderIdentity")).Action).toBe("ses:SendEmail");
      expect(statementOn(sweep, expectedResources("emailConfigurationSet")).Action).toBe("ses:SendEmail");
    });

    it("gives the sweep the window setting (UNCERTAIN_EMAIL_WINDOW_MINUTES, default 15)", () => {
      template.hasResourceProperties("AWS::Lambda::Function", {
        FunctionName: "payment3-test-email-sweep",
        Environment: { Variables: Match.objectLike({ UNCERTAIN_EMAIL_WINDOW_MINUTES: "15" }) },
      });
    });
  });

  describe("functions", () => {
    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "sends %s's failed invocations to an SQS on-failure destination after Lambda's retries",
      (_name, entry) => {
        template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
          FunctionName: { Ref: functionId(entry) },
          Qualifier: "$LATEST",
          MaximumRetryAttempts: Math.min(entry.retry.maximumRetryAttempts, 2),
          MaximumEventAgeInSeconds: Math.min(entry.retry.maximumEventAgeSeconds, 21_600),
          DestinationConfig: { OnFailure: { Destination: arnOf(queueId(`payment3-test-${entry.name}-on-failure`)) } },
        });
      },
    );

    it("runs every registry function on nodejs24.x, arm64, with the registry's timeout: the processor 200 s, subscribers shorter", () => {
      for (const entry of FUNCTIONS) {
        template.hasResourceProperties("AWS::Lambda::Function", {
          FunctionName: `payment3-test-${entry.name}`,
          Runtime: "nodejs24.x",
          Architectures: ["arm64"],
          Timeout: entry.timeoutSeconds,
        });
      }
      const processor = subscription("processor");
      expect(processor.timeoutSeconds).toBe(200);
      for (const entry of FUNCTIONS.filter((other) => other !== processor))
        expect(entry.timeoutSeconds, entry.name).toBeLessThan(200);
    });

    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "configures %s from the one config module's names, with its Powertools service name",
      (_name, entry) => {
        template.hasResourceProperties("AWS::Lambda::Function", {
          FunctionName: `payment3-test-${entry.name}`,
          Environment: {
            Variables: Match.objectLike({
              BRANCH: "test",
              ORDER_TABLE_NAME: "order-table-dev",
              PROCESS_PAID_ORDER_TABLE_NAME: { Ref: tableId("payment3-process-paid-order-test") },
              EMAIL_LOG_TABLE_NAME: { Ref: tableId("payment3-email-log-test") },
              IDEMPOTENCY_TABLE_NAME: { Ref: tableId("payment3-idempotency-test") },
              CALCULATE_COST_FUNCTION: "calculate-cost-3-master",
              EVENT_BUS_NAME: { Ref: busId() },
              PAYMENT_NOTIFICATIONS_TOPIC_ARN: { Ref: topicId("payment3-payment-notifications-test") },
              SENDER_EMAIL: "payments@payment3.example",
              AUDIT_CREATED_AT_FORMAT: "epoch-millis",
              POWERTOOLS_SERVICE_NAME: `payment3-${entry.name}`,
              POWERTOOLS_LOG_LEVEL: "INFO",
              NODE_OPTIONS: "--enable-source-maps",
            }),
          },
          TracingConfig: Match.absent(),
        });
      },
    );
  });

  describe("tables and topics", () => {
    const keySchema = (keys: TableKeySchema) => [
      { AttributeName: keys.partitionKey.name, KeyType: "HASH" },
      ...(keys.sortKey ? [{ AttributeName: keys.sortKey.name, KeyType: "RANGE" }] : []),
    ];

    it("creates ProcessPaidOrderTable (orderId S hash, created_at N range by default) with point-in-time recovery, kept when the stage is removed", () => {
      template.hasResource("AWS::DynamoDB::Table", {
        Properties: Match.objectLike({
          TableName: "payment3-process-paid-order-test",
          KeySchema: [
            { AttributeName: "orderId", KeyType: "HASH" },
            { AttributeName: "created_at", KeyType: "RANGE" },
          ],
          AttributeDefinitions: Match.arrayWith([
            { AttributeName: "orderId", AttributeType: "S" },
            { AttributeName: "created_at", AttributeType: "N" },
          ]),
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
        DeletionPolicy: "Retain",
      });
      expect(keySchema(processPaidOrderTableKeys("epoch-millis"))).toEqual(
        templateJson.Resources[tableId("payment3-process-paid-order-test")].Properties.KeySchema,
      );
    });

    it("declares created_at a String, and gives every function AUDIT_CREATED_AT_FORMAT, when the stage is synthesized with AUDIT_CREATED_AT_FORMAT=iso-8601", () => {
      const iso = Template.fromJSON(isoTemplateJson);

      iso.hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: "payment3-process-paid-order-test",
        KeySchema: keySchema(processPaidOrderTableKeys("iso-8601")),
        AttributeDefinitions: Match.arrayWith([{ AttributeName: "created_at", AttributeType: "S" }]),
      });
      for (const entry of FUNCTIONS) {
        iso.hasResourceProperties("AWS::Lambda::Function", {
          FunctionName: `payment3-test-${entry.name}`,
          Environment: { Variables: Match.objectLike({ AUDIT_CREATED_AT_FORMAT: "iso-8601" }) },
        });
      }
    });

    const TABLE_NAMES = [
      "payment3-process-paid-order-test",
      "payment3-email-log-test",
      "payment3-idempotency-test",
      "payment3-email-suppressions-test",
    ];

    it.each(TABLE_NAMES)(
      "gives %s point-in-time recovery and keeps it when the stage is removed (a redelivery depends on its rows)",
      (tableName) => {
        const table = templateJson.Resources[tableId(tableName)];

        expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(table.DeletionPolicy).toBe("Retain");
        expect(table.UpdateReplacePolicy).toBe("Retain");
      },
    );

    it("deletes all four tables with the stage when it is synthesized with RETAIN_TABLES=false", () => {
      const tables = Object.values(Template.fromJSON(isoTemplateJson).findResources("AWS::DynamoDB::Table"));

      expect(tables.map((table) => table.Properties.TableName).sort()).toEqual([...TABLE_NAMES].sort());
      for (const table of tables) expect(table.DeletionPolicy, table.Properties.TableName).toBe("Delete");
    });

    it("creates the email log and the idempotency table (TTL on expiration) from their key schemas", () => {
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: "payment3-email-log-test",
        KeySchema: keySchema(EMAIL_LOG_TABLE_KEYS),
      });
      template.hasResourceProperties("AWS::DynamoDB::Table", {
        TableName: "payment3-idempotency-test",
        KeySchema: keySchema(IDEMPOTENCY_TABLE_KEYS),
        TimeToLiveSpecification: { AttributeName: "expiration", Enabled: true },
      });
    });

    it("never creates, changes or deletes the shared order table: it is not a resource of the stack", () => {
      const tableNames = resourcesOfType("AWS::DynamoDB::Table").map(([, table]) => table.Properties.TableName);

      expect(tableNames.sort()).toEqual([
        "payment3-email-log-test",
        "payment3-email-suppressions-test",
        "payment3-idempotency-test",
        "payment3-process-paid-order-test",
      ]);
      expect(JSON.stringify(templateJson.Resources)).not.toMatch(/"TableName":"order-table-dev"/);
    });

    it("creates the payment-notifications topic", () => {
      template.hasResourceProperties("AWS::SNS::Topic", { TopicName: "payment3-payment-notifications-test" });
    });

    /** The statement enforceSSL adds to a queue or topic policy: any request without TLS is denied. */
    const deniesPlainHttp = (action: string, resource: unknown, principal: unknown) =>
      Match.objectLike({
        Effect: "Deny",
        Principal: principal,
        Action: action,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });

    it("refuses non-TLS access to every queue (enforceSSL)", () => {
      const queues = resourcesOfType("AWS::SQS::Queue");

      expect(queues).toHaveLength(FUNCTIONS.length * 2);
      for (const [id] of queues) {
        template.hasResourceProperties("AWS::SQS::QueuePolicy", {
          Queues: [{ Ref: id }],
          PolicyDocument: { Statement: Match.arrayWith([deniesPlainHttp("sqs:*", arnOf(id), { AWS: "*" })]) },
        });
      }
    });

    // CDK's enforceSSL on a topic denies sns:Publish; subscribing needs IAM rights nobody outside the stack is given.
    it("refuses publishing without TLS to every topic (enforceSSL)", () => {
      const topics = resourcesOfType("AWS::SNS::Topic");

      expect(topics.map(([, topic]) => topic.Properties.TopicName).sort()).toEqual([
        "payment3-payment-notifications-test",
        "payment3-test-ops-alarms",
      ]);
      for (const [id] of topics) {
        template.hasResourceProperties("AWS::SNS::TopicPolicy", {
          Topics: [{ Ref: id }],
          PolicyDocument: { Statement: Match.arrayWith([deniesPlainHttp("sns:Publish", { Ref: id }, "*")]) },
        });
      }
    });
  });

  describe("IAM", () => {
    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "grants %s exactly its registry access, plus sending to its on-failure queue",
      (_name, entry) => {
        const onFailureQueue = arnOf(queueId(`payment3-test-${entry.name}-on-failure`));

        for (const access of entry.access) {
          expect(
            asList(statementOn(entry, expectedResources(access.resource)).Action),
            `${entry.name} on ${access.resource}`,
          ).toEqual(access.actions);
        }
        expect(asList(statementOn(entry, [onFailureQueue]).Action)).toEqual([
          "sqs:SendMessage",
          "sqs:GetQueueAttributes",
          "sqs:GetQueueUrl",
        ]);
        expect(functionStatements(entry)).toHaveLength(entry.access.length + 1);
      },
    );

    it("lets the processor read and update orders, invoke calculate-cost and publish on this bus", () => {
      const processor = subscription("processor");

      expect(statementOn(processor, expectedResources("orderTable")).Action).toEqual([
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
      ]);
      expect(statementOn(processor, expectedResources("calculateCostFunction")).Action).toBe("lambda:InvokeFunction");
      expect(statementOn(processor, expectedResources("eventBus")).Action).toBe("events:PutEvents");
      expect(statementOn(processor, expectedResources("eventBus")).Condition).toEqual({
        StringEquals: { "events:source": "payment3.processor" },
      });
    });

    it("lets the audit log put rows in its table, and not touch the order table", () => {
      const auditLog = subscription("audit-log");
      const resources = functionStatements(auditLog).map((statement) => asList(statement.Resource));

      expect(asList(statementOn(auditLog, expectedResources("processPaidOrderTable")).Action)).toContain(
        "dynamodb:PutItem",
      );
      expect(resources).not.toContainEqual(expectedResources("orderTable"));
    });

    it("lets notifications send mail only as the sender identity and publish only to its topic", () => {
      const notifications = subscription("notifications");

      expect(asList(statementOn(notifications, expectedResources("senderIdentity")).Action)).toContain("ses:SendEmail");
      expect(statementOn(notifications, expectedResources("paymentNotificationsTopic")).Action).toBe("sns:Publish");
      expect(asList(statementOn(notifications, expectedResources("emailLogTable")).Action).length).toBeGreaterThan(0);
      expect(asList(statementOn(notifications, expectedResources("idempotencyTable")).Action).length).toBeGreaterThan(
        0,
      );
    });

    it("attaches no managed policy to a function's role but AWSLambdaBasicExecutionRole (CloudWatch Logs)", () => {
      for (const [, role] of resourcesOfType("AWS::IAM::Role")) {
        expect(role.Properties.ManagedPolicyArns ?? []).toEqual([
          { "Fn::Join": ["", ["arn:", PARTITION, ":iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]] },
        ]);
      }
    });

    it("allows no wildcard action and no '*' resource anywhere (only enforceSSL's denials use sqs:* / sns:*)", () => {
      const statements = allStatements();
      const allowed = statements.filter((statement) => statement.Effect !== "Deny");
      const actions = allowed.flatMap((statement) => asList(statement.Action ?? statement.NotAction));
      const permissionActions = resourcesOfType("AWS::Lambda::Permission").map(
        ([, permission]) => permission.Properties.Action,
      );

      expect(allowed.length).toBeGreaterThan(10);
      expect(
        statements
          .filter((statement) => statement.Effect === "Deny")
          .every((statement) => statement.Condition?.Bool?.["aws:SecureTransport"] === "false"),
      ).toBe(true);
      expect([...actions, ...permissionActions].filter((action) => String(action).includes("*"))).toEqual([]);
      expect(statements.filter((statement) => asList(statement.Resource).includes("*"))).toEqual([]);
    });

    it("gives the callbacks a managed policy: PutEvents on this bus only, one statement per callback source, each pinned to WalletPaymentConfirmed", () => {
      template.hasResourceProperties("AWS::IAM::ManagedPolicy", {
        ManagedPolicyName: "payment3-test-callback-publish",
        PolicyDocument: {
          Statement: Object.values(CONFIRMATION_SOURCE_BY_CHANNEL).map((source) =>
            Match.objectLike({
              Effect: "Allow",
              Action: "events:PutEvents",
              Resource: arnOf(busId()),
              Condition: { StringEquals: { "events:source": source, "events:detail-type": "WalletPaymentConfirmed" } },
            }),
          ),
        },
      });
    });

    it("lets no callback statement publish an OrderPaid: every Allow names exactly one source and exactly the detail-type WalletPaymentConfirmed", () => {
      const policy = logicalId("AWS::IAM::ManagedPolicy", { ManagedPolicyName: "payment3-test-callback-publish" });
      const statements: Json[] = templateJson.Resources[policy].Properties.PolicyDocument.Statement;

      expect(statements).toHaveLength(Object.keys(CONFIRMATION_SOURCE_BY_CHANNEL).length);
      for (const statement of statements) {
        expect(Object.keys(statement.Condition)).toEqual(["StringEquals"]);
        expect(statement.Condition.StringEquals["events:detail-type"]).toBe("WalletPaymentConfirmed");
        expect(typeof statement.Condition.StringEquals["events:source"]).toBe("string");
      }
    });
  });

  describe("alarms", () => {
    const opsTopic = () => ({ Ref: topicId("payment3-test-ops-alarms") });

    it("alarms the ops topic as soon as any dead-letter or on-failure queue holds a message", () => {
      const queues = resourcesOfType("AWS::SQS::Queue");

      expect(queues).toHaveLength(FUNCTIONS.length * 2);
      for (const [id] of queues) {
        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "AWS/SQS",
          MetricName: "ApproximateNumberOfMessagesVisible",
          Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [id, "QueueName"] } }],
          ComparisonOperator: "GreaterThanThreshold",
          Threshold: 0,
          AlarmActions: [opsTopic()],
        });
      }
    });

    it("alarms the ops topic on processor errors", () => {
      template.hasResourceProperties("AWS::CloudWatch::Alarm", {
        Namespace: "AWS/Lambda",
        MetricName: "Errors",
        Dimensions: [{ Name: "FunctionName", Value: { Ref: functionId(subscription("processor")) } }],
        ComparisonOperator: "GreaterThanThreshold",
        Threshold: 0,
        AlarmActions: [opsTopic()],
      });
    });

    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "alarms when rule %s drops an event: FailedInvocations and InvocationsFailedToBeSentToDlq (AWS/Events, RuleName + EventBusName)",
      (_name, entry) => {
        for (const metricName of ["FailedInvocations", "InvocationsFailedToBeSentToDlq"]) {
          template.hasResourceProperties("AWS::CloudWatch::Alarm", {
            Namespace: "AWS/Events",
            MetricName: metricName,
            // CloudFormation's Dimensions list, in CDK's (alphabetical) order.
            Dimensions: [
              { Name: "EventBusName", Value: busOf(entry) },
              { Name: "RuleName", Value: `payment3-test-${entry.name}` },
            ],
            Statistic: "Sum",
            Period: 300,
            ComparisonOperator: "GreaterThanThreshold",
            Threshold: 0,
            TreatMissingData: "notBreaching",
            AlarmActions: [opsTopic()],
          });
        }
      },
    );

    it.each(FUNCTIONS.map((entry) => [entry.name, entry] as const))(
      "alarms when function %s drops an event or is throttled: AsyncEventsDropped, DestinationDeliveryFailures, Throttles (AWS/Lambda, FunctionName)",
      (_name, entry) => {
        for (const metricName of ["AsyncEventsDropped", "DestinationDeliveryFailures", "Throttles"]) {
          template.hasResourceProperties("AWS::CloudWatch::Alarm", {
            Namespace: "AWS/Lambda",
            MetricName: metricName,
            Dimensions: [{ Name: "FunctionName", Value: { Ref: functionId(entry) } }],
            Statistic: "Sum",
            Period: 300,
            ComparisonOperator: "GreaterThanThreshold",
            Threshold: 0,
            AlarmActions: [opsTopic()],
          });
        }
      },
    );

    it.each(ALARMED_BUSINESS_METRICS.map((entry) => [entry.id, entry] as const))(
      "alarms on the business metric %s with exactly the dimensions its function writes (namespace payment3, service, stage, its own)",
      (_id, alarmed) => {
        expect(FUNCTIONS.map((entry) => entry.name)).toContain(alarmed.subscription);
        const dimensions = { service: `payment3-${alarmed.subscription}`, stage: "test", ...alarmed.dimensions };

        template.hasResourceProperties("AWS::CloudWatch::Alarm", {
          Namespace: "payment3",
          MetricName: alarmed.name,
          Dimensions: Object.entries(dimensions)
            .map(([Name, Value]) => ({ Name, Value }))
            .sort((a, b) => a.Name.localeCompare(b.Name)),
          Statistic: "Sum",
          Period: 300,
          ComparisonOperator: "GreaterThanThreshold",
          Threshold: 0,
          AlarmDescription: alarmed.meaning,
          AlarmActions: [opsTopic()],
        });
      },
    );

    it("watches refused emails, uncertain notifications, complaints, bounces, suppressed emails, ALREADY_PAID and AMOUNT_MISMATCH, each with its own alarm", () => {
      expect(ALARMED_BUSINESS_METRICS.map(({ name, dimensions }) => [name, dimensions.reason ?? null])).toEqual([
        ["OrderPaymentFailed", "ALREADY_PAID"],
        ["OrderPaymentFailed", "AMOUNT_MISMATCH"],
        ["EmailRefused", null],
        ["NotificationUncertain", null],
        ["EmailComplained", null],
        ["EmailBounced", null],
        ["EmailSuppressed", null],
      ]);
      expect(resourcesOfType("AWS::CloudWatch::Alarm")).toHaveLength(
        FUNCTIONS.length * (3 + 2 + 3) + ALARMED_BUSINESS_METRICS.length,
      );
    });

    it("also notifies the existing topic OPS_ALARM_TOPIC_ARN names, from every alarm", () => {
      const alarms = Object.values(Template.fromJSON(isoTemplateJson).findResources("AWS::CloudWatch::Alarm"));

      expect(alarms.length).toBeGreaterThan(0);
      for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([opsTopic(), EXISTING_ALARM_TOPIC_ARN]);
    });
  });

  describe("dashboard", () => {
    /** The dashboard body as CloudWatch reads it, with every `{ Ref }` / `{ Fn::GetAtt }` written as `<logicalId>`. */
    function dashboardBody(): Json {
      const [, dashboard] = resourcesOfType("AWS::CloudWatch::Dashboard")[0]!;
      const [, parts] = dashboard.Properties.DashboardBody["Fn::Join"] as [string, unknown[]];
      const text = parts
        .map((part) => (typeof part === "string" ? part : `<${(part as Json).Ref ?? (part as Json)["Fn::GetAtt"][0]}>`))
        .join("");
      return JSON.parse(text);
    }
    const metricsOf = (widget: Json): unknown[][] => widget.properties.metrics;

    it("creates one dashboard, payment3-<stage>-ops, output as OpsDashboardName", () => {
      const dashboards = resourcesOfType("AWS::CloudWatch::Dashboard");

      expect(dashboards).toHaveLength(1);
      expect(dashboards[0]![1].Properties.DashboardName).toBe("payment3-test-ops");
      template.hasOutput("OpsDashboardName", { Value: { Ref: dashboards[0]![0] } });
    });

    it("shows the flow from confirmations to outcomes, every failure reason, and the notifications, from the functions' own metrics", () => {
      const widgets: Json[] = dashboardBody().widgets;
      const titles = widgets.map((widget) => widget.properties.title);
      const business = widgets.flatMap(metricsOf).filter((metric) => metric[0] === "payment3");

      expect(titles).toEqual([
        "Confirmations → outcomes",
        "OrderPaymentFailed by reason",
        "Customer notifications",
        "Dead-letter and on-failure queue depths",
        "Function errors",
        "Function duration (p95)",
        "calculate-cost calls and failures by kind",
        "calculate-cost latency",
      ]);
      expect(new Set(business.map((metric) => metric[1]))).toEqual(
        new Set([
          "ConfirmationReceived",
          "OrderPaid",
          "OrderPaymentFailed",
          "RedeliveryRecognised",
          "EmailSent",
          "EmailRefused",
          "EmailSkipped",
          "NotificationUncertain",
          "SnsPublished",
          "CalculateCostLatency",
          "CalculateCostFailed",
        ]),
      );
      const reasons = business
        .filter((metric) => metric[1] === "OrderPaymentFailed")
        .map((metric) => metric[metric.indexOf("reason") + 1]);
      expect(reasons.sort()).toEqual([
        "ALREADY_PAID",
        "AMOUNT_MISMATCH",
        "COST_CALCULATION_FAILED",
        "INVALID_EVENT",
        "ORDER_NOT_FOUND",
        "ORDER_STORE_UNAVAILABLE",
        "PAYMENT_DECLINED",
      ]);
      for (const metric of business)
        expect(metric.slice(2, -1), String(metric[1])).toEqual(expect.arrayContaining(["stage", "test", "service"]));
    });

    it("shows every queue's depth and every function's errors and p95 duration", () => {
      const widgets: Json[] = dashboardBody().widgets;
      const [depths, errors, durations] = widgets.slice(3).map(metricsOf);

      expect(depths!.map((metric) => metric.slice(0, 2))).toEqual(
        resourcesOfType("AWS::SQS::Queue").map(() => ["AWS/SQS", "ApproximateNumberOfMessagesVisible"]),
      );
      expect(depths!.map((metric) => metric[3]).sort()).toEqual(
        resourcesOfType("AWS::SQS::Queue")
          .map(([id]) => `<${id}>`)
          .sort(),
      );
      expect(errors!.map((metric) => [metric[1], metric[3]])).toEqual(
        FUNCTIONS.map((entry) => ["Errors", `<${functionId(entry)}>`]),
      );
      expect(durations!.map((metric) => [metric[1], metric[3], (metric.at(-1) as Json).stat])).toEqual(
        FUNCTIONS.map((entry) => ["Duration", `<${functionId(entry)}>`, "p95"]),
      );
    });
  });

  describe("calculate-cost on the dashboard", () => {
    it("shows the processor's calculate-cost calls, failures by each kind, and latency p50 / p95 / max", () => {
      const [, dashboard] = resourcesOfType("AWS::CloudWatch::Dashboard")[0]!;
      const [, parts] = dashboard.Properties.DashboardBody["Fn::Join"] as [string, unknown[]];
      const widgets: Json[] = JSON.parse(parts.filter((part) => typeof part === "string").join("")).widgets;
      const [calls, latency] = widgets.slice(-2).map((widget) => widget.properties.metrics as unknown[][]);
      const statOf = (metric: unknown[]) => (metric.at(-1) as Json).stat;
      const processor = ["service", "payment3-processor", "stage", "test"];

      expect(
        calls!.map((metric) => [
          metric[1],
          statOf(metric),
          metric.includes("kind") ? metric[metric.indexOf("kind") + 1] : null,
        ]),
      ).toEqual([
        ["CalculateCostLatency", "SampleCount", null],
        ["CalculateCostFailed", "Sum", "INVOKE_FAILED"],
        ["CalculateCostFailed", "Sum", "FUNCTION_ERROR"],
        ["CalculateCostFailed", "Sum", "ERROR_STATUS"],
        ["CalculateCostFailed", "Sum", "BAD_ANSWER"],
      ]);
      expect(latency!.map((metric) => [metric[1], statOf(metric)])).toEqual([
        ["CalculateCostLatency", "p50"],
        ["CalculateCostLatency", "p95"],
        ["CalculateCostLatency", "Maximum"],
      ]);
      for (const metric of [...calls!, ...latency!])
        expect(metric.slice(2, -1)).toEqual(expect.arrayContaining(processor));
    });
  });

  describe("outputs", () => {
    it("outputs the bus, archive, topics and callback policy", () => {
      template.hasOutput("EventBusName", { Value: { Ref: busId() } });
      template.hasOutput("EventBusArn", { Value: arnOf(busId()) });
      template.hasOutput("ArchiveName", {
        Value: { Ref: logicalId("AWS::Events::Archive", { ArchiveName: "payment3-test-archive" }) },
      });
      template.hasOutput("PaymentNotificationsTopicArn", {
        Value: { Ref: topicId("payment3-payment-notifications-test") },
      });
      template.hasOutput("OpsAlarmTopicArn", { Value: { Ref: topicId("payment3-test-ops-alarms") } });
      template.hasOutput("CallbackPublishPolicyArn", {
        Value: { Ref: logicalId("AWS::IAM::ManagedPolicy", { ManagedPolicyName: "payment3-test-callback-publish" }) },
      });
    });

    it("outputs every subscription's dead-letter and on-failure queue URL", () => {
      const queueUrls = Object.values(templateJson.Outputs as Record<string, Json>).map((output) => output.Value);

      for (const entry of SUBSCRIPTIONS) {
        expect(queueUrls).toContainEqual({ Ref: queueId(`payment3-test-${entry.name}-dlq`) });
        expect(queueUrls).toContainEqual({ Ref: queueId(`payment3-test-${entry.name}-on-failure`) });
      }
    });
  });
});
