import type { LocalRequest, LocalResponse, LocalService } from "../http/local-endpoint";
import {
  AwsQueryError,
  escapeXml,
  pathOf,
  queryActionOf,
  queryErrorResponse,
  queryXmlResponse,
  readQueryParameters,
} from "../http/aws-query-protocol";
import {
  AwsSesV2LocalUnavailableError,
  findAwsSesV2LocalEmail,
  requestAwsSesV2Local,
  restoreAwsSesV2LocalEmails,
  startAwsSesV2Local,
  type UpstreamResponse,
} from "./aws-ses-v2-local-server";
import { randomInt } from "node:crypto";
import { FaultQueue, type FailNextOptions } from "../fault-queue";
import {
  bareAddress,
  queryListValues,
  recipientsOfSendEmailForm,
  recipientsOfSendRawEmailForm,
  recipientsOfV2Request,
} from "./recipient-addresses";
import { parseStoredEmails, type SentEmail } from "./sent-email";
import { SentEmailJournal } from "./sent-email-journal";
import { isMailPageRequest, mailPageUrlOn, serveMailPage } from "./ses-mail-page";
import { SesIdentities } from "./ses-identities";
import { credentialScopeOf, signingServiceOf } from "../http/signing-service";
import { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "../local-account";
import { EmailEventPublisher, type EmailEventSink, type FateRecipients } from "./email-event-publisher";
import {
  asQueryError,
  SesConfigurationSetError,
  SesConfigurationSets,
  type SesEventType,
} from "./ses-configuration-sets";
import { simulatorFateOf, type AcceptedMessage, type EmailFate } from "./ses-email-events";
import { SesSuppressionList, type SuppressionListReason } from "./ses-suppression-list";

const SES_XMLNS = "http://ses.amazonaws.com/doc/2010-12-01/";
/** SES v1 and v2 sign as `ses`; `email` is the endpoint prefix, which some hand-rolled signers use. */
const SES_SIGNING_SERVICES: ReadonlySet<string> = new Set(["ses", "email"]);
/** For unsigned requests only: SES v1 actions, none of which SNS has. */
const SES_V1_ACTIONS: ReadonlySet<string> = new Set([
  "SendEmail",
  "SendRawEmail",
  "SendTemplatedEmail",
  "SendBulkTemplatedEmail",
  "SendCustomVerificationEmail",
  "GetSendQuota",
  "GetSendStatistics",
  "GetAccountSendingEnabled",
  "VerifyEmailIdentity",
  "VerifyEmailAddress",
  "VerifyDomainIdentity",
  "ListIdentities",
  "ListVerifiedEmailAddresses",
  "GetIdentityVerificationAttributes",
  "DeleteIdentity",
  "CreateTemplate",
  "GetTemplate",
  "ListTemplates",
  "DeleteTemplate",
  "UpdateTemplate",
]);
const V2_SEND_PATHS: ReadonlySet<string> = new Set(["/v2/email/outbound-emails", "/v2/email/outbound-bulk-emails"]);
const MESSAGE_ID_IN_ANSWER = /<MessageId>([^<]+)<\/MessageId>|"MessageId"\s*:\s*"([^"]+)"/g;

/** Addresses to refuse, or a test of an address (bare, e.g. `someone@example.com`). */
export type RecipientRule = readonly string[] | ((address: string) => boolean);

export interface LocalSesOptions {
  /** Region named in error messages when a request carries no credential scope. Default `ap-southeast-1`. */
  readonly region?: string;
  /**
   * Where sent emails are kept between runs (JSON Lines, e.g. `<data>/ses/sent-emails.jsonl`):
   * those of earlier runs are listed again, on the mail page too. Absent: kept in memory only.
   */
  readonly sentEmailsFile?: string;
  /**
   * Where the account-level suppression list and the account's suppression settings are kept between runs (JSON,
   * e.g. `<data>/ses/suppression-list.json`). Absent: kept in memory only.
   */
  readonly suppressionListFile?: string;
  /** Hears about unreadable lines of `sentEmailsFile` and failed writes to it. Default: console.warn. */
  readonly warn?: (message: string) => void;
  /** Sender identities (addresses or domains) verified from the start; Verify… requests add more. */
  readonly verifiedIdentities?: readonly string[];
  /** GetAccount answers `ProductionAccessEnabled: false`. Default false (locally any recipient gets mail). */
  readonly sandbox?: boolean;
  /**
   * Where the email events of messages sent with a configuration set go, for each of its EventBridge destinations
   * (`startAwsLocal` puts them on the local default bus). Absent: no email events are published.
   */
  readonly emailEventSink?: EmailEventSink;
  /** The account email events name (`mail.sendingAccountId`, `sourceArn`). Default `000000000000`. */
  readonly account?: string;
  /** The clock email events are stamped with. Default the system clock. */
  readonly clock?: () => Date;
}

export interface LocalSes {
  /** Mount this on the shared endpoint. */
  readonly service: LocalService;
  /** aws-ses-v2-local's own URL on a private loopback port; its web UI is at `/`. */
  readonly privateUrl: string;
  /** The web UI through the shared endpoint, e.g. `mailPageUrl("http://127.0.0.1:4566")` → `http://127.0.0.1:4566/_local/ses/`. */
  mailPageUrl(endpointUrl: string): string;
  /** Emails sent through this instance, oldest first, read from aws-ses-v2-local's `GET /store`. */
  listSentEmails(): Promise<SentEmail[]>;
  /**
   * From now on, a send with any recipient matching `rule` answers 400 `MessageRejected` (the SES
   * sandbox answer for an unverified address) and is not stored. Replaces the previous rule; `[]` clears it.
   */
  rejectRecipients(rule: RecipientRule): void;
  /** The next `count` SES API requests answer `code` (status from the code unless given). See {@link FaultQueue}. */
  failNext(count: number, code: string, options?: FailNextOptions): void;
  /** Verified identities and the sandbox flag, as GetIdentityVerificationAttributes and GetAccount answer them. */
  readonly identities: SesIdentities;
  /** Configuration sets and their event destinations (SES v1 and v2 APIs manage the same ones). */
  readonly configurationSets: SesConfigurationSets;
  /**
   * The account-level suppression list (SESv2 `/v2/email/suppression/addresses`): a send to a listed address is
   * accepted and not delivered, and reported as a `Permanent`/`OnAccountSuppressionList` bounce.
   */
  readonly suppressionList: SesSuppressionList;
  /**
   * From now on, emails to `recipients` end with `fate` in their email events (bounced, complained, delayed, ...);
   * the latest matching plan wins. Without a plan the mailbox simulator's addresses behave as on SES and every
   * other address is delivered.
   */
  planEmailFate(recipients: FateRecipients, fate: EmailFate): void;
  /** Loses the next `count` email events of `types` (every type when absent), as a best-effort delivery can. */
  dropNextEmailEvents(count: number, types?: readonly SesEventType[]): void;
  /** Resolves when the email events of every message sent so far have been handed to their buses. */
  emailEventsSettled(): Promise<void>;
  /** Email events published and lost to planned drops since start. */
  emailEventStatistics(): { readonly published: number; readonly dropped: number };
  /** Drops the recipient rule, planned failures, planned email fates and event drops. */
  clearFaults(): void;
  close(): Promise<void>;
}

/**
 * SES for the shared local endpoint: aws-ses-v2-local runs on a private loopback port and this
 * service proxies SES v1 (form `POST /`) and v2 (`/v2/email/...`) to it, routed by the SigV4
 * signing service `ses`. It also covers for aws-ses-v2-local's gaps: v1 errors come back as Query
 * XML (it answers JSON, which the SDK cannot parse), v1 actions it lacks answer `InvalidAction`
 * (it never answers them), v1 SendEmail keeps every recipient (it keeps only the first of each
 * list), and recipients can be refused on demand.
 */
export async function startLocalSes(options: LocalSesOptions = {}): Promise<LocalSes> {
  const upstream = await startAwsSesV2Local();
  const defaultRegion = options.region ?? DEFAULT_LOCAL_REGION;
  const faults = new FaultQueue();
  // aws-ses-v2-local's store is shared by every instance in the process; this one lists only its own.
  const messageIds = new Set<string>();
  const warn = options.warn ?? ((message: string) => console.warn(`[local] ${message}`));
  const journal = options.sentEmailsFile ? new SentEmailJournal(options.sentEmailsFile, warn) : undefined;
  if (journal) {
    const earlier = journal.load();
    restoreAwsSesV2LocalEmails(earlier);
    for (const email of earlier) messageIds.add(email.messageId);
  }
  const keep = (messageId: string) => {
    const email = findAwsSesV2LocalEmail(messageId);
    if (!journal || !email) return;
    try {
      journal.record(email);
    } catch (error) {
      // The email is sent; failing the request now would make the caller send it again.
      warn(
        `Could not keep sent email ${messageId} in ${journal.path}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  let rejects: (address: string) => boolean = () => false;
  const identities = new SesIdentities({
    ...(options.verifiedIdentities ? { verifiedIdentities: options.verifiedIdentities } : {}),
    ...(options.sandbox !== undefined ? { sandbox: options.sandbox } : {}),
  });

  const configurationSets = new SesConfigurationSets();
  const clock = options.clock ?? (() => new Date());
  const suppressionList = new SesSuppressionList({
    clock,
    ...(options.suppressionListFile ? { file: options.suppressionListFile } : {}),
  });
  // The reasons in force for an email: its configuration set's own, else the account's.
  const suppressedReasonsFor = (configurationSetName: string | undefined): readonly SuppressionListReason[] =>
    (configurationSetName === undefined ? undefined : configurationSets.suppressionOptionsOf(configurationSetName)) ??
    suppressionList.accountSuppressedReasons();
  const emailEvents = new EmailEventPublisher(
    configurationSets,
    options.emailEventSink,
    () => ({ region: defaultRegion, account: options.account ?? LOCAL_ACCOUNT, now: clock() }),
    (feedback) =>
      // The mailbox simulator's addresses are never listed (https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator).
      simulatorFateOf(feedback.recipient) === undefined &&
      suppressionList.addAfterFeedback(
        feedback.recipient,
        feedback.reason,
        suppressedReasonsFor(feedback.configurationSetName),
        { MessageId: feedback.messageId, FeedbackId: feedback.feedbackId },
      ),
  );
  const context: SesContext = {
    upstreamUrl: upstream.url,
    identities,
    configurationSets,
    suppressionList,
    suppressedAmong: (recipients, configurationSetName) => {
      const reasons = suppressedReasonsFor(configurationSetName);
      return [
        ...new Set(
          recipients
            .filter(
              (recipient) =>
                suppressionList.suppressing(recipient, reasons) !== undefined ||
                emailEvents.fateOf(recipient) === "suppressed",
            )
            .map((recipient) => bareAddress(recipient).toLowerCase()),
        ),
      ];
    },
    accepted: (message) => emailEvents.publish({ ...message, timestamp: clock() }),
    faults,
    rejectedAmong: (recipients) => recipients.filter((address) => rejects(address)),
    regionOf: (request) => credentialScopeOf(request)?.region ?? defaultRegion,
    remember: (answer) => {
      for (const match of answer.toString("utf8").matchAll(MESSAGE_ID_IN_ANSWER)) {
        const messageId = (match[1] ?? match[2])!;
        if (messageIds.has(messageId)) continue;
        messageIds.add(messageId);
        keep(messageId);
      }
    },
  };

  const service: LocalService = {
    name: "SES",
    canHandle: (request) => {
      if (isMailPageRequest(request)) return true;
      const signingService = signingServiceOf(request);
      if (signingService !== undefined) return SES_SIGNING_SERVICES.has(signingService);
      const path = pathOf(request);
      return path.startsWith("/v2/email/") || (path === "/" && SES_V1_ACTIONS.has(queryActionOf(request) ?? ""));
    },
    async handle(request) {
      if (isMailPageRequest(request)) return serveMailPage(request, upstream.url);
      const path = pathOf(request);
      if (path.startsWith("/v2/")) return handleV2(request, context);
      if (path === "/" && (request.method === "POST" || request.method === "GET")) return handleV1(request, context);
      return restJsonError(
        404,
        "UnknownOperationException",
        `Local SES serves form-encoded POST / (SES v1) and /v2/email/... (SES v2), not ${request.method} ${path}`,
      );
    },
  };

  return {
    service,
    privateUrl: upstream.url,
    mailPageUrl: mailPageUrlOn,
    async listSentEmails() {
      const answer = await requestAwsSesV2Local(upstream.url, { method: "GET", url: "/store" });
      if (answer.status !== 200)
        throw new Error(
          `aws-ses-v2-local GET /store answered ${answer.status}: ${answer.body.toString("utf8").slice(0, 200)}`,
        );
      return parseStoredEmails(JSON.parse(answer.body.toString("utf8"))).filter((email) =>
        messageIds.has(email.messageId),
      );
    },
    rejectRecipients(rule) {
      if (typeof rule === "function") {
        rejects = rule;
        return;
      }
      const refused = new Set(rule.map((address) => address.toLowerCase()));
      rejects = (address) => refused.has(address.toLowerCase());
    },
    identities,
    configurationSets,
    suppressionList,
    planEmailFate: (recipients, fate) => emailEvents.planFate(recipients, fate),
    dropNextEmailEvents: (count, types) => emailEvents.dropNext(count, types),
    emailEventsSettled: () => emailEvents.settled(),
    emailEventStatistics: () => emailEvents.statistics(),
    failNext: (count, code, failOptions) => faults.failNext(count, code, failOptions),
    clearFaults() {
      rejects = () => false;
      faults.clear();
      emailEvents.clear();
    },
    close: () => upstream.close(),
  };
}

interface SesContext {
  readonly upstreamUrl: string;
  readonly identities: SesIdentities;
  readonly configurationSets: SesConfigurationSets;
  readonly suppressionList: SesSuppressionList;
  /**
   * The recipients SES skips in an email of `configurationSetName` (bare, lower-case): on the suppression list for a
   * reason in force for it, or the mailbox simulator's suppression-list address, or planned to be suppressed.
   */
  suppressedAmong(recipients: readonly string[], configurationSetName: string | undefined): string[];
  /** Hears about every message SES accepted, to publish its email events and feed the suppression list. */
  accepted(message: Omit<AcceptedMessage, "timestamp">): void;
  readonly faults: FaultQueue;
  rejectedAmong(recipients: readonly string[]): string[];
  regionOf(request: LocalRequest): string;
  remember(answer: Buffer): void;
}

function messageRejected(
  rejected: readonly string[],
  region: string,
): { code: string; status: number; message: string } {
  return {
    code: "MessageRejected",
    status: 400,
    message: `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${rejected.join(", ")}`,
  };
}

// ---------------------------------------------------------------- SES v1 (Query protocol)

async function handleV1(request: LocalRequest, context: SesContext): Promise<LocalResponse> {
  const fault = context.faults.take();
  if (fault) return queryErrorResponse(fault, SES_XMLNS);
  try {
    const parameters = readQueryParameters(request);
    const action = parameters.get("Action");
    if (!action) {
      throw new AwsQueryError(
        "MissingAction",
        400,
        "Action is missing: SES v1 requests are a form-encoded POST / with Action=SendEmail or Action=SendRawEmail",
      );
    }
    if (action === "SendEmail") return await sendEmailV1(request, parameters, context);
    if (action === "SendRawEmail") return await sendRawEmailV1(request, parameters, context);
    const identityAnswer = context.identities.answerV1(action, parameters, SES_XMLNS);
    if (identityAnswer) return identityAnswer;
    const configurationSetAnswer = context.configurationSets.answerV1(action, parameters, SES_XMLNS);
    if (configurationSetAnswer) return configurationSetAnswer;
    throw new AwsQueryError(
      "InvalidAction",
      400,
      `Local SES (aws-ses-v2-local) does not implement ${action}; it serves SendEmail, SendRawEmail, Verify*Identity, GetIdentityVerificationAttributes and GetSendQuota (v1) and /v2/email/... (v2)`,
    );
  } catch (error) {
    if (error instanceof SesConfigurationSetError) return queryErrorResponse(asQueryError(error), SES_XMLNS);
    if (error instanceof AwsQueryError) return queryErrorResponse(error, SES_XMLNS);
    if (error instanceof AwsSesV2LocalUnavailableError)
      return queryErrorResponse({ code: "ServiceUnavailable", status: 503, message: error.message }, SES_XMLNS);
    throw error;
  }
}

/**
 * aws-ses-v2-local's own v1 SendEmail keeps only `member.1` of each address list, so the form is
 * sent on as the equivalent v2 request, which keeps every address.
 */
async function sendEmailV1(
  request: LocalRequest,
  parameters: URLSearchParams,
  context: SesContext,
): Promise<LocalResponse> {
  const source = parameters.get("Source");
  if (!source)
    throw new AwsQueryError(
      "ValidationError",
      400,
      "Source is required: the sender address, e.g. Source=orders@example.com",
    );
  const subject = parameters.get("Message.Subject.Data");
  if (subject === null)
    throw new AwsQueryError("ValidationError", 400, "Message.Subject.Data is required: the subject line");
  const recipients = recipientsOfSendEmailForm(parameters);
  const configurationSetName = parameters.get("ConfigurationSetName");
  if (configurationSetName !== null) context.configurationSets.checkSendable(configurationSetName);
  const rejected = context.rejectedAmong(recipients);
  if (rejected.length > 0) return queryErrorResponse(messageRejected(rejected, context.regionOf(request)), SES_XMLNS);
  const suppressed = context.suppressedAmong(recipients, configurationSetName ?? undefined);

  let messageId = suppressedMessageId();
  if (!allSuppressed(recipients, suppressed)) {
    const answer = await requestAwsSesV2Local(context.upstreamUrl, {
      method: "POST",
      url: "/v2/email/outbound-emails",
      headers: { "content-type": "application/json", authorization: authorizationOf(request) },
      body: JSON.stringify(withoutRecipients(sendEmailFormAsV2(parameters, source, subject), suppressed)),
    });
    if (answer.status !== 200) return queryErrorResponse(queryErrorFromUpstream(answer, "SendEmail"), SES_XMLNS);
    const upstreamId = (JSON.parse(answer.body.toString("utf8")) as { MessageId?: unknown }).MessageId;
    if (typeof upstreamId !== "string")
      throw new Error(
        `aws-ses-v2-local answered SendEmail without a MessageId: ${answer.body.toString("utf8").slice(0, 200)}`,
      );
    messageId = upstreamId;
    context.remember(answer.body);
  }
  context.accepted({
    messageId,
    source,
    destination: recipients,
    subject,
    configurationSetName: configurationSetName ?? undefined,
    suppressed,
    tags: messageTagsOfForm(parameters),
  });
  return queryXmlResponse({
    action: "SendEmail",
    xmlns: SES_XMLNS,
    resultXml: `<MessageId>${escapeXml(messageId)}</MessageId>`,
  });
}

function sendEmailFormAsV2(parameters: URLSearchParams, source: string, subject: string): Record<string, unknown> {
  const charsetData = (prefix: string, data: string) => {
    const charset = parameters.get(`${prefix}.Charset`);
    return charset === null ? { Data: data } : { Data: data, Charset: charset };
  };
  const html = parameters.get("Message.Body.Html.Data");
  const text = parameters.get("Message.Body.Text.Data");
  const configurationSet = parameters.get("ConfigurationSetName");
  const tags = messageTagsOfForm(parameters);
  return {
    FromEmailAddress: source,
    Destination: {
      ToAddresses: queryListValues(parameters, "Destination.ToAddresses.member."),
      CcAddresses: queryListValues(parameters, "Destination.CcAddresses.member."),
      BccAddresses: queryListValues(parameters, "Destination.BccAddresses.member."),
    },
    ReplyToAddresses: queryListValues(parameters, "ReplyToAddresses.member."),
    ...(configurationSet === null ? {} : { ConfigurationSetName: configurationSet }),
    ...(tags.length === 0 ? {} : { EmailTags: tags }),
    Content: {
      Simple: {
        Subject: charsetData("Message.Subject", subject),
        Body: {
          ...(html === null ? {} : { Html: charsetData("Message.Body.Html", html) }),
          ...(text === null ? {} : { Text: charsetData("Message.Body.Text", text) }),
        },
      },
    },
  };
}

/** The message tags of a v1 send form (`Tags.member.N.Name` / `.Value`), in order. */
function messageTagsOfForm(parameters: URLSearchParams): { Name: string; Value: string }[] {
  const tags: { Name: string; Value: string }[] = [];
  for (let index = 1; parameters.has(`Tags.member.${index}.Name`); index += 1)
    tags.push({
      Name: parameters.get(`Tags.member.${index}.Name`) ?? "",
      Value: parameters.get(`Tags.member.${index}.Value`) ?? "",
    });
  return tags;
}

async function sendRawEmailV1(
  request: LocalRequest,
  parameters: URLSearchParams,
  context: SesContext,
): Promise<LocalResponse> {
  if (!parameters.get("RawMessage.Data")) {
    throw new AwsQueryError(
      "ValidationError",
      400,
      "RawMessage.Data is required: the whole MIME message, base64-encoded",
    );
  }
  const recipients = recipientsOfSendRawEmailForm(parameters);
  const configurationSetName = parameters.get("ConfigurationSetName");
  if (configurationSetName !== null) context.configurationSets.checkSendable(configurationSetName);
  const rejected = context.rejectedAmong(recipients);
  if (rejected.length > 0) return queryErrorResponse(messageRejected(rejected, context.regionOf(request)), SES_XMLNS);
  const suppressed = context.suppressedAmong(recipients, configurationSetName ?? undefined);
  // A raw message goes on whole unless every recipient is suppressed: its MIME headers are not rewritten.
  let answer: LocalResponse | undefined;
  let messageId: string | undefined = suppressedMessageId();
  if (!allSuppressed(recipients, suppressed)) {
    const upstreamAnswer = await requestAwsSesV2Local(context.upstreamUrl, {
      method: "POST",
      url: "/",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: authorizationOf(request) },
      body: parameters.toString(),
    });
    if (upstreamAnswer.status !== 200)
      return queryErrorResponse(queryErrorFromUpstream(upstreamAnswer, "SendRawEmail"), SES_XMLNS);
    context.remember(upstreamAnswer.body);
    messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(upstreamAnswer.body.toString("utf8"))?.[1];
    answer = { status: 200, headers: { "content-type": "text/xml" }, body: upstreamAnswer.body };
  }
  if (messageId !== undefined) {
    const mime = Buffer.from(parameters.get("RawMessage.Data") ?? "", "base64").toString("utf8");
    const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(mime)?.[1]?.trim();
    context.accepted({
      messageId,
      source: parameters.get("Source") ?? header("From") ?? "",
      destination: recipients,
      subject: header("Subject"),
      configurationSetName: configurationSetName ?? undefined,
      suppressed,
      tags: messageTagsOfForm(parameters),
    });
  }
  return (
    answer ??
    queryXmlResponse({
      action: "SendRawEmail",
      xmlns: SES_XMLNS,
      resultXml: `<MessageId>${escapeXml(messageId!)}</MessageId>`,
    })
  );
}

/** aws-ses-v2-local answers errors as JSON `{ message, detail }`; the v1 SDK only reads Query XML. */
function queryErrorFromUpstream(
  answer: UpstreamResponse,
  action: string,
): { code: string; status: number; message: string } {
  const { message } = upstreamErrorDetails(answer, `aws-ses-v2-local answered ${answer.status} to ${action}`);
  const code =
    answer.status === 403
      ? "MissingAuthenticationToken"
      : answer.status >= 500
        ? "InternalFailure"
        : "InvalidParameterValue";
  return { code, status: answer.status >= 400 ? answer.status : 500, message };
}

// ---------------------------------------------------------------- SES v2 (REST JSON)

async function handleV2(request: LocalRequest, context: SesContext): Promise<LocalResponse> {
  try {
    return await forwardV2(request, context);
  } catch (error) {
    if (error instanceof SesConfigurationSetError) return restJsonError(error.status, error.v2Type, error.message);
    if (error instanceof AwsSesV2LocalUnavailableError) return restJsonError(503, "ServiceUnavailable", error.message);
    throw error;
  }
}

async function forwardV2(request: LocalRequest, context: SesContext): Promise<LocalResponse> {
  const fault = context.faults.take();
  if (fault) return restJsonError(fault.status, fault.code, fault.message);
  const path = pathOf(request);
  // aws-ses-v2-local has no account; this answers as SES does (see SesIdentities), with the suppression settings.
  if (request.method === "GET" && path === "/v2/email/account")
    return context.identities.accountAnswer({
      SuppressedReasons: context.suppressionList.accountSuppressedReasons(),
    });
  let body: unknown;
  if (request.body.length > 0) {
    try {
      body = JSON.parse(request.body.toString("utf8"));
    } catch (error) {
      return restJsonError(
        400,
        "BadRequestException",
        `The body of ${request.method} ${path} must be JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const configurationSetAnswer = context.configurationSets.answerV2(request.method, path, body);
  if (configurationSetAnswer) return configurationSetAnswer;
  const suppressionAnswer = context.suppressionList.answerV2(
    request.method,
    path,
    new URLSearchParams(request.url.slice(path.length + 1)),
    body,
  );
  if (suppressionAnswer) return suppressionAnswer;
  const send = request.method === "POST" && path === "/v2/email/outbound-emails" ? v2SendOf(body) : undefined;
  if (send?.configurationSetName !== undefined) context.configurationSets.checkSendable(send.configurationSetName);
  if (request.method === "POST" && V2_SEND_PATHS.has(path)) {
    const rejected = context.rejectedAmong(recipientsOfV2Request(body));
    if (rejected.length > 0) {
      const error = messageRejected(rejected, context.regionOf(request));
      return restJsonError(error.status, error.code, error.message);
    }
  }
  const suppressed = send ? context.suppressedAmong(send.destination, send.configurationSetName) : [];
  if (send && allSuppressed(send.destination, suppressed)) {
    const messageId = suppressedMessageId();
    context.accepted({ ...send, messageId, suppressed });
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ MessageId: messageId }),
    };
  }
  const answer = await requestAwsSesV2Local(context.upstreamUrl, {
    method: request.method,
    url: request.url,
    headers: { "content-type": "application/json", authorization: authorizationOf(request) },
    ...(suppressed.length > 0
      ? { body: JSON.stringify(withoutRecipients(body, suppressed)) }
      : request.body.length > 0
        ? { body: request.body }
        : {}),
  });
  if (answer.status >= 400) {
    const fallbackType =
      answer.status === 404
        ? "NotFoundException"
        : answer.status === 403
          ? "AccessDeniedException"
          : answer.status >= 500
            ? "InternalFailure"
            : "BadRequestException";
    const details = upstreamErrorDetails(answer, `aws-ses-v2-local does not implement ${request.method} ${path}`);
    const type =
      details.type ??
      (answer.body.toString("utf8").includes("UnknownOperationException") ? "UnknownOperationException" : fallbackType);
    return restJsonError(answer.status, type, details.message);
  }
  if (V2_SEND_PATHS.has(path)) context.remember(answer.body);
  if (send) {
    const messageId = (JSON.parse(answer.body.toString("utf8")) as { MessageId?: unknown }).MessageId;
    if (typeof messageId === "string") context.accepted({ ...send, messageId, suppressed });
  }
  return { status: answer.status, headers: { "content-type": answer.contentType }, body: answer.body };
}

/** What a SESv2 SendEmail body says about the message, for its email events. */
function v2SendOf(body: unknown): Omit<AcceptedMessage, "timestamp" | "messageId"> {
  const fields = (typeof body === "object" && body !== null ? body : {}) as {
    FromEmailAddress?: unknown;
    ConfigurationSetName?: unknown;
    EmailTags?: unknown;
    Content?: { Simple?: { Subject?: { Data?: unknown } } };
  };
  const subject = fields.Content?.Simple?.Subject?.Data;
  const tags = Array.isArray(fields.EmailTags)
    ? (fields.EmailTags as { Name?: unknown; Value?: unknown }[]).map((tag) => ({
        Name: String(tag.Name ?? ""),
        Value: String(tag.Value ?? ""),
      }))
    : [];
  return {
    source: typeof fields.FromEmailAddress === "string" ? fields.FromEmailAddress : "",
    destination: recipientsOfV2Request(body),
    subject: typeof subject === "string" ? subject : undefined,
    configurationSetName: typeof fields.ConfigurationSetName === "string" ? fields.ConfigurationSetName : undefined,
    tags,
  };
}

/** Whether SES delivers the email to nobody: every recipient is suppressed (an email without any is not). */
function allSuppressed(recipients: readonly string[], suppressed: readonly string[]): boolean {
  return (
    recipients.length > 0 && recipients.every((recipient) => suppressed.includes(bareAddress(recipient).toLowerCase()))
  );
}

/** The id of an email SES accepted and sent to nobody; in aws-ses-v2-local's form, though it never stores it. */
function suppressedMessageId(): string {
  return `ses-${randomInt(100_000_000, 1_000_000_000)}`;
}

/** A SESv2 SendEmail body whose Destination lists leave out `suppressed` (bare, lower-case) addresses. */
function withoutRecipients(body: unknown, suppressed: readonly string[]): unknown {
  if (suppressed.length === 0 || typeof body !== "object" || body === null) return body;
  const fields = body as { Destination?: Record<string, unknown> };
  if (typeof fields.Destination !== "object" || fields.Destination === null) return body;
  const destination = Object.fromEntries(
    Object.entries(fields.Destination).map(([list, addresses]) => [
      list,
      Array.isArray(addresses)
        ? addresses.filter(
            (address) => typeof address !== "string" || !suppressed.includes(bareAddress(address).toLowerCase()),
          )
        : addresses,
    ]),
  );
  return { ...fields, Destination: destination };
}

/** A REST JSON error as the SDK reads it: the type in `x-amzn-errortype`, the text in `message`. */
function restJsonError(status: number, type: string, message: string): LocalResponse {
  return {
    status,
    headers: { "content-type": "application/json", "x-amzn-errortype": type },
    body: JSON.stringify({ message }),
  };
}

// ---------------------------------------------------------------- shared

/** aws-ses-v2-local only checks that some `AWS...` Authorization is present; forward the caller's. */
function authorizationOf(request: LocalRequest): string {
  const authorization = request.headers.authorization;
  return typeof authorization === "string" ? authorization : "";
}

function upstreamErrorDetails(answer: UpstreamResponse, fallback: string): { type?: string; message: string } {
  try {
    const parsed = JSON.parse(answer.body.toString("utf8")) as { type?: unknown; message?: unknown; detail?: unknown };
    const message =
      typeof parsed.detail === "string"
        ? parsed.detail
        : typeof parsed.message === "string"
          ? parsed.message
          : fallback;
    return typeof parsed.type === "string" ? { type: parsed.type, message } : { message };
  } catch {
    return { message: fallback };
  }
}
