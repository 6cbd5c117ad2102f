export {
  LocalEventBridge,
  DEFAULT_ACCOUNT,
  DEFAULT_EVENT_BUS_NAME,
  DEFAULT_REGION,
  MAX_TARGETS_PER_REQUEST,
  MAX_TARGETS_PER_RULE,
  type EventBridgeConfiguration,
  type EventBridgeLogger,
  type EventBridgeStatistics,
  type EventBusConfiguration,
  type LocalEventBridgeOptions,
  type RuleConfiguration,
} from "./local-event-bridge.ts";
export { createEventBridgeService, EVENTBRIDGE_TARGET_PREFIX, SUPPORTED_OPERATIONS } from "./eventbridge-api.ts";
export { DeadLetterStore, type DeadLetter, type DeadLetterListener, type ExhaustedRetryCondition } from "./dead-letter-store.ts";
export type { AcceptedEvent, AcceptedEventListener } from "./event-journal.ts";
export { buildEventEnvelope, formatEventTime, type EventEnvelope, type EventEnvelopeFields } from "./event-envelope.ts";
export {
  DEFAULT_DELIVERY_ERROR_CODE,
  DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
  DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
  TargetInvocationError,
  type DeliveryOutcome,
  type DeliveryStatistics,
  type TargetInvocationContext,
  type TargetInvoker,
  type TargetReference,
} from "./target-delivery.ts";
export {
  computeEntrySize,
  LEGACY_PUT_EVENTS_SIZE_LIMIT_BYTES,
  MAX_DETAIL_TYPE_LENGTH,
  MAX_PUT_EVENTS_ENTRIES,
  PUT_EVENTS_SIZE_LIMIT_BYTES,
} from "./put-events-request.ts";
export { renderTargetInput, renderInputTemplate, type TargetInputContext } from "./target-input.ts";
export {
  EventBridgeError,
  EventBridgeLimitExceededError,
  EventBridgeResourceAlreadyExistsError,
  EventBridgeResourceNotFoundError,
  EventBridgeSerializationError,
  EventBridgeUnknownOperationError,
  EventBridgeValidationError,
  type EventBridgeErrorCode,
} from "./errors.ts";
export type * from "./eventbridge-shapes.ts";
