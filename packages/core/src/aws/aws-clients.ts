import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SESClient } from "@aws-sdk/client-ses";
import { SNSClient } from "@aws-sdk/client-sns";
import { AnsweredErrorsRetryStrategy } from "./answered-errors-retry-strategy";

export interface AwsClientOptions {
  readonly region: string;
  /** The local endpoint; undefined on AWS. Only this differs between local and AWS. */
  readonly endpoint?: string | undefined;
}

const clientConfig = (options: AwsClientOptions) => ({
  region: options.region,
  ...(options.endpoint ? { endpoint: options.endpoint } : {}),
});

/** The DynamoDB document client: undefined values dropped, numbers as JS numbers. */
export function createDocumentClient(options: AwsClientOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(options)), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** The unmodified SDK clients the processor uses; built once per cold start. */
export function createAwsClients(options: AwsClientOptions) {
  const common = clientConfig(options);
  return {
    documentClient: createDocumentClient(options),
    eventBridge: new EventBridgeClient(common),
    lambda: new LambdaClient(common),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;

/**
 * Attempts of an SES or SNS call. More than the SDK's 3: an error answer (throttling, 5xx) sent
 * nothing, and retrying it here keeps the notification in this invocation, where giving it back
 * needs one more email-log write, which may fail in the same incident (RELIABILITY.md, F3).
 * At most about 8 s of the SDK's backoff under throttling.
 */
const NOTIFICATION_CALL_ATTEMPTS = 5;

/** An SES or SNS client's settings: the endpoint's, and retries of error answers only. */
const notificationClientConfig = (options: AwsClientOptions) => ({
  ...clientConfig(options),
  retryStrategy: new AnsweredErrorsRetryStrategy(NOTIFICATION_CALL_ATTEMPTS),
});

/** The SES client of {@link createNotificationClients} alone, for a function that publishes nothing (the email sweep). */
export function createSesClient(options: AwsClientOptions): SESClient {
  return new SESClient(notificationClientConfig(options));
}

/**
 * SES and SNS, for the notifications subscriber only (the sweep takes SES alone; other handlers bundle neither). They
 * retry only error answers: a send that got no answer may have gone out and is never repeated.
 */
export function createNotificationClients(options: AwsClientOptions) {
  return {
    ses: createSesClient(options),
    sns: new SNSClient(notificationClientConfig(options)),
  };
}
