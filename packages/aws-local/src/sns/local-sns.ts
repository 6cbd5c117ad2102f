import { randomUUID } from "node:crypto";
import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import {
  AwsQueryError,
  escapeXml,
  pathOf,
  queryActionOf,
  queryErrorResponse,
  queryXmlResponse,
  readQueryParameters,
} from "../http/aws-query-protocol";
import { FaultQueue, type FailNextOptions } from "../fault-queue";
import { credentialScopeOf, signingServiceOf } from "../http/signing-service";
import { readPublishInput, type SnsMessageAttribute } from "./publish-request";
import { SnsTopicRegistry, topicAttributesOf, type SnsTopic } from "./sns-topics";
import { DEFAULT_LOCAL_REGION } from "../local-account";

const SNS_XMLNS = "http://sns.amazonaws.com/doc/2010-03-31/";
const LIST_TOPICS_PAGE_SIZE = 100;
/** For unsigned requests only: SNS actions, none of which SES has. */
const SNS_ACTIONS: ReadonlySet<string> = new Set([
  "Publish",
  "PublishBatch",
  "CreateTopic",
  "DeleteTopic",
  "ListTopics",
  "GetTopicAttributes",
  "SetTopicAttributes",
  "Subscribe",
  "Unsubscribe",
  "ConfirmSubscription",
  "ListSubscriptions",
  "ListSubscriptionsByTopic",
  "GetSubscriptionAttributes",
  "SetSubscriptionAttributes",
  "TagResource",
  "UntagResource",
  "ListTagsForResource",
]);

/** One message the local SNS accepted. */
export interface PublishedSnsMessage {
  readonly messageId: string;
  readonly topicArn: string;
  readonly message: string;
  readonly subject?: string;
  readonly messageStructure?: "json";
  readonly attributes: Readonly<Record<string, SnsMessageAttribute>>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  /** FIFO topics only, increasing per topic. */
  readonly sequenceNumber?: string;
  readonly time: Date;
}

export interface SnsTopicSummary {
  readonly topicArn: string;
  readonly name: string;
  readonly region: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface LocalSnsOptions {
  /** Region for CreateTopic/ListTopics when a request carries no SigV4 credential scope. Default `ap-southeast-1`. */
  readonly region?: string;
}

export interface LocalSns {
  /** Mount this on the shared endpoint. */
  readonly service: LocalService;
  /** Every topic, all regions, in creation order. */
  listTopics(): SnsTopicSummary[];
  /** Accepted messages, oldest first; only those of `topicArn` when given. */
  listPublishedMessages(topicArn?: string): PublishedSnsMessage[];
  /** The next `count` SNS API requests answer `code` (status from the code unless given). See {@link FaultQueue}. */
  failNext(count: number, code: string, options?: FailNextOptions): void;
  clearFaults(): void;
  /** Forgets topics, messages and faults. */
  close(): Promise<void>;
}

/**
 * SNS for the shared local endpoint, in process: CreateTopic (idempotent by name), ListTopics,
 * GetTopicAttributes, SetTopicAttributes, DeleteTopic and Publish, in the SNS Query protocol,
 * routed by the SigV4 signing service `sns` (or, unsigned, by the Action name). Nothing is
 * delivered: there are no subscriptions; published messages are kept for inspection.
 */
export function createLocalSns(options: LocalSnsOptions = {}): LocalSns {
  const defaultRegion = options.region ?? DEFAULT_LOCAL_REGION;
  const topics = new SnsTopicRegistry();
  const published: PublishedSnsMessage[] = [];
  const sequenceByTopic = new Map<string, bigint>();
  const faults = new FaultQueue();

  const actions: Readonly<Record<string, (parameters: URLSearchParams, region: string) => LocalResponse>> = {
    CreateTopic(parameters, region) {
      const name = parameters.get("Name");
      if (!name)
        throw new AwsQueryError(
          "InvalidParameter",
          400,
          "Invalid parameter: Name Reason: no value for required parameter",
        );
      const topic = topics.create(name, region, readQueryMap(parameters, "Attributes", "key", "value"));
      return respond("CreateTopic", `<TopicArn>${escapeXml(topic.arn)}</TopicArn>`);
    },
    DeleteTopic(parameters) {
      topics.delete(requiredParameter(parameters, "TopicArn"));
      return respond("DeleteTopic");
    },
    ListTopics(parameters, region) {
      const all = topics.list(region);
      const token = parameters.get("NextToken");
      const start = token === null || token === "" ? 0 : Number(token);
      if (!Number.isInteger(start) || start < 0 || start > all.length) {
        throw new AwsQueryError(
          "InvalidParameter",
          400,
          "Invalid parameter: NextToken Reason: pass back the NextToken of the previous ListTopics answer",
        );
      }
      const page = all.slice(start, start + LIST_TOPICS_PAGE_SIZE);
      const next = start + page.length < all.length ? `<NextToken>${start + page.length}</NextToken>` : "";
      const members = page.map((topic) => `<member><TopicArn>${escapeXml(topic.arn)}</TopicArn></member>`).join("");
      return respond("ListTopics", `<Topics>${members}</Topics>${next}`);
    },
    GetTopicAttributes(parameters) {
      const topic = topics.require(requiredParameter(parameters, "TopicArn"));
      const entries = [...topicAttributesOf(topic)]
        .map(([key, value]) => `<entry><key>${escapeXml(key)}</key><value>${escapeXml(value)}</value></entry>`)
        .join("");
      return respond("GetTopicAttributes", `<Attributes>${entries}</Attributes>`);
    },
    SetTopicAttributes(parameters) {
      topics.setAttribute(
        requiredParameter(parameters, "TopicArn"),
        requiredParameter(parameters, "AttributeName"),
        parameters.get("AttributeValue") ?? "",
      );
      return respond("SetTopicAttributes");
    },
    Publish(parameters) {
      const input = readPublishInput(parameters);
      const topic = topics.require(input.targetArn, input.targetParameter);
      assertFifoRules(topic, input.messageGroupId, input.messageDeduplicationId);
      const messageId = randomUUID();
      const sequenceNumber = topic.fifo ? nextSequenceNumber(sequenceByTopic, topic.arn) : undefined;
      published.push({
        messageId,
        topicArn: topic.arn,
        message: input.message,
        ...(input.subject === undefined ? {} : { subject: input.subject }),
        ...(input.messageStructure === undefined ? {} : { messageStructure: input.messageStructure }),
        attributes: input.attributes,
        ...(input.messageGroupId === undefined ? {} : { messageGroupId: input.messageGroupId }),
        ...(input.messageDeduplicationId === undefined ? {} : { messageDeduplicationId: input.messageDeduplicationId }),
        ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
        time: new Date(),
      });
      const sequence = sequenceNumber === undefined ? "" : `<SequenceNumber>${sequenceNumber}</SequenceNumber>`;
      return respond("Publish", `<MessageId>${messageId}</MessageId>${sequence}`);
    },
  };

  const service: LocalService = {
    name: "SNS",
    canHandle: (request) => {
      const signingService = signingServiceOf(request);
      if (signingService !== undefined) return signingService === "sns";
      return pathOf(request) === "/" && SNS_ACTIONS.has(queryActionOf(request) ?? "");
    },
    async handle(request: LocalRequest) {
      const fault = faults.take();
      if (fault) return queryErrorResponse(fault, SNS_XMLNS);
      try {
        if (pathOf(request) !== "/" || (request.method !== "POST" && request.method !== "GET")) {
          throw new AwsQueryError(
            "InvalidAction",
            400,
            `Local SNS serves the Query protocol at POST / (form-encoded Action=...), not ${request.method} ${pathOf(request)}`,
          );
        }
        const parameters = readQueryParameters(request);
        const action = parameters.get("Action");
        if (!action)
          throw new AwsQueryError(
            "MissingAction",
            400,
            "Action is missing: SNS requests are a form-encoded POST / with Action=Publish, CreateTopic, ...",
          );
        const run = Object.hasOwn(actions, action) ? actions[action] : undefined;
        if (!run) {
          throw new AwsQueryError(
            "InvalidAction",
            400,
            `Local SNS does not implement ${action}; it serves ${Object.keys(actions).join(", ")}`,
          );
        }
        return run(parameters, credentialScopeOf(request)?.region ?? defaultRegion);
      } catch (error) {
        if (error instanceof AwsQueryError) return queryErrorResponse(error, SNS_XMLNS);
        throw error;
      }
    },
  };

  return {
    service,
    listTopics: () =>
      topics.all().map((topic) => ({
        topicArn: topic.arn,
        name: topic.name,
        region: topic.region,
        attributes: Object.fromEntries(topic.attributes),
      })),
    listPublishedMessages: (topicArn) =>
      published.filter((message) => topicArn === undefined || message.topicArn === topicArn),
    failNext: (count, code, failOptions) => faults.failNext(count, code, failOptions),
    clearFaults: () => faults.clear(),
    async close() {
      topics.clear();
      published.length = 0;
      faults.clear();
    },
  };
}

function respond(action: string, resultXml?: string): LocalResponse {
  return queryXmlResponse({ action, xmlns: SNS_XMLNS, ...(resultXml === undefined ? {} : { resultXml }) });
}

function requiredParameter(parameters: URLSearchParams, name: string): string {
  const value = parameters.get(name);
  if (!value)
    throw new AwsQueryError(
      "InvalidParameter",
      400,
      `Invalid parameter: ${name} Reason: no value for required parameter`,
    );
  return value;
}

/** A Query-protocol map: `{prefix}.entry.N.{keyName}` / `{prefix}.entry.N.{valueName}`. */
function readQueryMap(
  parameters: URLSearchParams,
  prefix: string,
  keyName: string,
  valueName: string,
): Map<string, string> {
  const map = new Map<string, string>();
  for (let index = 1; parameters.has(`${prefix}.entry.${index}.${keyName}`); index += 1) {
    map.set(
      parameters.get(`${prefix}.entry.${index}.${keyName}`)!,
      parameters.get(`${prefix}.entry.${index}.${valueName}`) ?? "",
    );
  }
  return map;
}

function assertFifoRules(
  topic: SnsTopic,
  messageGroupId: string | undefined,
  messageDeduplicationId: string | undefined,
): void {
  if (!topic.fifo) return;
  if (!messageGroupId)
    throw new AwsQueryError(
      "InvalidParameter",
      400,
      "Invalid parameter: The MessageGroupId parameter is required for FIFO topics",
    );
  if (!messageDeduplicationId && topic.attributes.get("ContentBasedDeduplication")?.toLowerCase() !== "true") {
    throw new AwsQueryError(
      "InvalidParameter",
      400,
      "Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
    );
  }
}

function nextSequenceNumber(sequences: Map<string, bigint>, topicArn: string): string {
  const next = (sequences.get(topicArn) ?? 10_000_000_000_000_000_000n) + 1n;
  sequences.set(topicArn, next);
  return next.toString();
}
