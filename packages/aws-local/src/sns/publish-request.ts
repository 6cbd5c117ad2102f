import { AwsQueryError } from "../http/aws-query-protocol";

/** A message attribute as Publish carries it: `String`, `String.Array`, `Number` (optionally `.custom`) or `Binary`. */
export interface SnsMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

export interface PublishInput {
  /** TopicArn or TargetArn, whichever was given. */
  readonly targetArn: string;
  readonly targetParameter: "TopicArn" | "TargetArn";
  readonly message: string;
  readonly subject?: string;
  readonly messageStructure?: "json";
  readonly attributes: Readonly<Record<string, SnsMessageAttribute>>;
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
}

/** SNS's limit: 256 KiB of UTF-8 for the message and its attributes together. */
export const MAX_PUBLISH_BYTES = 262_144;
const ATTRIBUTE_KEY = /^MessageAttributes\.entry\.(\d+)\.(Name|Value\.DataType|Value\.StringValue|Value\.BinaryValue)$/;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

function invalidParameter(message: string): AwsQueryError {
  return new AwsQueryError("InvalidParameter", 400, message);
}

function invalidAttribute(message: string): AwsQueryError {
  // The SDK surfaces ParameterValueInvalid as InvalidParameterValueException.
  return new AwsQueryError("ParameterValueInvalid", 400, message);
}

/**
 * Reads and checks the parameters of a Publish request the way SNS does, throwing
 * {@link AwsQueryError} with SNS's codes: `InvalidParameter` for the target, message, subject and
 * structure; `ParameterValueInvalid` for message attributes. Whether the topic exists is the caller's check.
 */
export function readPublishInput(parameters: URLSearchParams): PublishInput {
  const topicArn = parameters.get("TopicArn");
  const targetArn = parameters.get("TargetArn");
  const phoneNumber = parameters.get("PhoneNumber");
  const given = [topicArn, targetArn, phoneNumber].filter((value) => value !== null && value !== "");
  if (given.length === 0)
    throw invalidParameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
  if (given.length > 1)
    throw invalidParameter("Invalid parameter: give only one of TopicArn, TargetArn and PhoneNumber");
  if (phoneNumber)
    throw invalidParameter(
      "Invalid parameter: PhoneNumber Reason: the local SNS publishes to topics only; SMS is not emulated",
    );

  const message = parameters.get("Message");
  if (message === null || message === "") throw invalidParameter("Invalid parameter: Empty message");
  const subject = parameters.get("Subject");
  // "Subjects must be UTF-8 text with no line breaks or control characters, and less than 100 characters long."
  // biome-ignore lint/suspicious/noControlCharactersInRegex: SNS refuses a subject with control characters
  if (subject !== null && (subject === "" || [...subject].length >= 100 || /[\u0000-\u001f\u007f]/.test(subject))) {
    throw invalidParameter(
      "Invalid parameter: Subject Reason: must be 1-99 characters with no line breaks or control characters",
    );
  }
  const structure = parameters.get("MessageStructure");
  if (structure !== null && structure !== "json")
    throw invalidParameter(
      `Invalid parameter: MessageStructure Reason: only "json" is allowed, got ${JSON.stringify(structure)}`,
    );
  if (structure === "json") assertJsonStructure(message);

  const attributes = readMessageAttributes(parameters);
  const attributeBytes = Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      Buffer.byteLength(name) +
      Buffer.byteLength(value.dataType) +
      (value.stringValue === undefined ? 0 : Buffer.byteLength(value.stringValue)) +
      (value.binaryValue?.length ?? 0),
    0,
  );
  if (Buffer.byteLength(message) + attributeBytes > MAX_PUBLISH_BYTES) {
    throw invalidParameter(
      `Invalid parameter: Message too long (message and attributes over ${MAX_PUBLISH_BYTES} bytes)`,
    );
  }

  const messageGroupId = parameters.get("MessageGroupId");
  const messageDeduplicationId = parameters.get("MessageDeduplicationId");
  return {
    targetArn: (topicArn || targetArn)!,
    targetParameter: topicArn ? "TopicArn" : "TargetArn",
    message,
    ...(subject === null ? {} : { subject }),
    ...(structure === "json" ? { messageStructure: "json" as const } : {}),
    attributes,
    ...(messageGroupId ? { messageGroupId } : {}),
    ...(messageDeduplicationId ? { messageDeduplicationId } : {}),
  };
}

function assertJsonStructure(message: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter("Invalid parameter: Message Structure - JSON message body failed to parse");
  }
  if (
    typeof parsed !== "object" ||
    parsed === null ||
    Array.isArray(parsed) ||
    typeof (parsed as Record<string, unknown>).default !== "string"
  ) {
    throw invalidParameter("Invalid parameter: Message Structure - No default entry in JSON message body");
  }
}

/**
 * `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`
 * (base64) into a record by name, checked as SNS checks them.
 */
export function readMessageAttributes(parameters: URLSearchParams): Record<string, SnsMessageAttribute> {
  const entries = new Map<number, Map<string, string>>();
  for (const [key, value] of parameters) {
    const match = ATTRIBUTE_KEY.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const fields = entries.get(index) ?? new Map<string, string>();
    fields.set(match[2]!, value);
    entries.set(index, fields);
  }
  const attributes: Record<string, SnsMessageAttribute> = {};
  for (const [index, fields] of [...entries].sort(([a], [b]) => a - b)) {
    const name = fields.get("Name");
    if (!name) throw invalidAttribute(`The message attribute at MessageAttributes.entry.${index} has no Name`);
    assertAttributeName(name);
    if (Object.hasOwn(attributes, name))
      throw invalidAttribute(`The message attribute '${name}' is given more than once`);
    attributes[name] = readAttributeValue(name, fields);
  }
  return attributes;
}

function assertAttributeName(name: string): void {
  if (
    !ATTRIBUTE_NAME.test(name) ||
    name.startsWith(".") ||
    name.endsWith(".") ||
    name.includes("..") ||
    /^(aws|amazon)\./i.test(name)
  ) {
    throw invalidAttribute(
      `The message attribute name '${name}' is invalid. Attribute name can contain A-Z, a-z, 0-9, underscore (_), hyphen (-), and period (.) characters, ` +
        "must not start or end with a period or repeat one, and must not start with AWS. or Amazon.",
    );
  }
}

function readAttributeValue(name: string, fields: ReadonlyMap<string, string>): SnsMessageAttribute {
  const dataType = fields.get("Value.DataType");
  if (!dataType)
    throw invalidAttribute(`The message attribute '${name}' must contain non-empty message attribute type.`);
  const [prefix] = dataType.split(".");
  if (prefix !== "String" && prefix !== "Number" && prefix !== "Binary") {
    throw invalidAttribute(
      `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
    );
  }
  if (prefix === "Binary") {
    const binary = fields.get("Value.BinaryValue");
    if (!binary)
      throw invalidAttribute(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
      );
    return { dataType, binaryValue: new Uint8Array(Buffer.from(binary, "base64")) };
  }
  const value = fields.get("Value.StringValue");
  if (!value)
    throw invalidAttribute(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
    );
  if (prefix === "Number" && (value.trim() === "" || !Number.isFinite(Number(value)))) {
    throw invalidAttribute(`Could not cast message attribute '${name}' value to number.`);
  }
  if (dataType === "String.Array" && !isJsonArray(value)) {
    throw invalidAttribute(
      `The message attribute '${name}' of type 'String.Array' must be a JSON array such as ["a","b"], got ${value}`,
    );
  }
  return { dataType, stringValue: value };
}

function isJsonArray(text: string): boolean {
  try {
    return Array.isArray(JSON.parse(text));
  } catch {
    return false;
  }
}
