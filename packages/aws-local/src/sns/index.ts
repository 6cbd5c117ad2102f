export {
  createLocalSns,
  type LocalSns,
  type LocalSnsOptions,
  type PublishedSnsMessage,
  type SnsTopicSummary,
} from "./local-sns";
export {
  readPublishInput,
  readMessageAttributes,
  MAX_PUBLISH_BYTES,
  type PublishInput,
  type SnsMessageAttribute,
} from "./publish-request";
export { SnsTopicRegistry, topicArnOf, LOCAL_ACCOUNT_ID, type SnsTopic } from "./sns-topics";
