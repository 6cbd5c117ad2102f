import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { LocalResponse } from "../http/local-endpoint";
import { readJsonFile, writeJsonFileAtomically } from "../json-files";
import { bareAddress } from "./recipient-addresses";
import { SesConfigurationSetError } from "./ses-api-error";

/** Why an address is on the suppression list (SESv2 `SuppressionListReason`). */
export const SUPPRESSION_LIST_REASONS = ["BOUNCE", "COMPLAINT"] as const;
export type SuppressionListReason = (typeof SUPPRESSION_LIST_REASONS)[number];

/** One address on the account-level suppression list, as `GetSuppressedDestination` answers it. */
export interface SuppressedDestination {
  readonly EmailAddress: string;
  readonly Reason: SuppressionListReason;
  readonly LastUpdateTime: Date;
  /** The email whose bounce or complaint put it there; absent for an address added by `PutSuppressedDestination`. */
  readonly Attributes?: { readonly MessageId: string; readonly FeedbackId: string };
}

export interface SesSuppressionListOptions {
  /** Where the list and the account's settings are kept between runs (JSON). Absent: in memory only. */
  readonly file?: string;
  readonly clock: () => Date;
}

interface StoredList {
  readonly SuppressedReasons: SuppressionListReason[];
  readonly destinations: (Omit<SuppressedDestination, "LastUpdateTime"> & { readonly LastUpdateTime: string })[];
}

const ADDRESS_PATH = /^\/v2\/email\/suppression\/addresses(?:\/([^/]+))?$/;
const ACCOUNT_SUPPRESSION_PATH = "/v2/email/account/suppression";
const DEFAULT_PAGE_SIZE = 1000;

/**
 * The account-level suppression list of local SES and the account's suppression settings, served with the SESv2 API
 * (`PutSuppressedDestination`, `GetSuppressedDestination`, `DeleteSuppressedDestination`,
 * `ListSuppressedDestinations`, `PutAccountSuppressionAttributes`; `GetAccount` shows the settings). As on an account
 * created after 25 November 2019, hard bounces and complaints add addresses from the start
 * (https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html). Addresses match without regard to
 * case; each stays until it is deleted.
 */
export class SesSuppressionList {
  private accountReasons: SuppressionListReason[] = [...SUPPRESSION_LIST_REASONS];
  private readonly destinations = new Map<string, SuppressedDestination>();

  constructor(private readonly options: SesSuppressionListOptions) {
    if (!options.file) return;
    mkdirSync(dirname(options.file), { recursive: true });
    const stored = readJsonFile(options.file) as StoredList | undefined;
    if (!stored) return;
    this.accountReasons = stored.SuppressedReasons.filter(isReason);
    for (const destination of stored.destinations)
      this.destinations.set(keyOf(destination.EmailAddress), {
        ...destination,
        LastUpdateTime: new Date(destination.LastUpdateTime),
      });
  }

  /** The reasons that add an address when the email was sent without a configuration set overriding them. */
  accountSuppressedReasons(): readonly SuppressionListReason[] {
    return this.accountReasons;
  }

  setAccountSuppressedReasons(reasons: readonly SuppressionListReason[]): void {
    this.accountReasons = [...new Set(reasons)];
    this.save();
  }

  /** Adds `address` for `reason`, or updates its reason and time when it is listed already. */
  put(address: string, reason: SuppressionListReason, attributes?: SuppressedDestination["Attributes"]): void {
    this.destinations.set(keyOf(address), {
      EmailAddress: bareAddress(address),
      Reason: reason,
      LastUpdateTime: this.options.clock(),
      ...(attributes ? { Attributes: attributes } : {}),
    });
    this.save();
  }

  find(address: string): SuppressedDestination | undefined {
    return this.destinations.get(keyOf(address));
  }

  /** Removes `address`; false when it was not listed. */
  delete(address: string): boolean {
    const removed = this.destinations.delete(keyOf(address));
    if (removed) this.save();
    return removed;
  }

  /** Every listed address, oldest update first. */
  list(): SuppressedDestination[] {
    return [...this.destinations.values()].sort((a, b) => a.LastUpdateTime.getTime() - b.LastUpdateTime.getTime());
  }

  /**
   * The listing of `address` that makes SES skip it in an email sent under `reasons` (the configuration set's, else
   * the account's): it is listed for one of them. Undefined when the email goes to it.
   */
  suppressing(address: string, reasons: readonly SuppressionListReason[]): SuppressedDestination | undefined {
    const listed = this.find(address);
    return listed && reasons.includes(listed.Reason) ? listed : undefined;
  }

  /**
   * What SES does after an email to `address` hard-bounced or drew a complaint: lists it for `reason` when `reasons`
   * (those in force for the email) include it and it is not listed already. True when it was added.
   */
  addAfterFeedback(
    address: string,
    reason: SuppressionListReason,
    reasons: readonly SuppressionListReason[],
    attributes: NonNullable<SuppressedDestination["Attributes"]>,
  ): boolean {
    if (!reasons.includes(reason) || this.find(address)) return false;
    this.put(address, reason, attributes);
    return true;
  }

  /** Answers the SESv2 suppression-list and account-suppression requests; undefined for any other path. */
  answerV2(method: string, path: string, query: URLSearchParams, body: unknown): LocalResponse | undefined {
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (path === ACCOUNT_SUPPRESSION_PATH && method === "PUT") {
      this.setAccountSuppressedReasons(reasonsOf(fields.SuppressedReasons, "SuppressedReasons"));
      return jsonAnswer({});
    }
    const match = ADDRESS_PATH.exec(path);
    if (!match) return undefined;
    if (match[1] === undefined) {
      if (method === "PUT") {
        const address = addressOf(fields.EmailAddress);
        const [reason] = reasonsOf([fields.Reason], "Reason");
        this.put(address, reason!);
        return jsonAnswer({});
      }
      if (method === "GET") return jsonAnswer(this.listAnswer(query));
    } else {
      const address = addressOf(decodeURIComponent(match[1]));
      if (method === "GET") {
        const listed = this.find(address);
        if (!listed) throw notListed(address);
        return jsonAnswer({ SuppressedDestination: wireOf(listed) });
      }
      if (method === "DELETE") {
        if (!this.delete(address)) throw notListed(address);
        return jsonAnswer({});
      }
    }
    return undefined;
  }

  private listAnswer(query: URLSearchParams): Record<string, unknown> {
    const reasons = query.getAll("Reason");
    const wanted = reasons.length === 0 ? SUPPRESSION_LIST_REASONS : reasonsOf(reasons, "Reason");
    const start = dateOf(query.get("StartDate"), "StartDate");
    const end = dateOf(query.get("EndDate"), "EndDate");
    const pageSize = Number(query.get("PageSize") ?? DEFAULT_PAGE_SIZE);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)
      throw badRequest(`PageSize must be a whole number from 1 to 1000, got ${query.get("PageSize")}.`);
    const offset = Number(query.get("NextToken") ?? 0);
    if (!Number.isInteger(offset) || offset < 0)
      throw badRequest("NextToken is not one this service handed out: pass the NextToken of the previous answer.");
    const matching = this.list().filter(
      (listed) =>
        wanted.includes(listed.Reason) &&
        (!start || listed.LastUpdateTime >= start) &&
        (!end || listed.LastUpdateTime <= end),
    );
    const page = matching.slice(offset, offset + pageSize);
    return {
      SuppressedDestinationSummaries: page.map(({ EmailAddress, Reason, LastUpdateTime }) => ({
        EmailAddress,
        Reason,
        LastUpdateTime: epochSeconds(LastUpdateTime),
      })),
      ...(offset + pageSize < matching.length ? { NextToken: String(offset + pageSize) } : {}),
    };
  }

  private save(): void {
    if (!this.options.file) return;
    const stored: StoredList = {
      SuppressedReasons: this.accountReasons,
      destinations: this.list().map((listed) => ({ ...listed, LastUpdateTime: listed.LastUpdateTime.toISOString() })),
    };
    writeJsonFileAtomically(this.options.file, stored);
  }
}

/** Reads a `SuppressedReasons` list (an empty one is valid: nothing is added automatically). */
export function reasonsOf(value: unknown, field: string): SuppressionListReason[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw badRequest(`${field} must be a list of BOUNCE and COMPLAINT.`);
  for (const reason of value)
    if (!isReason(reason))
      throw badRequest(
        `${field} has ${JSON.stringify(reason)}; the reasons are ${SUPPRESSION_LIST_REASONS.join(", ")}.`,
      );
  return value as SuppressionListReason[];
}

function isReason(value: unknown): value is SuppressionListReason {
  return SUPPRESSION_LIST_REASONS.includes(value as SuppressionListReason);
}

function keyOf(address: string): string {
  return bareAddress(address).toLowerCase();
}

function addressOf(value: unknown): string {
  if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+$/.test(value))
    throw badRequest(
      `EmailAddress must be an email address such as someone@example.com, got ${JSON.stringify(value)}.`,
    );
  return value;
}

function dateOf(value: string | null, field: string): Date | undefined {
  if (value === null) return undefined;
  const date = /^\d+(\.\d+)?$/.test(value) ? new Date(Number(value) * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) throw badRequest(`${field} must be a date and time, got ${value}.`);
  return date;
}

/** REST JSON timestamps are epoch seconds. */
function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function wireOf(listed: SuppressedDestination): Record<string, unknown> {
  return { ...listed, LastUpdateTime: epochSeconds(listed.LastUpdateTime) };
}

function notListed(address: string): SesConfigurationSetError {
  return new SesConfigurationSetError(
    "NotFoundException",
    "NotFoundException",
    404,
    `Email address ${address} does not exist on your suppression list.`,
  );
}

function badRequest(message: string): SesConfigurationSetError {
  return new SesConfigurationSetError("InvalidParameterValue", "BadRequestException", 400, message);
}

function jsonAnswer(value: unknown): LocalResponse {
  return { status: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(value) };
}
