import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { subscriptionNamePrefix } from "@payment3/core";

/**
 * Dead letters on AWS live in two kinds of SQS queue per subscription (see stacks/):
 * `payment3-<stage>-<name>-dlq` gets events EventBridge could not deliver (the body is the
 * event; RULE_ARN / TARGET_ARN / ERROR_* message attributes), and
 * `payment3-<stage>-<name>-on-failure` gets async invocations that failed inside the function
 * (a Lambda destination record: requestContext.functionArn, requestPayload = the event,
 * responsePayload = the error).
 */
export interface AwsDeadLetter {
  readonly queueName: string;
  readonly queueUrl: string;
  readonly messageId: string;
  readonly receiptHandle: string;
  /** The Lambda function to deliver the event to again. */
  readonly functionArn: string | undefined;
  readonly event: unknown;
  readonly error: string;
}

export interface QueueDepth {
  readonly queueName: string;
  readonly queueUrl: string;
  readonly messages: number;
}

const queueNameOf = (url: string) => url.split("/").at(-1) ?? url;

/** The stage's dead-letter queues and how many messages each holds. */
export async function listDeadLetterQueues(sqs: SQSClient, stage: string): Promise<QueueDepth[]> {
  const urls: string[] = [];
  let token: string | undefined;
  do {
    const page = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: subscriptionNamePrefix(stage), ...(token ? { NextToken: token } : {}) }),
    );
    urls.push(...(page.QueueUrls ?? []).filter((url) => /-(dlq|on-failure)$/.test(queueNameOf(url))));
    token = page.NextToken;
  } while (token);
  return Promise.all(
    urls.map(async (queueUrl) => {
      const attributes = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }),
      );
      return {
        queueName: queueNameOf(queueUrl),
        queueUrl,
        messages: Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0),
      };
    }),
  );
}

/** Reads one SQS dead-letter message, from either kind of queue. */
export function parseDeadLetterMessage(queueUrl: string, message: Message): AwsDeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  let body: unknown;
  try {
    body = JSON.parse(message.Body ?? "");
  } catch {
    body = message.Body;
  }
  const record = body as {
    requestContext?: { functionArn?: string; condition?: string };
    requestPayload?: unknown;
    responsePayload?: { errorType?: string; errorMessage?: string };
  };
  const isDestinationRecord =
    typeof record === "object" && record !== null && "requestContext" in record && "requestPayload" in record;
  const base = {
    queueName: queueNameOf(queueUrl),
    queueUrl,
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
  };
  if (isDestinationRecord) {
    // Destination records name the version (…:function:name:$LATEST); invoke the function itself.
    const functionArn = record.requestContext?.functionArn?.replace(/:\$LATEST$/, "");
    const error = record.responsePayload?.errorMessage
      ? `${record.responsePayload.errorType ?? "Error"}: ${record.responsePayload.errorMessage}`
      : (record.requestContext?.condition ?? "unknown");
    return { ...base, functionArn, event: record.requestPayload, error };
  }
  return {
    ...base,
    functionArn: attribute("TARGET_ARN"),
    event: body,
    error: `${attribute("ERROR_CODE") ?? "UNKNOWN"}: ${attribute("ERROR_MESSAGE") ?? "(no message)"}`,
  };
}

/**
 * Reads up to `limit` messages from each dead-letter queue of the stage. Reading hides a
 * message for `visibilitySeconds` (SQS has no peek); it is not deleted.
 */
export async function listAwsDeadLetters(
  sqs: SQSClient,
  stage: string,
  options: { limit?: number; visibilitySeconds?: number } = {},
): Promise<AwsDeadLetter[]> {
  const limit = options.limit ?? 100;
  const letters: AwsDeadLetter[] = [];
  for (const queue of await listDeadLetterQueues(sqs, stage)) {
    const seen = new Set<string>();
    while (seen.size < limit) {
      const batch = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queue.queueUrl,
          MaxNumberOfMessages: Math.min(10, limit - seen.size),
          VisibilityTimeout: options.visibilitySeconds ?? 60,
          MessageAttributeNames: ["All"],
          WaitTimeSeconds: 0,
        }),
      );
      const fresh = (batch.Messages ?? []).filter((m) => m.MessageId && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId!);
        letters.push(parseDeadLetterMessage(queue.queueUrl, message));
      }
    }
  }
  return letters;
}

export interface AwsRedriveResult {
  readonly messageId: string;
  readonly queueName: string;
  readonly status: "redelivered" | "skipped" | "failed";
  readonly detail: string;
}

/**
 * Delivers each dead letter to its function again (an asynchronous Invoke, so the function's
 * own retries and on-failure queue still apply) and deletes the message once Lambda accepted
 * it. A letter whose function cannot be told stays in its queue.
 */
export async function redriveAwsDeadLetters(
  clients: { sqs: SQSClient; lambda: LambdaClient },
  letters: readonly AwsDeadLetter[],
): Promise<AwsRedriveResult[]> {
  const results: AwsRedriveResult[] = [];
  for (const letter of letters) {
    if (!letter.functionArn) {
      results.push({
        messageId: letter.messageId,
        queueName: letter.queueName,
        status: "skipped",
        detail: "the message names no target function; left in the queue",
      });
      continue;
    }
    try {
      await clients.lambda.send(
        new InvokeCommand({
          FunctionName: letter.functionArn,
          InvocationType: "Event",
          Payload: Buffer.from(JSON.stringify(letter.event)),
        }),
      );
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: letter.queueUrl, ReceiptHandle: letter.receiptHandle }),
      );
      results.push({
        messageId: letter.messageId,
        queueName: letter.queueName,
        status: "redelivered",
        detail: letter.functionArn,
      });
    } catch (error) {
      results.push({
        messageId: letter.messageId,
        queueName: letter.queueName,
        status: "failed",
        detail: `${(error as Error).name}: ${(error as Error).message}`,
      });
    }
  }
  return results;
}
