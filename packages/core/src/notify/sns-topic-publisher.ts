import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { failedCallOf } from "./failed-call";
import type { TopicMessage, TopicPublishAnswer, TopicPublisher } from "./topic-publisher";

export interface SnsTopicPublisherOptions {
  /** Built by `createNotificationClients`: it retries only error answers, never a publish without an answer. */
  readonly client: SNSClient;
  readonly topicArn: string;
}

/** The topic publisher on SNS `Publish`, every attribute a `String`. */
export function createSnsTopicPublisher(options: SnsTopicPublisherOptions): TopicPublisher {
  return {
    async publish(message: TopicMessage): Promise<TopicPublishAnswer> {
      try {
        const published = await options.client.send(
          new PublishCommand({
            TopicArn: options.topicArn,
            Message: message.body,
            MessageAttributes: Object.fromEntries(
              Object.entries(message.attributes).map(([name, value]) => [
                name,
                { DataType: "String", StringValue: value },
              ]),
            ),
          }),
        );
        return { kind: "published", messageId: published.MessageId };
      } catch (error) {
        return failedCallOf(error);
      }
    },
  };
}
