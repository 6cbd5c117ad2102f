/** One planned failure: the wire error code and HTTP status to answer instead of serving the request. */
export interface InjectedFault {
  readonly code: string;
  readonly status: number;
  readonly message: string;
}

export interface FailNextOptions {
  /** Overrides the status chosen from the code (see {@link defaultStatusForErrorCode}). */
  readonly status?: number;
  readonly message?: string;
}

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  Throttling: 400,
  ThrottlingException: 400,
  Throttled: 429,
  TooManyRequestsException: 429,
  ServiceUnavailable: 503,
  ServiceUnavailableException: 503,
  InternalFailure: 500,
  InternalError: 500,
};

/**
 * The HTTP status AWS answers with an error code: 400 `Throttling` (SES), 429 `Throttled` (SNS),
 * 503 `ServiceUnavailable`, 500 `InternalFailure`/`InternalError`; 400 for anything else.
 */
export function defaultStatusForErrorCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 400;
}

/**
 * Failures planned for the next API requests, in order. Counts HTTP requests, not SDK calls: the
 * SDK retries throttling and 5xx answers on its own (3 attempts by default), so `failNext(1, ...)`
 * is invisible to a default client and `failNext(3, ...)` exhausts it.
 */
export class FaultQueue {
  private readonly planned: InjectedFault[] = [];

  /** Appends `count` failures answering `code` after any already planned. */
  failNext(count: number, code: string, options: FailNextOptions = {}): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number >= 0, got ${count}`);
    if (code.trim() === "")
      throw new RangeError("code must name an AWS error code such as Throttling, got an empty string");
    const status = options.status ?? defaultStatusForErrorCode(code);
    if (!Number.isInteger(status) || status < 400 || status > 599)
      throw new RangeError(`status must be 400-599, got ${status}`);
    const fault: InjectedFault = {
      code,
      status,
      message: options.message ?? `Injected fault: ${code} (local failNext)`,
    };
    for (let index = 0; index < count; index += 1) this.planned.push(fault);
  }

  /** The next planned failure, consumed; undefined when none is left. */
  take(): InjectedFault | undefined {
    return this.planned.shift();
  }

  get pending(): number {
    return this.planned.length;
  }

  clear(): void {
    this.planned.length = 0;
  }
}
