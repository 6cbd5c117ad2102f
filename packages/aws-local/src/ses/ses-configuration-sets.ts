import type { LocalResponse } from "../http/local-endpoint";
import { AwsQueryError, escapeXml, queryXmlResponse } from "../http/aws-query-protocol";
import { SesConfigurationSetError } from "./ses-api-error";
import { reasonsOf, type SuppressionListReason } from "./ses-suppression-list";

export { SesConfigurationSetError } from "./ses-api-error";

/** The event types a configuration set's event destination can match (SESv2 `MatchingEventTypes`). */
export const SES_EVENT_TYPES = [
  "SEND",
  "REJECT",
  "BOUNCE",
  "COMPLAINT",
  "DELIVERY",
  "OPEN",
  "CLICK",
  "RENDERING_FAILURE",
  "DELIVERY_DELAY",
  "SUBSCRIPTION",
] as const;
export type SesEventType = (typeof SES_EVENT_TYPES)[number];

/** One event destination of a configuration set, as SESv2 `GetConfigurationSetEventDestinations` lists it. */
export interface SesEventDestination {
  readonly Name: string;
  readonly Enabled: boolean;
  readonly MatchingEventTypes: readonly SesEventType[];
  /** Only EventBridge destinations publish locally; the others are kept and listed. */
  readonly EventBridgeDestination?: { readonly EventBusArn: string };
  readonly SnsDestination?: { readonly TopicArn: string };
  readonly CloudWatchDestination?: unknown;
  readonly KinesisFirehoseDestination?: unknown;
}

const CONFIGURATION_SETS_PATH =
  /^\/v2\/email\/configuration-sets(?:\/([^/]+)(?:\/event-destinations(?:\/([^/]+))?)?)?$/;
const SUPPRESSION_OPTIONS_PATH = /^\/v2\/email\/configuration-sets\/([^/]+)\/suppression-options$/;
const DEFAULT_BUS_ARN = /^arn:aws[a-z0-9-]*:events:[a-z0-9-]+:\d{12}:event-bus\/default$/;

/**
 * SES configuration sets and their event destinations, for SES v1 (Create/Delete/List/DescribeConfigurationSet)
 * and SESv2 (`/v2/email/configuration-sets/...`). A send naming a configuration set that does not exist is refused,
 * as SES refuses it; a send naming one with an enabled EventBridge destination publishes its email events there.
 * EventBridge destinations take only the default bus, as on AWS
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventBridgeDestination.html).
 */
export class SesConfigurationSets {
  private readonly sets = new Map<string, Map<string, SesEventDestination>>();
  /** A set's own `SuppressionOptions.SuppressedReasons`, which override the account's; absent: the account's apply. */
  private readonly suppressedReasons = new Map<string, readonly SuppressionListReason[]>();

  /** Creates a configuration set; SES refuses a name already taken. */
  create(name: string): void {
    checkName(name, "ConfigurationSetName");
    if (this.sets.has(name))
      throw new SesConfigurationSetError(
        "ConfigurationSetAlreadyExists",
        "AlreadyExistsException",
        400,
        `Configuration set <${name}> already exists.`,
      );
    this.sets.set(name, new Map());
  }

  delete(name: string): void {
    this.destinationsOf(name);
    this.sets.delete(name);
    this.suppressedReasons.delete(name);
  }

  /**
   * Sets the reasons for which SES suppresses addresses in the emails of configuration set `name`, overriding the
   * account's (`[]`: no suppression at all for them); `undefined` goes back to the account's settings.
   */
  putSuppressionOptions(name: string, reasons: readonly SuppressionListReason[] | undefined): void {
    this.destinationsOf(name);
    if (reasons === undefined) this.suppressedReasons.delete(name);
    else this.suppressedReasons.set(name, [...new Set(reasons)]);
  }

  /** The set's own suppressed reasons, or undefined when the account's apply to its emails. */
  suppressionOptionsOf(name: string): readonly SuppressionListReason[] | undefined {
    return this.suppressedReasons.get(name);
  }

  has(name: string): boolean {
    return this.sets.has(name);
  }

  names(): string[] {
    return [...this.sets.keys()];
  }

  /** Adds (or, with `replace`, updates) an event destination of configuration set `setName`. */
  putEventDestination(setName: string, destination: SesEventDestination, replace = false): void {
    const destinations = this.destinationsOf(setName);
    checkName(destination.Name, "EventDestinationName");
    const exists = destinations.has(destination.Name);
    if (exists && !replace)
      throw new SesConfigurationSetError(
        "EventDestinationAlreadyExists",
        "AlreadyExistsException",
        400,
        `Event destination ${destination.Name} already exists in configuration set ${setName}.`,
      );
    if (!exists && replace) throw eventDestinationMissing(setName, destination.Name);
    if (destination.MatchingEventTypes.length === 0)
      throw badRequest("MatchingEventTypes must name at least one event type, e.g. SEND, DELIVERY, BOUNCE.");
    for (const type of destination.MatchingEventTypes)
      if (!SES_EVENT_TYPES.includes(type))
        throw badRequest(`MatchingEventTypes has ${String(type)}; SES event types are ${SES_EVENT_TYPES.join(", ")}.`);
    const busArn = destination.EventBridgeDestination?.EventBusArn;
    if (busArn !== undefined && !DEFAULT_BUS_ARN.test(busArn))
      throw badRequest(
        `EventBridgeDestination.EventBusArn ${busArn} is not the default event bus: SES publishes email events only to the default bus (arn:aws:events:<region>:<account>:event-bus/default).`,
      );
    destinations.set(destination.Name, destination);
  }

  deleteEventDestination(setName: string, destinationName: string): void {
    const destinations = this.destinationsOf(setName);
    if (!destinations.delete(destinationName)) throw eventDestinationMissing(setName, destinationName);
  }

  eventDestinations(setName: string): SesEventDestination[] {
    return [...this.destinationsOf(setName).values()];
  }

  /** The bus ARNs that an event of `type` for a message sent with `setName` is published to. */
  eventBusesFor(setName: string, type: SesEventType): string[] {
    const destinations = this.sets.get(setName);
    if (!destinations) return [];
    return [...destinations.values()]
      .filter((destination) => destination.Enabled && destination.MatchingEventTypes.includes(type))
      .flatMap((destination) =>
        destination.EventBridgeDestination ? [destination.EventBridgeDestination.EventBusArn] : [],
      );
  }

  /** Throws the error SES answers to a send that names configuration set `name` when it does not exist. */
  checkSendable(name: string): void {
    this.destinationsOf(name);
  }

  /** Answers the SES v1 configuration-set actions; undefined for any other action. */
  answerV1(action: string, parameters: URLSearchParams, xmlns: string): LocalResponse | undefined {
    switch (action) {
      case "CreateConfigurationSet":
        this.create(parameters.get("ConfigurationSet.Name") ?? "");
        return queryXmlResponse({ action, xmlns, resultXml: "" });
      case "DeleteConfigurationSet":
        this.delete(parameters.get("ConfigurationSetName") ?? "");
        return queryXmlResponse({ action, xmlns, resultXml: "" });
      case "ListConfigurationSets":
        return queryXmlResponse({
          action,
          xmlns,
          resultXml: `<ConfigurationSets>${this.names()
            .map((name) => `<member><Name>${escapeXml(name)}</Name></member>`)
            .join("")}</ConfigurationSets>`,
        });
      case "DescribeConfigurationSet": {
        const name = parameters.get("ConfigurationSetName") ?? "";
        this.destinationsOf(name);
        return queryXmlResponse({
          action,
          xmlns,
          resultXml: `<ConfigurationSet><Name>${escapeXml(name)}</Name></ConfigurationSet><EventDestinations/>`,
        });
      }
      default:
        return undefined;
    }
  }

  /**
   * Answers SESv2 `/v2/email/configuration-sets[/{name}[/event-destinations[/{destination}]]]`; undefined for any
   * other path.
   */
  answerV2(method: string, path: string, body: unknown): LocalResponse | undefined {
    const suppressionOptions = SUPPRESSION_OPTIONS_PATH.exec(path);
    if (suppressionOptions && method === "PUT") {
      const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
      this.putSuppressionOptions(
        decodeURIComponent(suppressionOptions[1]!),
        reasonsOf(fields.SuppressedReasons, "SuppressedReasons"),
      );
      return jsonAnswer({});
    }
    const match = CONFIGURATION_SETS_PATH.exec(path);
    if (!match) return undefined;
    const setName = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const destinationName = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (setName === undefined) {
      if (method === "POST") {
        const name = typeof fields.ConfigurationSetName === "string" ? fields.ConfigurationSetName : "";
        const options = fields.SuppressionOptions as { SuppressedReasons?: unknown } | undefined;
        const reasons =
          options === undefined
            ? undefined
            : reasonsOf(options.SuppressedReasons, "SuppressionOptions.SuppressedReasons");
        this.create(name);
        if (reasons !== undefined) this.putSuppressionOptions(name, reasons);
        return jsonAnswer({});
      }
      if (method === "GET") return jsonAnswer({ ConfigurationSets: this.names() });
    } else if (!path.includes("/event-destinations")) {
      if (method === "GET") {
        this.destinationsOf(setName);
        const reasons = this.suppressedReasons.get(setName);
        return jsonAnswer({
          ConfigurationSetName: setName,
          ...(reasons === undefined ? {} : { SuppressionOptions: { SuppressedReasons: reasons } }),
        });
      }
      if (method === "DELETE") {
        this.delete(setName);
        return jsonAnswer({});
      }
    } else if (destinationName === undefined) {
      if (method === "POST") {
        const name = typeof fields.EventDestinationName === "string" ? fields.EventDestinationName : "";
        this.putEventDestination(setName, destinationOf(name, fields.EventDestination));
        return jsonAnswer({});
      }
      if (method === "GET") return jsonAnswer({ EventDestinations: this.eventDestinations(setName) });
    } else {
      if (method === "PUT") {
        this.putEventDestination(setName, destinationOf(destinationName, fields.EventDestination), true);
        return jsonAnswer({});
      }
      if (method === "DELETE") {
        this.deleteEventDestination(setName, destinationName);
        return jsonAnswer({});
      }
    }
    return {
      status: 404,
      headers: { "content-type": "application/json", "x-amzn-errortype": "UnknownOperationException" },
      body: JSON.stringify({ message: `Local SES does not serve ${method} ${path}` }),
    };
  }

  private destinationsOf(name: string): Map<string, SesEventDestination> {
    const destinations = this.sets.get(name);
    if (!destinations)
      throw new SesConfigurationSetError(
        "ConfigurationSetDoesNotExist",
        "NotFoundException",
        name === "" ? 400 : 404,
        `Configuration set <${name}> does not exist.`,
      );
    return destinations;
  }
}

/** A `SesConfigurationSetError` as the SES v1 Query protocol answers it. */
export function asQueryError(error: SesConfigurationSetError): AwsQueryError {
  return new AwsQueryError(error.v1Code, error.status === 404 ? 400 : error.status, error.message);
}

function destinationOf(name: string, value: unknown): SesEventDestination {
  if (typeof value !== "object" || value === null)
    throw badRequest("EventDestination is required: { Enabled, MatchingEventTypes, EventBridgeDestination }.");
  const fields = value as Record<string, unknown>;
  const types = Array.isArray(fields.MatchingEventTypes) ? (fields.MatchingEventTypes as SesEventType[]) : [];
  const bus = fields.EventBridgeDestination as { EventBusArn?: unknown } | undefined;
  const topic = fields.SnsDestination as { TopicArn?: unknown } | undefined;
  return {
    Name: name,
    Enabled: fields.Enabled === true,
    MatchingEventTypes: types,
    ...(bus && typeof bus.EventBusArn === "string" ? { EventBridgeDestination: { EventBusArn: bus.EventBusArn } } : {}),
    ...(topic && typeof topic.TopicArn === "string" ? { SnsDestination: { TopicArn: topic.TopicArn } } : {}),
    ...(fields.CloudWatchDestination === undefined ? {} : { CloudWatchDestination: fields.CloudWatchDestination }),
    ...(fields.KinesisFirehoseDestination === undefined
      ? {}
      : { KinesisFirehoseDestination: fields.KinesisFirehoseDestination }),
  };
}

function checkName(name: string, field: string): void {
  // SES names: letters, numbers, underscores and dashes, at most 64 characters.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name))
    throw badRequest(
      `${field} ${JSON.stringify(name)} is not valid: use 1 to 64 letters, numbers, underscores (_) or dashes (-).`,
    );
}

function badRequest(message: string): SesConfigurationSetError {
  return new SesConfigurationSetError("InvalidParameterValue", "BadRequestException", 400, message);
}

function eventDestinationMissing(setName: string, destinationName: string): SesConfigurationSetError {
  return new SesConfigurationSetError(
    "EventDestinationDoesNotExist",
    "NotFoundException",
    404,
    `Event destination ${destinationName} does not exist in configuration set ${setName}.`,
  );
}

function jsonAnswer(value: unknown): LocalResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
