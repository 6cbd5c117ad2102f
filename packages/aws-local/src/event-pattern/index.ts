export {
  compileEventPattern,
  testEventPattern,
  MAX_EVENT_PATTERN_LENGTH,
  type CompiledEventPattern,
} from "./compile-event-pattern";
export { InvalidEventPatternError } from "./invalid-event-pattern-error";
export * from "./explain-mismatch";
