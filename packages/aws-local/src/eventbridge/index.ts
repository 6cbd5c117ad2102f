export {
  LocalEventBridge,
  DEFAULT_ACCOUNT,
  DEFAULT_REGION,
  type DeadLetterSelection,
  type EventBridgeLogger,
  type EventBridgeStatistics,
  type LocalEventBridgeOptions,
} from "./local-event-bridge";
export { DEFAULT_EVENT_BUS_NAME } from "./eventbridge-arns";
export { MAX_TARGETS_PER_RULE } from "./event-bus-registry";
export { MAX_TARGETS_PER_REQUEST } from "./request-validation";
export type { PutEventsFaultHook, ServiceEvent } from "./event-intake";
export { PendingWork } from "./pending-work";
export type { EventBridgeConfiguration, EventBusConfiguration, RuleConfiguration } from "./eventbridge-configuration";
export { createEventBridgeService, EVENTBRIDGE_TARGET_PREFIX, SUPPORTED_OPERATIONS } from "./eventbridge-api";
export {
  DeadLetterStore,
  type DeadLetter,
  type DeadLetterFilter,
  type DeadLetterListener,
  type ExhaustedRetryCondition,
} from "./dead-letter-store";
export {
  DEFAULT_REDRIVE_CONCURRENCY,
  type RedeliveryOptions,
  type RedriveOptions,
  type RedriveReport,
  type RedriveResult,
  type RedriveStatus,
} from "./dead-letter-redrive";
export { MAX_ARCHIVE_NAME_LENGTH, type ArchiveDefinition, type ArchivedEvent } from "./archive-store";
export {
  DEFAULT_REPLAY_BATCH_SIZE,
  MAX_ACTIVE_REPLAYS,
  MAX_REPLAY_NAME_LENGTH,
  REPLAY_WINDOW_MS,
  type ReplayDefinition,
  type ReplayProgress,
  type ReplayProgressListener,
} from "./replay-runner";
export { DATA_FILES } from "./data-directory";
export { DataFileError } from "../json-files";
export type { AcceptedEvent, AcceptedEventListener } from "./event-journal";
export {
  buildEventEnvelope,
  formatEventTime,
  withReplayName,
  type EventEnvelope,
  type EventEnvelopeFields,
} from "./event-envelope";
export {
  DEFAULT_DELIVERY_ERROR_CODE,
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  describeErrorInFull,
  describeFailedAttempt,
  TargetInvocationError,
  type DeliveryAttemptRecord,
  type DeliveryJob,
  type DeliveryObserver,
  type DeliveryOutcome,
  type DeliveryStatistics,
  type TargetInvocationContext,
  type TargetInvoker,
  type TargetReference,
} from "./target-delivery";
export {
  computeEntrySize,
  LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES,
  MAX_DETAIL_TYPE_LENGTH,
  MAX_PUT_EVENTS_ENTRIES,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
} from "./put-events-request";
export { renderTargetInput, renderInputTemplate, type TargetInputContext } from "./target-input";
export {
  EventBridgeError,
  EventBridgeIllegalStatusError,
  EventBridgeLimitExceededError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeSerializationError,
  EventBridgeUnknownOperationError,
  EventBridgeValidationError,
  type EventBridgeErrorCode,
} from "./errors";
export type * from "./eventbridge-shapes";
