import type { TableItemSizes } from "./dynamodb-item-size";
import type { RequestCount } from "./request-counter";
import { roundTo } from "./statistics";

/**
 * Public list prices used, ap-southeast-1 (Singapore), USD, without free tiers. Written down from
 * the AWS pricing pages as known on the date below, not fetched by the bench: check them before
 * quoting a figure.
 */
export const PRICES = {
  region: "ap-southeast-1",
  asOf: "2026-11-30",
  dynamoDbWriteRequestUnitPerMillion: 0.71155,
  dynamoDbReadRequestUnitPerMillion: 0.1425,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  eventBridgeCustomEventsPerMillion: 1.0,
  eventBridgeArchiveProcessingPerGb: 0.1,
  eventBridgeArchiveStoragePerGbMonth: 0.023,
  sesEmailsPerThousand: 0.1,
  snsPublishesPerMillion: 0.5,
} as const;

export const PRICE_NOTES: readonly string[] = [
  "DynamoDB on-demand: $0.71155 per million write request units, $0.1425 per million read request units (1 WRU per started KB written, 1 RRU per started 4 KB read strongly consistent).",
  "Lambda, arm64 (as the stacks deploy): $0.20 per million requests, $0.0000133334 per GB-second, billed per 1 ms.",
  "EventBridge: $1.00 per million custom events put (per 64 KB chunk); archive $0.10 per GB processed and $0.023 per GB-month stored; delivery to Lambda targets is billed as Lambda requests.",
  "SES: $0.10 per 1,000 emails (no attachments, so no per-GB charge).",
  "SNS standard topic: $0.50 per million publishes (per 64 KB chunk); deliveries to the topic's subscribers are not ours and not counted.",
];

export interface FunctionMemory {
  readonly name: string;
  readonly memoryMb: number;
  /** Why this size: configured in the stacks, or assumed. */
  readonly source: string;
}

export interface CostInputs {
  readonly confirmations: number;
  readonly requests: readonly RequestCount[];
  readonly tables: readonly TableItemSizes[];
  /** Invocations and mean billed duration (ms, each invocation rounded up to 1 ms) per function. */
  readonly functions: readonly {
    readonly name: string;
    readonly invocations: number;
    readonly billedMsPerInvocation: number;
  }[];
  readonly memory: readonly FunctionMemory[];
  /** Mean archived size of one event, when the bus has an archive. */
  readonly archivedBytesPerEvent?: number;
}

export interface CostLine {
  readonly item: string;
  /** Billing units per confirmation, e.g. write request units, GB-seconds, emails. */
  readonly unitsPerConfirmation: number;
  readonly unit: string;
  readonly usdPerMillionConfirmations: number;
}

export interface CostResult {
  readonly region: string;
  readonly pricesAsOf: string;
  readonly priceNotes: readonly string[];
  readonly memory: readonly FunctionMemory[];
  readonly lines: readonly CostLine[];
  readonly usdPerMillionConfirmations: number;
  readonly excluded: readonly string[];
}

const WRITES = new Set(["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"]);
const READS = new Set(["GetItem", "Query", "Scan", "BatchGetItem"]);

/** AWS cost per million confirmations of the measured mix, from the counted requests and measured sizes and durations. */
export function estimateCost(inputs: CostInputs): CostResult {
  const per = (value: number) => value / inputs.confirmations;
  const lines: CostLine[] = [];
  const line = (item: string, unitsPerConfirmation: number, unit: string, pricePerUnit: number) =>
    lines.push({
      item,
      unitsPerConfirmation: roundTo(unitsPerConfirmation, 4),
      unit,
      usdPerMillionConfirmations: roundTo(unitsPerConfirmation * pricePerUnit * 1e6, 2),
    });

  const tableSize = (table: string) => inputs.tables.find((t) => t.table === table);
  let writeUnits = 0;
  let readUnits = 0;
  for (const request of inputs.requests.filter((r) => r.service === "DynamoDB")) {
    const size = tableSize(request.resource);
    if (WRITES.has(request.operation)) writeUnits += request.requests * (size?.writeUnitsPerWrite ?? 1);
    if (READS.has(request.operation)) readUnits += request.requests * (size?.readUnitsPerConsistentRead ?? 1);
  }
  line("DynamoDB writes", per(writeUnits), "write request units", PRICES.dynamoDbWriteRequestUnitPerMillion / 1e6);
  line("DynamoDB reads", per(readUnits), "read request units", PRICES.dynamoDbReadRequestUnitPerMillion / 1e6);

  const invocations = inputs.functions.reduce((sum, fn) => sum + fn.invocations, 0);
  line("Lambda requests", per(invocations), "invocations", PRICES.lambdaRequestsPerMillion / 1e6);
  const gbSeconds = inputs.functions.reduce((sum, fn) => {
    const memoryMb = inputs.memory.find((m) => m.name === fn.name)?.memoryMb ?? 1024;
    return sum + fn.invocations * (fn.billedMsPerInvocation / 1000) * (memoryMb / 1024);
  }, 0);
  line("Lambda duration", per(gbSeconds), "GB-seconds", PRICES.lambdaArmGbSecond);

  const entries = inputs.requests
    .filter((r) => r.service === "EventBridge" && r.operation === "PutEvents")
    .reduce((sum, r) => sum + (r.entries ?? 0), 0);
  line("EventBridge events", per(entries), "events", PRICES.eventBridgeCustomEventsPerMillion / 1e6);
  if (inputs.archivedBytesPerEvent !== undefined) {
    const kilobytes = (entries * inputs.archivedBytesPerEvent) / 1024;
    const perKilobyte =
      (PRICES.eventBridgeArchiveProcessingPerGb + PRICES.eventBridgeArchiveStoragePerGbMonth) / 1024 ** 2;
    line("EventBridge archive (processing + 30 days stored)", per(kilobytes), "KB archived", perKilobyte);
  }
  const count = (service: string, operation: string) =>
    inputs.requests
      .filter((r) => r.service === service && r.operation === operation)
      .reduce((sum, r) => sum + r.requests, 0);
  line("SES emails", per(count("SES", "SendEmail")), "emails", PRICES.sesEmailsPerThousand / 1000);
  line("SNS publishes", per(count("SNS", "Publish")), "publishes", PRICES.snsPublishesPerMillion / 1e6);

  return {
    region: PRICES.region,
    pricesAsOf: PRICES.asOf,
    priceNotes: PRICE_NOTES,
    memory: inputs.memory,
    lines,
    usdPerMillionConfirmations: roundTo(
      lines.reduce((sum, l) => sum + l.usdPerMillionConfirmations, 0),
      2,
    ),
    excluded: [
      "CloudWatch Logs ingestion and storage (one Powertools line per outcome at INFO, plus Lambda's START/END/REPORT lines)",
      "free tiers, Savings Plans, the shared order table's own costs beyond our reads and writes",
      "SQS dead-letter and on-failure queues and alarms (nothing fails in the run)",
      "SNS deliveries to the topic's subscribers (they belong to whoever subscribes)",
    ],
  };
}
