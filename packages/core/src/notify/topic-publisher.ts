import type { FailedCall } from "./failed-call";

/** One message for the payment-notifications topic: its body and its string attributes. */
export interface TopicMessage {
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** How publishing one message ended: `published` (with the message id when one came back), or a `FailedCall`. */
export type TopicPublishAnswer = { readonly kind: "published"; readonly messageId: string | undefined } | FailedCall;

/** Publishes to the payment-notifications topic. A port: SNS in production and locally (`createSnsTopicPublisher`), a fake in unit tests. */
export interface TopicPublisher {
  /** Publishes `message` once. Never throws for a failed call: the answer says how it ended. */
  publish(message: TopicMessage): Promise<TopicPublishAnswer>;
}
