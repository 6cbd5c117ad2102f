import { ConstraintViolations, EventBridgeSerializationError } from "./errors";
import type {
  ArchiveState,
  CreateArchiveRequest,
  ListArchivesRequest,
  ListReplaysRequest,
  ReplayState,
  StartReplayRequest,
  UpdateArchiveRequest,
  CreateEventBusRequest,
  ListEventBusesRequest,
  ListRulesRequest,
  ListTargetsByRuleRequest,
  PutEventsRequest,
  PutEventsRequestEntry,
  PutRuleRequest,
  PutTargetsRequest,
  RemoveTargetsRequest,
  RuleReference,
  RuleState,
  Target,
  TestEventPatternRequest,
} from "./eventbridge-shapes";

/**
 * Reads members of a JSON 1.1 request body with their JSON types checked. A member of the wrong JSON type is a
 * `SerializationException`; missing required members are collected and thrown together as one
 * `ValidationException` worded like AWS's ("Value null at 'name' failed to satisfy constraint: Member must not be
 * null"). `null` counts as absent.
 */
export class MemberReader {
  private readonly ignored: string[];

  constructor(
    private readonly object: Readonly<Record<string, unknown>>,
    private readonly violations = new ConstraintViolations(),
    private readonly path = "",
    ignored?: string[],
  ) {
    this.ignored = ignored ?? [];
  }

  /** Wraps a parsed request body, which must be a JSON object. */
  static forBody(body: unknown): MemberReader {
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new EventBridgeSerializationError(
        `The request body must be a JSON object, got ${Array.isArray(body) ? "an array" : body === null ? "null" : typeof body}.`,
      );
    }
    return new MemberReader(body as Record<string, unknown>);
  }

  string(member: string): string | undefined {
    return this.typed(member, "a string", (value): value is string => typeof value === "string");
  }

  requiredString(member: string): string {
    return this.required(member, this.string(member), "");
  }

  number(member: string): number | undefined {
    return this.typed(
      member,
      "a number",
      (value): value is number => typeof value === "number" && Number.isFinite(value),
    );
  }

  /** A whole number (JSON 1.1 integers such as RetentionDays); a fraction is a `SerializationException`. */
  integer(member: string): number | undefined {
    const value = this.number(member);
    if (value !== undefined && !Number.isInteger(value)) {
      throw new EventBridgeSerializationError(
        `Member ${this.path}${wireName(member)} must be an integer, got ${value}.`,
      );
    }
    return value;
  }

  boolean(member: string): boolean | undefined {
    return this.typed(member, "a boolean", (value): value is boolean => typeof value === "boolean");
  }

  /** A timestamp: epoch seconds as a JSON number (what the SDK and CLI send), or an ISO-8601 string. */
  timestamp(member: string): number | undefined {
    const value = this.value(member);
    if (value === undefined || typeof value === "number") return this.number(member);
    if (typeof value === "string" && !Number.isNaN(Date.parse(value))) return Date.parse(value) / 1000;
    throw this.typeError(member, "a timestamp (epoch seconds)", value);
  }

  requiredTimestamp(member: string): number {
    return this.required(member, this.timestamp(member), 0);
  }

  stringList(member: string): string[] | undefined {
    const list = this.list(member);
    return list?.map((item, index) => {
      if (typeof item !== "string") throw this.typeError(`${member}[${index}]`, "a string", item);
      return item;
    });
  }

  requiredStringList(member: string): string[] {
    return this.required(member, this.stringList(member), []);
  }

  /** A list of structures, each read by its own reader (paths like `targets.1.member.id`). */
  structureList(member: string): MemberReader[] | undefined {
    return this.list(member)?.map((item, index) => {
      if (typeof item !== "object" || item === null || Array.isArray(item)) {
        throw this.typeError(`${member}[${index}]`, "an object", item);
      }
      return new MemberReader(
        item as Record<string, unknown>,
        this.violations,
        `${this.path}${wireName(member)}.${index + 1}.member.`,
        this.ignored,
      );
    });
  }

  requiredStructureList(member: string): MemberReader[] {
    return this.required(member, this.structureList(member), []);
  }

  structure(member: string): MemberReader | undefined {
    const value = this.typed(
      member,
      "an object",
      (item): item is Record<string, unknown> => typeof item === "object" && item !== null && !Array.isArray(item),
    );
    return value === undefined
      ? undefined
      : new MemberReader(value, this.violations, `${this.path}${wireName(member)}.`, this.ignored);
  }

  /** A required structure; when it is missing, `undefined` and one `Member must not be null` violation for it. */
  requiredStructure(member: string): MemberReader | undefined {
    const structure = this.structure(member);
    if (structure === undefined) this.required(member, undefined, undefined);
    return structure;
  }

  stringMap(member: string): Record<string, string> | undefined {
    const map = this.structure(member);
    if (!map) return undefined;
    return Object.fromEntries(map.memberNames().map((key) => [key, map.requiredString(key)]));
  }

  memberNames(): string[] {
    return Object.keys(this.object);
  }

  /** Notes members present in the body that the local EventBridge does not use. */
  ignoreUnknownMembers(known: readonly string[]): void {
    for (const member of this.memberNames()) {
      if (!known.includes(member) && this.value(member) !== undefined)
        this.ignored.push(`${this.path}${wireName(member)}`);
    }
  }

  /** Wire paths of the members {@link ignoreUnknownMembers} found, across this reader and its nested readers. */
  ignoredMembers(): readonly string[] {
    return this.ignored;
  }

  /** Throws the collected `Member must not be null` violations, if any. */
  finish(): void {
    this.violations.throwIfAny();
  }

  private value(member: string): unknown {
    const value = this.object[member];
    return value === null ? undefined : value;
  }

  private list(member: string): unknown[] | undefined {
    return this.typed(member, "a list", (value): value is unknown[] => Array.isArray(value));
  }

  private typed<T>(member: string, expected: string, guard: (value: unknown) => value is T): T | undefined {
    const value = this.value(member);
    if (value === undefined) return undefined;
    if (!guard(value)) throw this.typeError(member, expected, value);
    return value;
  }

  private required<T>(member: string, value: T | undefined, placeholder: T): T {
    if (value !== undefined) return value;
    this.violations.add(null, `${this.path}${wireName(member)}`, "Member must not be null");
    return placeholder;
  }

  private typeError(member: string, expected: string, value: unknown): EventBridgeSerializationError {
    const actual = Array.isArray(value)
      ? "a list"
      : value === null
        ? "null"
        : typeof value === "object"
          ? "an object"
          : `a ${typeof value}`;
    return new EventBridgeSerializationError(
      `Member ${this.path}${wireName(member)} must be ${expected}, got ${actual}.`,
    );
  }
}

/** `EventBusName` → `eventBusName`, the member name AWS uses in validation messages. */
function wireName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}

function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export function decodePutEvents(body: MemberReader): PutEventsRequest {
  const entries = body.requiredStructureList("Entries").map(
    (entry): PutEventsRequestEntry => ({
      ...present("Time", entry.timestamp("Time")),
      ...present("Source", entry.string("Source")),
      ...present("Resources", entry.stringList("Resources")),
      ...present("DetailType", entry.string("DetailType")),
      ...present("Detail", entry.string("Detail")),
      ...present("EventBusName", entry.string("EventBusName")),
      ...present("TraceHeader", entry.string("TraceHeader")),
    }),
  );
  const request = { Entries: entries, ...present("EndpointId", body.string("EndpointId")) };
  body.finish();
  return request;
}

export function decodeTestEventPattern(body: MemberReader): TestEventPatternRequest {
  const request = { EventPattern: body.requiredString("EventPattern"), Event: body.requiredString("Event") };
  body.finish();
  return request;
}

export function decodePutRule(body: MemberReader): PutRuleRequest {
  const request: PutRuleRequest = {
    Name: body.requiredString("Name"),
    ...present("EventPattern", body.string("EventPattern")),
    ...present("ScheduleExpression", body.string("ScheduleExpression")),
    ...present("State", body.string("State") as RuleState | undefined),
    ...present("Description", body.string("Description")),
    ...present("RoleArn", body.string("RoleArn")),
    ...present("EventBusName", body.string("EventBusName")),
  };
  body.ignoreUnknownMembers([
    "Name",
    "EventPattern",
    "ScheduleExpression",
    "State",
    "Description",
    "RoleArn",
    "EventBusName",
  ]);
  body.finish();
  return request;
}

export function decodeRuleReference(body: MemberReader): RuleReference & { Force?: boolean } {
  const request = {
    Name: body.requiredString("Name"),
    ...present("EventBusName", body.string("EventBusName")),
    ...present("Force", body.boolean("Force")),
  };
  body.finish();
  return request;
}

export function decodeListRules(body: MemberReader): ListRulesRequest {
  return {
    ...present("NamePrefix", body.string("NamePrefix")),
    ...present("EventBusName", body.string("EventBusName")),
    ...present("NextToken", body.string("NextToken")),
    ...present("Limit", body.number("Limit")),
  };
}

const TARGET_MEMBERS = [
  "Id",
  "Arn",
  "RoleArn",
  "Input",
  "InputPath",
  "InputTransformer",
  "RetryPolicy",
  "DeadLetterConfig",
];

export function decodePutTargets(body: MemberReader): PutTargetsRequest {
  const targets = body.requiredStructureList("Targets").map((target): Target => {
    const transformer = target.structure("InputTransformer");
    const retryPolicy = target.structure("RetryPolicy");
    const deadLetterConfig = target.structure("DeadLetterConfig");
    target.ignoreUnknownMembers(TARGET_MEMBERS);
    return {
      Id: target.requiredString("Id"),
      Arn: target.requiredString("Arn"),
      ...present("RoleArn", target.string("RoleArn")),
      ...present("Input", target.string("Input")),
      ...present("InputPath", target.string("InputPath")),
      ...present(
        "InputTransformer",
        transformer && {
          ...present("InputPathsMap", transformer.stringMap("InputPathsMap")),
          InputTemplate: transformer.requiredString("InputTemplate"),
        },
      ),
      ...present(
        "RetryPolicy",
        retryPolicy && {
          ...present("MaximumRetryAttempts", retryPolicy.number("MaximumRetryAttempts")),
          ...present("MaximumEventAgeInSeconds", retryPolicy.number("MaximumEventAgeInSeconds")),
        },
      ),
      ...present("DeadLetterConfig", deadLetterConfig && { ...present("Arn", deadLetterConfig.string("Arn")) }),
    };
  });
  const request = {
    Rule: body.requiredString("Rule"),
    ...present("EventBusName", body.string("EventBusName")),
    Targets: targets,
  };
  body.finish();
  return request;
}

export function decodeListTargetsByRule(body: MemberReader): ListTargetsByRuleRequest {
  const request = {
    Rule: body.requiredString("Rule"),
    ...present("EventBusName", body.string("EventBusName")),
    ...present("NextToken", body.string("NextToken")),
    ...present("Limit", body.number("Limit")),
  };
  body.finish();
  return request;
}

export function decodeRemoveTargets(body: MemberReader): RemoveTargetsRequest {
  const request = {
    Rule: body.requiredString("Rule"),
    ...present("EventBusName", body.string("EventBusName")),
    Ids: body.requiredStringList("Ids"),
    ...present("Force", body.boolean("Force")),
  };
  body.finish();
  return request;
}

export function decodeCreateEventBus(body: MemberReader): CreateEventBusRequest {
  const request = { Name: body.requiredString("Name"), ...present("Description", body.string("Description")) };
  body.ignoreUnknownMembers(["Name", "Description"]);
  body.finish();
  return request;
}

export function decodeEventBusName(body: MemberReader, required: true): { Name: string };
export function decodeEventBusName(body: MemberReader, required: false): { Name?: string };
export function decodeEventBusName(body: MemberReader, required: boolean): { Name?: string } {
  const request = required ? { Name: body.requiredString("Name") } : present("Name", body.string("Name"));
  body.finish();
  return request;
}

export function decodeListEventBuses(body: MemberReader): ListEventBusesRequest {
  return {
    ...present("NamePrefix", body.string("NamePrefix")),
    ...present("NextToken", body.string("NextToken")),
    ...present("Limit", body.number("Limit")),
  };
}

export function decodeCreateArchive(body: MemberReader): CreateArchiveRequest {
  const request: CreateArchiveRequest = {
    ArchiveName: body.requiredString("ArchiveName"),
    EventSourceArn: body.requiredString("EventSourceArn"),
    ...present("Description", body.string("Description")),
    ...present("EventPattern", body.string("EventPattern")),
    ...present("RetentionDays", body.integer("RetentionDays")),
  };
  body.ignoreUnknownMembers(["ArchiveName", "EventSourceArn", "Description", "EventPattern", "RetentionDays"]);
  body.finish();
  return request;
}

export function decodeArchiveName(body: MemberReader): { ArchiveName: string } {
  const request = { ArchiveName: body.requiredString("ArchiveName") };
  body.finish();
  return request;
}

export function decodeListArchives(body: MemberReader): ListArchivesRequest {
  return {
    ...present("NamePrefix", body.string("NamePrefix")),
    ...present("EventSourceArn", body.string("EventSourceArn")),
    ...present("State", body.string("State") as ArchiveState | undefined),
    ...present("NextToken", body.string("NextToken")),
    ...present("Limit", body.number("Limit")),
  };
}

export function decodeUpdateArchive(body: MemberReader): UpdateArchiveRequest {
  const request: UpdateArchiveRequest = {
    ArchiveName: body.requiredString("ArchiveName"),
    ...present("Description", body.string("Description")),
    ...present("EventPattern", body.string("EventPattern")),
    ...present("RetentionDays", body.integer("RetentionDays")),
  };
  body.ignoreUnknownMembers(["ArchiveName", "Description", "EventPattern", "RetentionDays"]);
  body.finish();
  return request;
}

export function decodeStartReplay(body: MemberReader): StartReplayRequest {
  const replayName = body.requiredString("ReplayName");
  const description = body.string("Description");
  const eventSourceArn = body.requiredString("EventSourceArn");
  const eventStartTime = body.requiredTimestamp("EventStartTime");
  const eventEndTime = body.requiredTimestamp("EventEndTime");
  const destination = body.requiredStructure("Destination");
  const request: StartReplayRequest = {
    ReplayName: replayName,
    ...present("Description", description),
    EventSourceArn: eventSourceArn,
    EventStartTime: eventStartTime,
    EventEndTime: eventEndTime,
    Destination: {
      Arn: destination?.requiredString("Arn") ?? "",
      ...present("FilterArns", destination?.stringList("FilterArns")),
    },
  };
  body.finish();
  return request;
}

export function decodeReplayName(body: MemberReader): { ReplayName: string } {
  const request = { ReplayName: body.requiredString("ReplayName") };
  body.finish();
  return request;
}

export function decodeListReplays(body: MemberReader): ListReplaysRequest {
  return {
    ...present("NamePrefix", body.string("NamePrefix")),
    ...present("State", body.string("State") as ReplayState | undefined),
    ...present("EventSourceArn", body.string("EventSourceArn")),
    ...present("NextToken", body.string("NextToken")),
    ...present("Limit", body.number("Limit")),
  };
}
