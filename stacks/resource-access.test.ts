import { App, Stack } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { accessStatements, calculateCostFunctionArn, senderIdentityArns, type ResourceArns } from "./resource-access";

const stack = new Stack(new App(), "Arns", { env: { account: "123456789012", region: "ap-southeast-1" } });
const resolve = (value: unknown) => stack.resolve(value);

const arns: ResourceArns = {
  orderTable: ["arn:order-table"],
  processPaidOrderTable: ["arn:process-paid-order-table"],
  emailLogTable: ["arn:email-log-table"],
  emailLogUncertainIndex: ["arn:email-log-table/index/uncertain-email-index"],
  idempotencyTable: ["arn:idempotency-table"],
  emailSuppressionTable: ["arn:email-suppression-table"],
  calculateCostFunction: ["arn:calculate-cost"],
  eventBus: ["arn:bus"],
  paymentNotificationsTopic: ["arn:topic"],
  senderIdentity: ["arn:identity/address", "arn:identity/domain"],
  emailConfigurationSet: ["arn:configuration-set"],
};

describe("accessStatements", () => {
  it("turns each access entry into one statement: exactly its actions on its role's resources", () => {
    const statements = accessStatements(
      "notifications",
      [
        { resource: "senderIdentity", actions: ["ses:SendEmail"] },
        { resource: "paymentNotificationsTopic", actions: ["sns:Publish"] },
      ],
      arns,
    );

    expect(statements.map((statement) => statement.toStatementJson())).toEqual([
      {
        Sid: "SenderIdentity",
        Effect: "Allow",
        Action: "ses:SendEmail",
        Resource: ["arn:identity/address", "arn:identity/domain"],
      },
      { Sid: "PaymentNotificationsTopic", Effect: "Allow", Action: "sns:Publish", Resource: "arn:topic" },
    ]);
  });

  it("refuses a wildcard action, naming the subscription", () => {
    const build = () =>
      accessStatements("audit-log", [{ resource: "processPaidOrderTable", actions: ["dynamodb:*"] }], arns);

    expect(build).toThrow('subscription "audit-log" asks for the wildcard action "dynamodb:*"');
  });
});

describe("resource ARNs", () => {
  it("scopes SES sending to the sender's address and domain identities", () => {
    const identities = senderIdentityArns(stack, "no-reply@shop.example.co.th").map(resolve);

    expect(JSON.stringify(identities)).toContain(
      ":ses:ap-southeast-1:123456789012:identity/no-reply@shop.example.co.th",
    );
    expect(JSON.stringify(identities)).toContain(":ses:ap-southeast-1:123456789012:identity/shop.example.co.th");
    expect(identities).toHaveLength(2);
  });

  it("takes calculate-cost by name or as a full ARN", () => {
    const byName = JSON.stringify(resolve(calculateCostFunctionArn(stack, "calculate-cost-3-master")));
    const byArn = calculateCostFunctionArn(stack, "arn:aws:lambda:ap-southeast-1:999999999999:function:calculate-cost");

    expect(byName).toContain(":lambda:ap-southeast-1:123456789012:function:calculate-cost-3-master");
    expect(byArn).toBe("arn:aws:lambda:ap-southeast-1:999999999999:function:calculate-cost");
  });
});
