import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";

export interface AwsClientOptions {
  readonly region: string;
  /** The local endpoint; undefined on AWS. Only this differs between local and AWS. */
  readonly endpoint?: string | undefined;
}

/** The unmodified SDK clients the processor uses; built once per cold start. */
export function createAwsClients(options: AwsClientOptions) {
  const common = { region: options.region, ...(options.endpoint ? { endpoint: options.endpoint } : {}) };
  return {
    documentClient: DynamoDBDocumentClient.from(new DynamoDBClient(common), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    eventBridge: new EventBridgeClient(common),
    lambda: new LambdaClient(common),
  };
}

export type AwsClients = ReturnType<typeof createAwsClients>;
