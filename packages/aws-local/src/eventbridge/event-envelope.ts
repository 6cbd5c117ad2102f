/** The event EventBridge hands to rules and targets. Field order matches AWS output. [semantics §3, DOC eb-events] */
export interface EventEnvelope {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  /** ISO-8601 UTC without milliseconds, e.g. `2017-12-22T18:43:48Z`. */
  readonly time: string;
  readonly region: string;
  /** Only on replayed events; sits after `region`. [semantics §3, LS-AWS] */
  readonly "replay-name"?: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface EventEnvelopeFields {
  readonly id: string;
  readonly detailType: string;
  readonly source: string;
  readonly account: string;
  readonly time: Date;
  readonly region: string;
  readonly replayName?: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Builds an envelope with its keys in AWS order (JSON consumers and snapshot tests see the same text as on AWS). */
export function buildEventEnvelope(fields: EventEnvelopeFields): EventEnvelope {
  return {
    version: "0",
    id: fields.id,
    "detail-type": fields.detailType,
    source: fields.source,
    account: fields.account,
    time: formatEventTime(fields.time),
    region: fields.region,
    ...(fields.replayName === undefined ? {} : { "replay-name": fields.replayName }),
    resources: [...fields.resources],
    detail: fields.detail,
  };
}

/** `2017-12-22T18:43:48Z`: EventBridge drops the milliseconds. */
export function formatEventTime(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The envelope of a replayed event: the original with a top-level `replay-name` right after `region`, where AWS
 * puts it. Everything else, the `id` included, stays as archived (whether AWS keeps the id is unverified).
 * [semantics §3, §9]
 */
export function withReplayName(event: EventEnvelope, replayName: string): EventEnvelope {
  const { version, id, "detail-type": detailType, source, account, time, region, resources, detail } = event;
  return {
    version,
    id,
    "detail-type": detailType,
    source,
    account,
    time,
    region,
    "replay-name": replayName,
    resources,
    detail,
  };
}
