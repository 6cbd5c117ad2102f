/**
 * Request and response shapes of the EventBridge operations the local EventBridge serves. Member names are the
 * wire names (PascalCase), so a request body maps onto them directly. Timestamps are `Date` here; the API layer
 * writes them as epoch seconds.
 */

export type RuleState = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";
export const RULE_STATES: readonly RuleState[] = ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"];

export interface PutEventsRequestEntry {
  /** Epoch seconds (as on the wire) or a Date. */
  readonly Time?: number | Date;
  readonly Source?: string;
  readonly Resources?: readonly string[];
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly TraceHeader?: string;
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
