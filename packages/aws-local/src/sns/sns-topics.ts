import { AwsQueryError } from "../http/aws-query-protocol";
import { LOCAL_ACCOUNT } from "../local-account";

export const LOCAL_ACCOUNT_ID = LOCAL_ACCOUNT;

export interface SnsTopic {
  readonly arn: string;
  readonly name: string;
  readonly region: string;
  readonly fifo: boolean;
  /** Attributes set through CreateTopic or SetTopicAttributes (DisplayName, FifoTopic, ...). */
  readonly attributes: Map<string, string>;
}

/** Attributes CreateTopic and SetTopicAttributes accept (SNS answers `InvalidParameter` for others). */
const SETTABLE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "DisplayName",
  "Policy",
  "DeliveryPolicy",
  "KmsMasterKeyId",
  "SignatureVersion",
  "TracingConfig",
  "FifoTopic",
  "ContentBasedDeduplication",
  "ArchivePolicy",
  "FifoThroughputScope",
  "DataProtectionPolicy",
  "HTTPSuccessFeedbackRoleArn",
  "HTTPSuccessFeedbackSampleRate",
  "HTTPFailureFeedbackRoleArn",
  "LambdaSuccessFeedbackRoleArn",
  "LambdaSuccessFeedbackSampleRate",
  "LambdaFailureFeedbackRoleArn",
  "SQSSuccessFeedbackRoleArn",
  "SQSSuccessFeedbackSampleRate",
  "SQSFailureFeedbackRoleArn",
  "FirehoseSuccessFeedbackRoleArn",
  "FirehoseSuccessFeedbackSampleRate",
  "FirehoseFailureFeedbackRoleArn",
  "ApplicationSuccessFeedbackRoleArn",
  "ApplicationSuccessFeedbackSampleRate",
  "ApplicationFailureFeedbackRoleArn",
]);
/** Fixed at creation. */
const CREATE_ONLY_ATTRIBUTES: ReadonlySet<string> = new Set(["FifoTopic"]);

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_.-]{1,256})$/;

export function topicArnOf(region: string, name: string): string {
  return `arn:aws:sns:${region}:${LOCAL_ACCOUNT_ID}:${name}`;
}

/** Throws `InvalidParameter` naming `parameter` when `arn` is not an SNS topic ARN. */
export function assertTopicArn(arn: string, parameter: string): void {
  if (!TOPIC_ARN.test(arn)) {
    throw new AwsQueryError(
      "InvalidParameter",
      400,
      `Invalid parameter: ${parameter} Reason: ${JSON.stringify(arn)} is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)`,
    );
  }
}

/** The topics of the local SNS, keyed by ARN, so the same name in two regions is two topics, as in AWS. */
export class SnsTopicRegistry {
  private readonly topics = new Map<string, SnsTopic>();

  /**
   * CreateTopic: idempotent by name, as in AWS. Asking again with different attributes is
   * `InvalidParameter`; a `.fifo` name needs `FifoTopic=true` and the reverse.
   */
  create(name: string, region: string, attributes: ReadonlyMap<string, string>): SnsTopic {
    for (const key of attributes.keys()) assertSettable(key);
    const fifo = attributes.get("FifoTopic")?.toLowerCase() === "true";
    if (fifo ? !FIFO_TOPIC_NAME.test(name) : !TOPIC_NAME.test(name)) {
      throw new AwsQueryError(
        "InvalidParameter",
        400,
        fifo
          ? `Invalid parameter: Fifo Topic names must end with .fifo and be made up of only letters, digits, underscores and hyphens, got ${JSON.stringify(name)}`
          : `Invalid parameter: Topic Name: 1-256 letters, digits, underscores and hyphens${name.endsWith(".fifo") ? " (a .fifo name needs the attribute FifoTopic=true)" : ""}, got ${JSON.stringify(name)}`,
      );
    }
    const arn = topicArnOf(region, name);
    const existing = this.topics.get(arn);
    if (existing) {
      for (const [key, value] of attributes) {
        if (existing.attributes.get(key) !== value) {
          throw new AwsQueryError(
            "InvalidParameter",
            400,
            `Invalid parameter: Attributes Reason: Topic already exists with different attributes (${key})`,
          );
        }
      }
      return existing;
    }
    const topic: SnsTopic = { arn, name, region, fifo, attributes: new Map(attributes) };
    this.topics.set(arn, topic);
    return topic;
  }

  /** The topic, or `NotFound` (404) as SNS answers for a topic that does not exist. */
  require(arn: string, parameter = "TopicArn"): SnsTopic {
    assertTopicArn(arn, parameter);
    const topic = this.topics.get(arn);
    if (!topic) throw new AwsQueryError("NotFound", 404, "Topic does not exist");
    return topic;
  }

  /** DeleteTopic: deleting a topic that does not exist is not an error in AWS. */
  delete(arn: string): void {
    assertTopicArn(arn, "TopicArn");
    this.topics.delete(arn);
  }

  setAttribute(arn: string, name: string, value: string): void {
    const topic = this.require(arn);
    assertSettable(name);
    if (CREATE_ONLY_ATTRIBUTES.has(name))
      throw new AwsQueryError(
        "InvalidParameter",
        400,
        `Invalid parameter: AttributeName Reason: ${name} can only be set by CreateTopic`,
      );
    topic.attributes.set(name, value);
  }

  /** Topics of one region in creation order. */
  list(region: string): SnsTopic[] {
    return [...this.topics.values()].filter((topic) => topic.region === region);
  }

  /** Every topic, all regions, in creation order. */
  all(): SnsTopic[] {
    return [...this.topics.values()];
  }

  clear(): void {
    this.topics.clear();
  }
}

function assertSettable(name: string): void {
  if (!SETTABLE_ATTRIBUTES.has(name)) {
    throw new AwsQueryError(
      "InvalidParameter",
      400,
      `Invalid parameter: AttributeName Reason: unknown topic attribute ${JSON.stringify(name)}`,
    );
  }
}

/** GetTopicAttributes: what AWS always reports (no subscriptions locally) plus what was set. */
export function topicAttributesOf(topic: SnsTopic): Map<string, string> {
  const policy = {
    Version: "2008-10-17",
    Id: "__default_policy_ID",
    Statement: [
      {
        Sid: "__default_statement_ID",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: [
          "SNS:GetTopicAttributes",
          "SNS:SetTopicAttributes",
          "SNS:AddPermission",
          "SNS:RemovePermission",
          "SNS:DeleteTopic",
          "SNS:Subscribe",
          "SNS:ListSubscriptionsByTopic",
          "SNS:Publish",
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { "AWS:SourceOwner": LOCAL_ACCOUNT_ID } },
      },
    ],
  };
  return new Map([
    ["TopicArn", topic.arn],
    ["Owner", LOCAL_ACCOUNT_ID],
    ["DisplayName", ""],
    ["Policy", JSON.stringify(policy)],
    ["SubscriptionsConfirmed", "0"],
    ["SubscriptionsPending", "0"],
    ["SubscriptionsDeleted", "0"],
    [
      "EffectiveDeliveryPolicy",
      JSON.stringify({
        http: {
          defaultHealthyRetryPolicy: {
            minDelayTarget: 20,
            maxDelayTarget: 20,
            numRetries: 3,
            numMaxDelayRetries: 0,
            numNoDelayRetries: 0,
            numMinDelayRetries: 0,
            backoffFunction: "linear",
          },
          disableSubscriptionOverrides: false,
          defaultRequestPolicy: { headerContentType: "text/plain; charset=UTF-8" },
        },
      }),
    ],
    ...topic.attributes,
  ]);
}
