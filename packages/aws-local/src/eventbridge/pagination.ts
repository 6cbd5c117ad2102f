import { ConstraintViolations, EventBridgeValidationError } from "./errors";

export const DEFAULT_PAGE_SIZE = 100;

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * One page of `items` for the List* operations: `Limit` 1..100 (default 100), `NextToken` an opaque token from an
 * earlier page of the same listing.
 */
export function paginate<T>(
  items: readonly T[],
  request: { readonly NextToken?: string; readonly Limit?: number },
): Page<T> {
  const violations = new ConstraintViolations();
  const limit = request.Limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    violations.add(String(limit), "limit", "Member must have value greater than or equal to 1");
  if (limit > 100) violations.add(String(limit), "limit", "Member must have value less than or equal to 100");
  violations.throwIfAny();
  const start = request.NextToken === undefined ? 0 : decodeToken(request.NextToken);
  const end = start + limit;
  return {
    items: items.slice(start, end),
    ...(end < items.length ? { nextToken: encodeToken(end) } : {}),
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), "utf8").toString("base64url");
}

function decodeToken(token: string): number {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const offset =
      typeof decoded === "object" && decoded !== null ? (decoded as { offset?: unknown }).offset : undefined;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw new EventBridgeValidationError(
    `The NextToken ${JSON.stringify(token)} is not valid; pass the NextToken of an earlier page unchanged.`,
  );
}
