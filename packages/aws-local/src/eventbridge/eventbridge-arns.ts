/** The bus that always exists and that an absent `EventBusName` means. */
export const DEFAULT_EVENT_BUS_NAME = "default";

const EVENT_BUS_ARN = /^arn:aws[\w-]*:events:([^:]*):([^:]*):event-bus\/(.+)$/;
const ARCHIVE_ARN = /^arn:[^:]*:events:[^:]*:[^:]*:archive\/(.+)$/;

/**
 * Builds and reads the ARNs of one region and account's event buses, rules, archives and replays
 * (`arn:aws:events:<region>:<account>:<resource>`).
 */
export class EventBridgeArns {
  constructor(
    readonly region: string,
    readonly account: string,
  ) {}

  eventBus(eventBusName: string): string {
    return this.arn(`event-bus/${eventBusName}`);
  }

  /** `rule/<name>` on the default bus, `rule/<bus>/<name>` elsewhere. [LS-AWS test_put_list_with_prefix_describe_delete_rule] */
  rule(eventBusName: string, ruleName: string): string {
    return this.arn(`rule/${eventBusName === DEFAULT_EVENT_BUS_NAME ? ruleName : `${eventBusName}/${ruleName}`}`);
  }

  archive(archiveName: string): string {
    return this.arn(`archive/${archiveName}`);
  }

  replay(replayName: string): string {
    return this.arn(`replay/${replayName}`);
  }

  /**
   * The bus name for an `EventBusName` member: absent (or empty) means `default`; an ARN of this region and account
   * becomes its name; an ARN of another region or account is kept whole, so it names no bus here.
   */
  eventBusNameOf(nameOrArn: string | undefined): string {
    if (nameOrArn === undefined || nameOrArn === "") return DEFAULT_EVENT_BUS_NAME;
    const arn = EVENT_BUS_ARN.exec(nameOrArn);
    if (!arn) return nameOrArn;
    return arn[1] === this.region && arn[2] === this.account ? (arn[3] ?? nameOrArn) : nameOrArn;
  }

  /**
   * The bus an `EventBusName` or `EventSourceArn` names, as AWS writes it in an error message: the name part of any
   * event-bus ARN (whatever its region and account), the default bus when absent, otherwise the text given.
   * [LS-AWS test_create_archive_error_unknown_event_bus: "Event bus <name> does not exist."]
   */
  eventBusNameForMessage(nameOrArn: string | undefined): string {
    if (nameOrArn === undefined || nameOrArn === "") return DEFAULT_EVENT_BUS_NAME;
    return EVENT_BUS_ARN.exec(nameOrArn)?.[3] ?? nameOrArn;
  }

  private arn(resource: string): string {
    return `arn:aws:events:${this.region}:${this.account}:${resource}`;
  }
}

/**
 * `arn:<partition>:events:<region>:<account>:archive/<name>` → `<name>`, whatever the region and account; anything
 * else is taken as a name as it is.
 */
export function archiveNameOf(archiveArn: string): string {
  return ARCHIVE_ARN.exec(archiveArn)?.[1] ?? archiveArn;
}
