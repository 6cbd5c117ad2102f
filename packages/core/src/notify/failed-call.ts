import { mayHaveBeenCarriedOut } from "../aws/aws-error";

/**
 * A call to send or publish that did not succeed. `effect: "none"`: it certainly did nothing (the
 * service answered with an error, or the request never left), so it may be made again.
 * `effect: "unknown"`: no answer came back and it may have gone out, so it must not be repeated.
 */
export interface FailedCall {
  readonly kind: "failed";
  readonly effect: "none" | "unknown";
  /** The error as the client threw it, kept as the cause of whatever reports the failure. */
  readonly error: unknown;
}

/** Classifies an AWS SDK error of a call that may have had an effect (an answered error did nothing). */
export function failedCallOf(error: unknown): FailedCall {
  return { kind: "failed", effect: mayHaveBeenCarriedOut(error) ? "unknown" : "none", error };
}
