import { randomUUID } from "node:crypto";
import type { ArchiveStore } from "./archive-store";
import { buildEventEnvelope } from "./event-envelope";
import type { EventBusLookup } from "./event-bus-registry";
import type { AcceptedEvent, EventJournal } from "./event-journal";
import type { EventRouter } from "./event-routing";
import type { EventBridgeArns } from "./eventbridge-arns";
import type {
  PutEventsRequest,
  PutEventsRequestEntry,
  PutEventsResponse,
  PutEventsResultEntry,
} from "./eventbridge-shapes";
import {
  checkEntry,
  checkPutEventsRequest,
  computeArchivedSize,
  computeEntrySize,
  entryTime,
} from "./put-events-request";

/** Faults injected into PutEvents, after the request and each entry passed their own checks. */
export interface PutEventsFaultHook {
  /** Throw (an EventBridgeError with its HTTP status) to fail the whole request: nothing is accepted. */
  beforeRequest?(request: PutEventsRequest): void;
  /** An answer fails this entry: it is reported with that error and not accepted; the others are. */
  failEntry?(
    entry: PutEventsRequestEntry,
    index: number,
  ): { readonly ErrorCode: string; readonly ErrorMessage: string } | undefined;
}

export interface EventIntakeOptions {
  readonly arns: EventBridgeArns;
  readonly eventBuses: Pick<EventBusLookup, "hasEventBus">;
  readonly journal: Pick<EventJournal, "record">;
  readonly archives: Pick<ArchiveStore, "record">;
  readonly router: Pick<EventRouter, "routeLater">;
  readonly now: () => number;
  readonly sizeLimitBytes: number;
  readonly faults?: PutEventsFaultHook | undefined;
  readonly warn: (message: string, details?: Record<string, unknown>) => void;
}

/** An event an AWS service (not a PutEvents caller) puts on a bus of the account. */
export interface ServiceEvent {
  /** A bus name or ARN. */
  readonly eventBusName: string;
  /** The service's own source, e.g. `aws.ses`. */
  readonly source: string;
  readonly detailType: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly resources: readonly string[];
  readonly time: Date;
}

/** PutEvents' counters: accepted events (in all and per bus), and the events dropped because their bus does not exist. */
export interface IntakeStatistics {
  readonly acceptedEvents: number;
  readonly acceptedEventsByBus: Readonly<Record<string, number>>;
  readonly droppedEventsByBus: Readonly<Record<string, number>>;
}

/**
 * PutEvents: checks the request and each entry, builds the envelope of every accepted entry, records it in the
 * journal and the archives of its bus, and hands it to routing for after the answer. [semantics §2]
 */
export class EventIntake {
  private acceptedCount = 0;
  private readonly acceptedByBus = new Map<string, number>();
  private readonly droppedByBus = new Map<string, number>();

  constructor(private readonly options: EventIntakeOptions) {}

  /**
   * Accepts up to 10 entries and answers before any delivery happens. An entry for a bus that does not exist gets
   * an EventId and is dropped, as on AWS, with a warning.
   */
  putEvents(request: PutEventsRequest): PutEventsResponse {
    const { arns, faults } = this.options;
    checkPutEventsRequest(request, this.options.sizeLimitBytes);
    faults?.beforeRequest?.(request);
    const ingestionTime = new Date(this.options.now());
    const entries: PutEventsResultEntry[] = [];
    const toRoute: AcceptedEvent[] = [];
    for (const [index, entry] of request.Entries.entries()) {
      const check = checkEntry(entry);
      if (!check.accepted) {
        entries.push({ ErrorCode: check.errorCode, ErrorMessage: check.errorMessage });
        continue;
      }
      const injected = faults?.failEntry?.(entry, index);
      if (injected) {
        entries.push({ ErrorCode: injected.ErrorCode, ErrorMessage: injected.ErrorMessage });
        continue;
      }
      const id = randomUUID();
      entries.push({ EventId: id });
      const eventBusName = arns.eventBusNameOf(entry.EventBusName);
      if (!this.options.eventBuses.hasEventBus(eventBusName)) {
        this.recordDrop(eventBusName, id);
        continue;
      }
      const accepted = this.accept(
        id,
        entry,
        check.detail,
        eventBusName,
        entryTime(entry) ?? ingestionTime,
        ingestionTime,
      );
      toRoute.push(accepted);
    }
    if (toRoute.length > 0) this.options.router.routeLater(toRoute);
    return { FailedEntryCount: entries.filter((entry) => "ErrorCode" in entry).length, Entries: entries };
  }

  /**
   * An event an AWS service puts on a bus of this account (SES email events, say): it skips PutEvents' request
   * checks (an `aws.` source is the service's own) and is journalled, archived and routed like any accepted event.
   * Dropped, with a warning, when the bus does not exist.
   */
  acceptServiceEvent(event: ServiceEvent): string {
    const { arns } = this.options;
    const id = randomUUID();
    const eventBusName = arns.eventBusNameOf(event.eventBusName);
    if (!this.options.eventBuses.hasEventBus(eventBusName)) {
      this.recordDrop(eventBusName, id);
      return id;
    }
    const entry = {
      Source: event.source,
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
      Resources: [...event.resources],
    };
    const accepted = this.accept(id, entry, event.detail, eventBusName, event.time, new Date(this.options.now()));
    this.options.router.routeLater([accepted]);
    return id;
  }

  /** Builds the envelope of an accepted entry on an existing bus and records it in the journal and the bus's archives. */
  private accept(
    id: string,
    entry: PutEventsRequestEntry,
    detail: Readonly<Record<string, unknown>>,
    eventBusName: string,
    time: Date,
    ingestionTime: Date,
  ): AcceptedEvent {
    const { arns } = this.options;
    const accepted: AcceptedEvent = {
      event: buildEventEnvelope({
        id,
        detailType: entry.DetailType ?? "",
        source: entry.Source ?? "",
        account: arns.account,
        time,
        region: arns.region,
        resources: entry.Resources ?? [],
        detail,
      }),
      eventBusName,
      eventBusArn: arns.eventBus(eventBusName),
      ingestionTime,
      sizeBytes: computeEntrySize(entry),
      archivedSizeBytes: computeArchivedSize(entry),
    };
    this.acceptedCount += 1;
    this.acceptedByBus.set(eventBusName, (this.acceptedByBus.get(eventBusName) ?? 0) + 1);
    this.options.journal.record(accepted);
    this.options.archives.record(accepted);
    return accepted;
  }

  getStatistics(): IntakeStatistics {
    return {
      acceptedEvents: this.acceptedCount,
      acceptedEventsByBus: Object.fromEntries(this.acceptedByBus),
      droppedEventsByBus: Object.fromEntries(this.droppedByBus),
    };
  }

  private recordDrop(eventBusName: string, eventId: string): void {
    const count = (this.droppedByBus.get(eventBusName) ?? 0) + 1;
    this.droppedByBus.set(eventBusName, count);
    // AWS accepts and silently drops these [semantics §2, LS-AWS test_put_events_nonexistent_event_bus]; say it loudly.
    this.options.warn(
      `PutEvents: event bus "${eventBusName}" does not exist. Event ${eventId} was accepted and DROPPED, as AWS does ` +
        `(${count} dropped for this bus so far). Create the bus or fix EventBusName.`,
      { eventBusName, eventId, droppedForBus: count },
    );
  }
}
