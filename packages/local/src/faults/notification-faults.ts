import type { FaultInjector, FaultSite } from "./fault-injector";
import { unitHash } from "./seeded-random";
import { type LocalService, type LocalSes, type LocalSns, readQueryParameters } from "@payment3/aws-local";

/**
 * SES behind the shared endpoint, with `ses-failure`: when the injector says so, the send is
 * answered through the local SES's own `failNext` (so the error has SES's wire shape) with
 * 503 `ServiceUnavailable`, or 400 `Throttling` for every other fault of a burst. Both are errors the
 * SDK retries and that certainly sent nothing. `ses-answer-lost` lets SES send the email, then drops
 * the connection; `ses-request-lost` drops it before SES sees the request: either way the caller gets
 * no answer. Only sends (POST) are considered; the mail page is not.
 */
export function withSesFaults(ses: LocalSes, faults: FaultInjector | undefined): LocalService {
  const service = ses.service;
  if (!faults) return service;
  let injected = 0;
  return {
    name: service.name,
    canHandle: (request) => service.canHandle(request),
    handle(request) {
      if (request.method === "POST") {
        const parameters = readQueryParameters(request);
        const action = parameters.get("Action") ?? (request.url.startsWith("/v2/email/outbound") ? "SendEmail" : "");
        if (action === "SendEmail" || action === "SendRawEmail") {
          const subject = parameters.get("Message.Subject.Data") ?? "";
          const recipient = parameters.get("Destination.ToAddresses.member.1") ?? "";
          const orderId = /#(\d+)/.exec(subject)?.[1];
          const site: FaultSite = {
            operation: action,
            resource: "ses",
            ...(orderId ? { orderIds: [orderId] } : {}),
            key: `${action}|${unitHash(subject, recipient).toString(36).slice(2)}`,
          };
          // A lost connection leaves the caller without an answer: the email may have gone (FailedCall effect "unknown").
          if (faults.decide("ses-request-lost", site)) return Promise.resolve({ status: 0, dropConnection: true });
          if (faults.decide("ses-answer-lost", site))
            return service.handle(request).then(() => ({ status: 0, dropConnection: true }));
          if (faults.decide("ses-failure", site)) {
            injected += 1;
            if (injected % 2 === 0)
              ses.failNext(1, "Throttling", {
                message: "Injected fault: Maximum sending rate exceeded (local fault injection).",
              });
            else
              ses.failNext(1, "ServiceUnavailable", {
                message: "Injected fault: SES is unavailable (local fault injection).",
              });
          }
        }
      }
      return service.handle(request);
    },
  };
}

/**
 * SNS behind the shared endpoint, with `sns-failure`: a Publish is answered through the local
 * SNS's `failNext` with 500 `InternalError`, or 400 `Throttling` for every other fault.
 */
export function withSnsFaults(sns: LocalSns, faults: FaultInjector | undefined): LocalService {
  const service = sns.service;
  if (!faults) return service;
  let injected = 0;
  return {
    name: service.name,
    canHandle: (request) => service.canHandle(request),
    handle(request) {
      const parameters = readQueryParameters(request);
      if (parameters.get("Action") === "Publish") {
        const message = parameters.get("Message") ?? "";
        const orderId = orderIdInMessage(message);
        const site: FaultSite = {
          operation: "Publish",
          resource: parameters.get("TopicArn") ?? parameters.get("TargetArn") ?? "sns",
          ...(orderId ? { orderIds: [orderId] } : {}),
          key: `Publish|${unitHash(message).toString(36).slice(2)}`,
        };
        if (faults.decide("sns-failure", site)) {
          injected += 1;
          if (injected % 2 === 0)
            sns.failNext(1, "Throttling", { message: "Injected fault: Rate exceeded (local fault injection)." });
          else
            sns.failNext(1, "InternalError", {
              message: "Injected fault: SNS had an internal error (local fault injection).",
            });
        }
      }
      return service.handle(request);
    },
  };
}

function orderIdInMessage(message: string): string | undefined {
  try {
    const parsed = JSON.parse(message) as { orderId?: unknown };
    return typeof parsed.orderId === "string" ? parsed.orderId : undefined;
  } catch {
    return undefined;
  }
}
