/**
 * Thrown when an event pattern is rejected. `code` is the `__type` AWS answers with
 * (`InvalidEventPatternException`) and `reason` is the text AWS puts after
 * `Event pattern is not valid. Reason: ` (event-ruler's wording where it is known).
 */
export class InvalidEventPatternError extends Error {
  override readonly name = "InvalidEventPatternError";
  readonly code = "InvalidEventPatternException";
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`Event pattern is not valid. Reason: ${reason}`, options);
    this.reason = reason;
  }
}
