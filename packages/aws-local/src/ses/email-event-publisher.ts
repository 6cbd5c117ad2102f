import { bareAddress } from "./recipient-addresses";
import type { SesConfigurationSets, SesEventType } from "./ses-configuration-sets";
import {
  type AcceptedMessage,
  type EmailFate,
  emailEventsOf,
  type SesEmailEvent,
  simulatorFateOf,
} from "./ses-email-events";

/** Where SES hands an email event for an EventBridge destination: the bus ARN the destination names, and the event. */
export type EmailEventSink = (eventBusArn: string, event: SesEmailEvent) => void;

/**
 * What the suppression list hears after an accepted message's events are known: a recipient that hard-bounced
 * (`Permanent`, other than a suppressed one) or complained, with the email's configuration set.
 */
export interface RecipientFeedback {
  readonly recipient: string;
  readonly reason: "BOUNCE" | "COMPLAINT";
  readonly messageId: string;
  readonly feedbackId: string;
  readonly configurationSetName: string | undefined;
}

/** Which recipients a planned fate applies to: a list of addresses, or a test of a bare address. */
export type FateRecipients = readonly string[] | ((address: string) => boolean);

interface PlannedDrop {
  remaining: number;
  readonly types: ReadonlySet<SesEventType> | undefined;
}

/**
 * Publishes the email events of accepted messages to their configuration set's EventBridge destinations, after the
 * send has been answered (SES publishes them asynchronously, best effort, possibly out of order:
 * https://docs.aws.amazon.com/ses/latest/dg/monitoring-eventbridge.html). Each recipient's fate is the planned one,
 * else the mailbox simulator's, else delivered. Planned drops lose events as a best-effort delivery can.
 */
export class EmailEventPublisher {
  private fates: { readonly matches: (address: string) => boolean; readonly fate: EmailFate }[] = [];
  private drops: PlannedDrop[] = [];
  private readonly pending = new Set<Promise<void>>();
  private published = 0;
  private dropped = 0;

  constructor(
    private readonly configurationSets: SesConfigurationSets,
    private readonly sink: EmailEventSink | undefined,
    private readonly context: () => { readonly region: string; readonly account: string; readonly now: Date },
    private readonly onFeedback: (feedback: RecipientFeedback) => void = () => {},
  ) {}

  /** From now on, recipients matching `recipients` get `fate` (the latest matching plan wins). */
  planFate(recipients: FateRecipients, fate: EmailFate): void {
    const matches =
      typeof recipients === "function"
        ? recipients
        : (
            (addresses: Set<string>) => (address: string) =>
              addresses.has(address.toLowerCase())
          )(new Set(recipients.map((address) => address.toLowerCase())));
    this.fates.unshift({ matches, fate });
  }

  /** Loses the next `count` events of `types` (every type when absent) instead of publishing them. */
  dropNext(count: number, types?: readonly SesEventType[]): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number >= 1, got ${count}`);
    this.drops.push({ remaining: count, types: types === undefined ? undefined : new Set(types) });
  }

  clear(): void {
    this.fates = [];
    this.drops = [];
  }

  /** The events published to a bus and the events lost to planned drops, since start. */
  statistics(): { readonly published: number; readonly dropped: number } {
    return { published: this.published, dropped: this.dropped };
  }

  /**
   * Schedules the events of an accepted `message` for after the current request has been answered, and tells the
   * suppression list of its hard bounces and complaints (also for a message without a configuration set, whose events
   * go nowhere).
   */
  publish(message: AcceptedMessage): void {
    const sink = this.sink;
    const configurationSetName = message.configurationSetName;
    const done = new Promise<void>((resolve) => {
      setImmediate(() => {
        try {
          const events = emailEventsOf(message, (recipient) => this.fateOf(recipient, message), this.context());
          for (const event of events) for (const feedback of feedbackOf(event)) this.onFeedback(feedback);
          if (!sink || configurationSetName === undefined) return;
          for (const event of events) {
            const buses = this.configurationSets.eventBusesFor(configurationSetName, event.matchingType);
            if (buses.length === 0) continue;
            if (this.takeDrop(event.matchingType)) {
              this.dropped += 1;
              continue;
            }
            for (const bus of buses) sink(bus, event);
            this.published += 1;
          }
        } finally {
          resolve();
        }
      });
    });
    this.pending.add(done);
    void done.then(() => this.pending.delete(done));
  }

  /** Resolves when every message accepted so far has had its events published (or lost). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /**
   * How the email to `recipient` ends: skipped when SES held it back as suppressed, else the planned fate, else the
   * mailbox simulator's, else delivered.
   */
  fateOf(recipient: string, message?: AcceptedMessage): EmailFate {
    const address = bareAddress(recipient).toLowerCase();
    if (message?.suppressed?.includes(address)) return "suppressed";
    return this.fates.find((plan) => plan.matches(address))?.fate ?? simulatorFateOf(recipient) ?? "delivered";
  }

  private takeDrop(type: SesEventType): boolean {
    const drop = this.drops.find((planned) => planned.remaining > 0 && (!planned.types || planned.types.has(type)));
    if (!drop) return false;
    drop.remaining -= 1;
    this.drops = this.drops.filter((planned) => planned.remaining > 0);
    return true;
  }
}

/** The hard bounces and complaints an event reports; a bounce of a suppressed address adds nothing. */
function feedbackOf(event: SesEmailEvent): RecipientFeedback[] {
  const detail = event.detail as {
    mail: { messageId: string; tags?: Record<string, string[]> };
    bounce?: {
      bounceType: string;
      bounceSubType: string;
      feedbackId: string;
      bouncedRecipients: { emailAddress: string }[];
    };
    complaint?: { feedbackId: string; complainedRecipients: { emailAddress: string }[] };
  };
  const configurationSetName = detail.mail.tags?.["ses:configuration-set"]?.[0];
  const of = (reason: RecipientFeedback["reason"], feedbackId: string, recipients: { emailAddress: string }[]) =>
    recipients.map(({ emailAddress }) => ({
      recipient: emailAddress,
      reason,
      messageId: detail.mail.messageId,
      feedbackId,
      configurationSetName,
    }));
  if (detail.bounce?.bounceType === "Permanent" && detail.bounce.bounceSubType !== "OnAccountSuppressionList")
    return of("BOUNCE", detail.bounce.feedbackId, detail.bounce.bouncedRecipients);
  if (detail.complaint) return of("COMPLAINT", detail.complaint.feedbackId, detail.complaint.complainedRecipients);
  return [];
}
