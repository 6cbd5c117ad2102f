import { ContractValidationError, type FieldProblem } from "@payment3/events";
import {
  publishWalletPaymentConfirmed,
  type ConfirmationPublisherDependencies,
  type PublishedConfirmation,
} from "../bus/publish-wallet-payment-confirmed";
import type { Logger } from "../logger";

/** What the legacy function answered to every payload it processed, and what its callers may still read. */
export const LEGACY_INVOKE_ANSWER = { statusCode: 200, body: JSON.stringify("success") } as const;

export type LegacyInvokeAnswer = typeof LEGACY_INVOKE_ANSWER;

/**
 * A payload the legacy function's callers sent that no retry can fix: nothing was published.
 * The adapter lets it fail the invocation, so on AWS it lands, payload included, in the
 * function's on-failure queue (the function has no async retries), where an operator sees it
 * and can redrive it once the callback is fixed.
 */
export class LegacyPayloadError extends Error {
  override readonly name = "LegacyPayloadError";
  readonly code = "INVALID_LEGACY_PAYLOAD";
  /** Never worth retrying: the same payload fails the same way. */
  readonly retryable = false;
  readonly problems: readonly FieldProblem[];

  constructor(cause: ContractValidationError) {
    super(
      `the legacy payload was not published: ${cause.problems.map((p) => `${p.field} ${p.message}`).join("; ")}. ` +
        "Fix the calling callback; the payload is kept in the on-failure queue for a redrive",
      { cause },
    );
    this.problems = cause.problems;
  }

  /** The first field named, e.g. `success`. */
  get field(): string {
    return this.problems[0]?.field ?? "";
  }
}

export interface LegacyInvokeDependencies extends ConfirmationPublisherDependencies {
  readonly logger?: Logger;
}

/**
 * The legacy function's invoke contract, kept for the callbacks that still invoke
 * `payment3-process-paid-wallet-order-internal-<stage>` by name: reads the payload as the
 * legacy function did (a JSON string or an object, `order_id` / `payment_id`, `amount`
 * default 0, `channel` default wallet), publishes it as a `WalletPaymentConfirmed` through
 * `publishWalletPaymentConfirmed` (the processor then pays the order, exactly as for a
 * published confirmation) and answers as the legacy function did.
 *
 * An invalid payload throws LegacyPayloadError naming the field; a PutEvents failure that
 * outlasts the publisher's own retries throws its PublishError (retryable: a redrive of the
 * same payload can succeed).
 */
export async function acceptLegacyInvocation(
  payload: unknown,
  deps: LegacyInvokeDependencies,
): Promise<{ answer: LegacyInvokeAnswer; published: PublishedConfirmation }> {
  let published: PublishedConfirmation;
  try {
    published = await publishWalletPaymentConfirmed(payload as Record<string, unknown> | string, deps);
  } catch (error) {
    if (error instanceof ContractValidationError) throw new LegacyPayloadError(error);
    throw error;
  }
  deps.logger?.info("legacy invocation published as WalletPaymentConfirmed", { ...published });
  return { answer: LEGACY_INVOKE_ANSWER, published };
}
