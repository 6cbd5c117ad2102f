import type { EventEnvelope } from "./event-envelope";

/** One event a bus accepted, as the journal keeps it. */
export interface AcceptedEvent {
  readonly event: EventEnvelope;
  readonly eventBusName: string;
  readonly eventBusArn: string;
  /** When the bus received it (the event's own `time` may be any instant the publisher chose). */
  readonly ingestionTime: Date;
  /** The entry size as AWS computes it for the PutEvents limit. */
  readonly sizeBytes: number;
  /** What the event adds to an archive's SizeBytes (see `computeArchivedSize`); 0 for a replayed event. */
  readonly archivedSizeBytes: number;
}

export type AcceptedEventListener = (accepted: AcceptedEvent) => void;

/**
 * A bounded, observable record of the events the buses accepted, oldest first. Tests read it; the archive
 * subscribes to it.
 */
export class EventJournal {
  private readonly events: AcceptedEvent[] = [];
  private readonly listeners = new Set<AcceptedEventListener>();

  constructor(
    private readonly capacity: number,
    private readonly onListenerError: (error: unknown) => void,
  ) {}

  record(accepted: AcceptedEvent): void {
    this.events.push(accepted);
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(accepted);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  /** The journal, oldest first, optionally for one bus only. */
  list(eventBusName?: string): AcceptedEvent[] {
    return eventBusName === undefined
      ? [...this.events]
      : this.events.filter((entry) => entry.eventBusName === eventBusName);
  }

  /** Calls `listener` for every newly accepted event; returns the function that unsubscribes it. */
  subscribe(listener: AcceptedEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
