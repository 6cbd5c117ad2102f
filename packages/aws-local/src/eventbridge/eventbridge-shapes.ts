/**
 * Request and response shapes of the EventBridge operations the local EventBridge serves. Member names are the
 * wire names (PascalCase), so a request body maps onto them directly. Timestamps are `Date` here; the API layer
 * writes them as epoch seconds.
 */

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
export const RULE_STATES: readonly RuleState[] = [
  "ENABLED",
  "DISABLED",
  "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
];

/** Members may be `undefined` as well as absent, as in the SDK's own `PutEventsRequestEntry`, so its entries fit. */
export interface PutEventsRequestEntry {
  /** Epoch seconds (as on the wire) or a Date. */
  readonly Time?: number | Date | undefined;
  readonly Source?: string | undefined;
  readonly Resources?: readonly string[] | undefined;
  readonly DetailType?: string | undefined;
  readonly Detail?: string | undefined;
  readonly EventBusName?: string | undefined;
  readonly TraceHeader?: string | undefined;
}

export interface PutEventsRequest {
  readonly Entries: readonly PutEventsRequestEntry[];
  readonly EndpointId?: string;
}

export type PutEventsResultEntry =
  | { readonly EventId: string }
  | { readonly ErrorCode: string; readonly ErrorMessage: string };

export interface PutEventsResponse {
  readonly FailedEntryCount: number;
  readonly Entries: PutEventsResultEntry[];
}

export interface TestEventPatternRequest {
  readonly EventPattern: string;
  readonly Event: string;
}

export interface PutRuleRequest {
  readonly Name: string;
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly State?: RuleState;
  readonly Description?: string;
  readonly RoleArn?: string;
  readonly EventBusName?: string;
}

export interface RuleReference {
  readonly Name: string;
  readonly EventBusName?: string;
}

export interface DescribeRuleResponse {
  readonly Name: string;
  readonly Arn: string;
  readonly EventPattern?: string;
  readonly ScheduleExpression?: string;
  readonly State: RuleState;
  readonly Description?: string;
  readonly RoleArn?: string;
  readonly EventBusName: string;
  readonly CreatedBy: string;
}

export interface ListRulesRequest {
  readonly NamePrefix?: string;
  readonly EventBusName?: string;
  readonly NextToken?: string;
  readonly Limit?: number;
}

export interface ListRulesResponse {
  readonly Rules: Omit<DescribeRuleResponse, "CreatedBy">[];
  readonly NextToken?: string;
}

export interface InputTransformer {
  readonly InputPathsMap?: Readonly<Record<string, string>>;
  readonly InputTemplate: string;
}

export interface RetryPolicy {
  readonly MaximumRetryAttempts?: number;
  readonly MaximumEventAgeInSeconds?: number;
}

export interface DeadLetterConfig {
  readonly Arn?: string;
}

/** The target members the local EventBridge stores and honours. */
export interface Target {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: InputTransformer;
  readonly RetryPolicy?: RetryPolicy;
  readonly DeadLetterConfig?: DeadLetterConfig;
}

export interface PutTargetsRequest {
  readonly Rule: string;
  readonly EventBusName?: string;
  readonly Targets: readonly Target[];
}

export interface TargetResultEntry {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export interface TargetsResultResponse {
  readonly FailedEntryCount: number;
  readonly FailedEntries: TargetResultEntry[];
}

export interface ListTargetsByRuleRequest {
  readonly Rule: string;
  readonly EventBusName?: string;
  readonly NextToken?: string;
  readonly Limit?: number;
}

export interface ListTargetsByRuleResponse {
  readonly Targets: Target[];
  readonly NextToken?: string;
}

export interface RemoveTargetsRequest {
  readonly Rule: string;
  readonly EventBusName?: string;
  readonly Ids: readonly string[];
  readonly Force?: boolean;
}

export interface CreateEventBusRequest {
  readonly Name: string;
  readonly Description?: string;
}

export interface EventBusDescription {
  readonly Name: string;
  readonly Arn: string;
  readonly Description?: string;
  readonly CreationTime: Date;
  readonly LastModifiedTime: Date;
}

export interface ListEventBusesRequest {
  readonly NamePrefix?: string;
  readonly NextToken?: string;
  readonly Limit?: number;
}

export interface ListEventBusesResponse {
  readonly EventBuses: EventBusDescription[];
  readonly NextToken?: string;
}

// ---- Archives [semantics §6] ----

export type ArchiveState = "ENABLED" | "DISABLED" | "CREATING" | "UPDATING" | "CREATE_FAILED" | "UPDATE_FAILED";
export const ARCHIVE_STATES: readonly ArchiveState[] = [
  "ENABLED",
  "DISABLED",
  "CREATING",
  "UPDATING",
  "CREATE_FAILED",
  "UPDATE_FAILED",
];

export interface CreateArchiveRequest {
  readonly ArchiveName: string;
  /** The ARN of the source event bus. */
  readonly EventSourceArn: string;
  readonly Description?: string;
  readonly EventPattern?: string;
  /** Days to keep events; 0 (the default) keeps them forever. */
  readonly RetentionDays?: number;
}

/** CreateArchive and UpdateArchive answer with this. */
export interface ArchiveStateResponse {
  readonly ArchiveArn: string;
  readonly State: ArchiveState;
  readonly StateReason?: string;
  readonly CreationTime: Date;
}

export interface DescribeArchiveResponse {
  readonly ArchiveArn: string;
  readonly ArchiveName: string;
  readonly EventSourceArn: string;
  readonly Description?: string;
  readonly EventPattern?: string;
  readonly State: ArchiveState;
  readonly StateReason?: string;
  readonly RetentionDays: number;
  readonly SizeBytes: number;
  readonly EventCount: number;
  readonly CreationTime: Date;
}

/** An archive as ListArchives lists it (the model's `Archive` shape has no ARN, pattern or description). */
export interface ArchiveSummary {
  readonly ArchiveName: string;
  readonly EventSourceArn: string;
  readonly State: ArchiveState;
  readonly StateReason?: string;
  readonly RetentionDays: number;
  readonly SizeBytes: number;
  readonly EventCount: number;
  readonly CreationTime: Date;
}

export interface ListArchivesRequest {
  readonly NamePrefix?: string;
  readonly EventSourceArn?: string;
  readonly State?: ArchiveState;
  readonly NextToken?: string;
  readonly Limit?: number;
}

export interface ListArchivesResponse {
  readonly Archives: ArchiveSummary[];
  readonly NextToken?: string;
}

export interface UpdateArchiveRequest {
  readonly ArchiveName: string;
  readonly Description?: string;
  readonly EventPattern?: string;
  readonly RetentionDays?: number;
}

// ---- Replays [semantics §7] ----

export type ReplayState = "STARTING" | "RUNNING" | "CANCELLING" | "COMPLETED" | "CANCELLED" | "FAILED";
export const REPLAY_STATES: readonly ReplayState[] = [
  "STARTING",
  "RUNNING",
  "CANCELLING",
  "COMPLETED",
  "CANCELLED",
  "FAILED",
];

export interface ReplayDestination {
  /** The ARN of the bus to replay to: it must be the archive's source bus. */
  readonly Arn: string;
  /** Rule ARNs that get the replayed events; all rules of the bus when absent. */
  readonly FilterArns?: readonly string[];
}

export interface StartReplayRequest {
  readonly ReplayName: string;
  readonly Description?: string;
  /** The ARN of the archive. */
  readonly EventSourceArn: string;
  /** Epoch seconds (as on the wire) or a Date. */
  readonly EventStartTime: number | Date;
  readonly EventEndTime: number | Date;
  readonly Destination: ReplayDestination;
}

export interface StartReplayResponse {
  readonly ReplayArn: string;
  readonly State: ReplayState;
  readonly StateReason?: string;
  readonly ReplayStartTime: Date;
}

export interface DescribeReplayResponse {
  readonly ReplayName: string;
  readonly ReplayArn: string;
  readonly Description?: string;
  readonly State: ReplayState;
  readonly StateReason?: string;
  readonly EventSourceArn: string;
  readonly Destination: ReplayDestination;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  /** The event time of the last replayed event. */
  readonly EventLastReplayedTime?: Date;
  readonly ReplayStartTime: Date;
  readonly ReplayEndTime?: Date;
}

/** A replay as ListReplays lists it (the model's `Replay` shape: no ARN, description or destination). */
export interface ReplaySummary {
  readonly ReplayName: string;
  readonly EventSourceArn: string;
  readonly State: ReplayState;
  readonly StateReason?: string;
  readonly EventStartTime: Date;
  readonly EventEndTime: Date;
  readonly EventLastReplayedTime?: Date;
  readonly ReplayStartTime: Date;
  readonly ReplayEndTime?: Date;
}

export interface ListReplaysRequest {
  readonly NamePrefix?: string;
  readonly State?: ReplayState;
  /** The ARN of an archive. */
  readonly EventSourceArn?: string;
  readonly NextToken?: string;
  readonly Limit?: number;
}

export interface ListReplaysResponse {
  readonly Replays: ReplaySummary[];
  readonly NextToken?: string;
}

export interface CancelReplayResponse {
  readonly ReplayArn: string;
  readonly State: ReplayState;
  readonly StateReason?: string;
}
