import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { SQSClient, Message } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { parseDeadLetterMessage, redriveAwsDeadLetters } from "./aws-dead-letters";
import { progressBar } from "./archive-replay";
import { parseTimeArgument } from "./time-arguments";

const now = new Date("2026-11-29T12:00:00Z");
const event = {
  version: "0",
  id: "e-1",
  "detail-type": "OrderPaid",
  source: "payment3.processor",
  detail: { orderId: "1" },
};

describe("operator time arguments", () => {
  it.each([
    ["2026-11-29T10:00:00Z", "2026-11-29T10:00:00.000Z"],
    ["2026-11-29T17:00:00+07:00", "2026-11-29T10:00:00.000Z"],
    ["now", "2026-11-29T12:00:00.000Z"],
    ["-2h", "2026-11-29T10:00:00.000Z"],
    ["30m ago", "2026-11-29T11:30:00.000Z"],
    ["-1d", "2026-11-28T12:00:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(parseTimeArgument(text, now).toISOString()).toBe(iso);
  });

  it("refuses what it cannot read, saying what it takes", () => {
    expect(() => parseTimeArgument("yesterday", now, "--from")).toThrow(
      /--from must be an ISO-8601 time .* got "yesterday"/,
    );
  });

  it("draws a progress bar", () => {
    expect(progressBar(0.5, 10)).toBe("[#####.....]  50%");
  });
});

/**
 * No SQS emulator runs here, so the AWS dead-letter path is checked with scripted clients: the
 * two message formats AWS writes, and the redrive order (invoke, then delete).
 */
describe("AWS dead letters", () => {
  const queueUrl = "https://sqs.ap-southeast-1.amazonaws.com/123456789012/payment3-prod-audit-log-dlq";

  it("reads a rule-target DLQ message: the event is the body, the target is an attribute", () => {
    const message: Message = {
      MessageId: "m-1",
      ReceiptHandle: "r-1",
      Body: JSON.stringify(event),
      MessageAttributes: {
        TARGET_ARN: {
          DataType: "String",
          StringValue: "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-prod-audit-log",
        },
        ERROR_CODE: { DataType: "String", StringValue: "THROTTLING" },
        ERROR_MESSAGE: { DataType: "String", StringValue: "Rate exceeded" },
      },
    };

    expect(parseDeadLetterMessage(queueUrl, message)).toEqual({
      queueName: "payment3-prod-audit-log-dlq",
      queueUrl,
      messageId: "m-1",
      receiptHandle: "r-1",
      functionArn: "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-prod-audit-log",
      event,
      error: "THROTTLING: Rate exceeded",
    });
  });

  it("reads a Lambda on-failure destination record: the event is requestPayload", () => {
    const body = {
      version: "1.0",
      requestContext: {
        functionArn: "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-prod-audit-log:$LATEST",
        condition: "RetriesExhausted",
      },
      requestPayload: event,
      responsePayload: { errorType: "AuditLogError", errorMessage: "table throttled" },
    };

    const letter = parseDeadLetterMessage(queueUrl.replace("-dlq", "-on-failure"), {
      MessageId: "m-2",
      ReceiptHandle: "r-2",
      Body: JSON.stringify(body),
    });

    expect(letter).toMatchObject({
      functionArn: "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-prod-audit-log",
      event,
      error: "AuditLogError: table throttled",
    });
  });

  it("reads the legacy invoke adapter's on-failure record: the kept legacy payload is what a redrive invokes the adapter with", () => {
    const payload = '{"order_id":"492500005645","payment_id":"pay_legacy_1","success":"yes"}';
    const body = {
      version: "1.0",
      requestContext: {
        functionArn:
          "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-process-paid-wallet-order-internal-prod:$LATEST",
        condition: "RetriesExhausted",
      },
      requestPayload: payload,
      responsePayload: {
        errorType: "LegacyPayloadError",
        errorMessage: 'the legacy payload was not published: success must be true or false, got "yes"',
      },
    };

    const letter = parseDeadLetterMessage(queueUrl.replace("audit-log-dlq", "legacy-invoke-on-failure"), {
      MessageId: "m-4",
      ReceiptHandle: "r-4",
      Body: JSON.stringify(body),
    });

    expect(letter).toMatchObject({
      queueName: "payment3-prod-legacy-invoke-on-failure",
      functionArn:
        "arn:aws:lambda:ap-southeast-1:123456789012:function:payment3-process-paid-wallet-order-internal-prod",
      event: payload,
      error: 'LegacyPayloadError: the legacy payload was not published: success must be true or false, got "yes"',
    });
  });

  it("redrives by invoking the function asynchronously, then deleting the message; a failed invoke keeps it", async () => {
    const calls: string[] = [];
    const lambda = {
      send: async (command: { input: { FunctionName: string; InvocationType: string } }) => {
        calls.push(`invoke ${command.input.FunctionName} ${command.input.InvocationType}`);
        if (command.input.FunctionName.endsWith("broken"))
          throw Object.assign(new Error("no such function"), { name: "ResourceNotFoundException" });
        return { StatusCode: 202 };
      },
    } as unknown as LambdaClient;
    const sqs = {
      send: async (command: { input: { ReceiptHandle: string } }) => {
        calls.push(`delete ${command.input.ReceiptHandle}`);
        return {};
      },
    } as unknown as SQSClient;
    const base = { queueName: "payment3-prod-audit-log-dlq", queueUrl, event, error: "x" };

    const results = await redriveAwsDeadLetters({ sqs, lambda }, [
      { ...base, messageId: "m-1", receiptHandle: "r-1", functionArn: "arn:fn:ok" },
      { ...base, messageId: "m-2", receiptHandle: "r-2", functionArn: "arn:fn:broken" },
      { ...base, messageId: "m-3", receiptHandle: "r-3", functionArn: undefined },
    ]);

    expect(calls).toEqual(["invoke arn:fn:ok Event", "delete r-1", "invoke arn:fn:broken Event"]);
    expect(results.map((r) => r.status)).toEqual(["redelivered", "failed", "skipped"]);
  });
});
