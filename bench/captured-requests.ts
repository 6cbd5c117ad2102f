import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { SESClient } from "@aws-sdk/client-ses";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { BareRequest } from "./cold-start";

/** The command classes a function sends, by constructor name, as the bare handler names them. */
const COMMAND_OF_CLASS: Readonly<Record<string, BareRequest["command"]>> = {
  GetCommand: "Get",
  PutCommand: "Put",
  UpdateCommand: "Update",
  QueryCommand: "Query",
  InvokeCommand: "Invoke",
  PutEventsCommand: "PutEvents",
  SendEmailCommand: "SendEmail",
  PublishCommand: "Publish",
};

/** What the endpoint would answer each command on a first delivery, for the code under capture to go on. */
export type CaptureAnswers = Partial<Record<BareRequest["command"], (input: Record<string, unknown>) => unknown>>;

/** SDK clients that send nothing: each records the command it is given and answers it from {@link CaptureAnswers}. */
export interface RecordingClients {
  readonly documentClient: DynamoDBDocumentClient;
  readonly lambda: LambdaClient;
  readonly eventBridge: EventBridgeClient;
  readonly ses: SESClient;
  readonly sns: SNSClient;
}

/** A command the function sent that the bare handler cannot send, or that capture has no answer for. */
export class UncapturableCommandError extends Error {
  override readonly name = "UncapturableCommandError";
  readonly code = "UNCAPTURABLE_COMMAND";
}

/** A text payload in place of bytes, so the requests can be written to the bare handler's JSON event file. */
function jsonSafeInput(input: Record<string, unknown>): Record<string, unknown> {
  const payload = input.Payload;
  return payload instanceof Uint8Array ? { ...input, Payload: Buffer.from(payload).toString("utf8") } : input;
}

/**
 * The requests `run` sends, in order, captured by running the function's own code (its core entry and adapters) on
 * clients that record instead of sending. A cold start's bare handler then sends exactly these, so the endpoint does
 * the same work for both sides, and no hand-kept copy of a request can drift from what the function sends.
 */
export async function captureRequests(
  answers: CaptureAnswers,
  run: (clients: RecordingClients) => Promise<unknown>,
): Promise<BareRequest[]> {
  const sent: BareRequest[] = [];
  const recording = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      const name = COMMAND_OF_CLASS[command.constructor.name];
      const answer = name ? answers[name] : undefined;
      if (!name || !answer)
        throw new UncapturableCommandError(
          `the function sent ${command.constructor.name}, which the capture has no answer for: add it to the case's answers in bench/cold-start.ts (and to BARE_COMMANDS if the bare handler cannot send it yet)`,
        );
      sent.push({ command: name, input: jsonSafeInput(command.input) });
      return answer(command.input);
    },
  };
  const client = recording as unknown;
  await run({
    documentClient: client as DynamoDBDocumentClient,
    lambda: client as LambdaClient,
    eventBridge: client as EventBridgeClient,
    ses: client as SESClient,
    sns: client as SNSClient,
  });
  return sent;
}
