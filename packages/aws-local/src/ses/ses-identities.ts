import type { LocalResponse } from "../http/local-endpoint";
import { AwsQueryError, escapeXml, queryXmlResponse } from "../http/aws-query-protocol";

/**
 * The SES account's read-only facts a deploy check asks about: which sender identities are
 * verified and whether the account is in the sandbox. Locally an identity is verified the moment
 * it is asked for (there is no inbox or DNS to confirm), and sending is never refused for an
 * unverified sender; `rejectRecipients` is what imitates the sandbox's refusals.
 */
export class SesIdentities {
  private readonly verified = new Set<string>();
  /** What SESv2 GetAccount answers as `ProductionAccessEnabled`'s opposite. */
  sandbox: boolean;

  constructor(options: { readonly verifiedIdentities?: readonly string[]; readonly sandbox?: boolean } = {}) {
    for (const identity of options.verifiedIdentities ?? []) this.verify(identity);
    this.sandbox = options.sandbox ?? false;
  }

  /** Marks an email address or a domain verified (case-insensitive, as SES compares them). */
  verify(identity: string): void {
    this.verified.add(identity.toLowerCase());
  }

  isVerified(identity: string): boolean {
    return this.verified.has(identity.toLowerCase());
  }

  /**
   * Answers the SES v1 identity and account actions: VerifyEmailIdentity, VerifyEmailAddress,
   * VerifyDomainIdentity, GetIdentityVerificationAttributes, GetSendQuota. Undefined for any other action.
   */
  answerV1(action: string, parameters: URLSearchParams, xmlns: string): LocalResponse | undefined {
    switch (action) {
      case "VerifyEmailIdentity":
      case "VerifyEmailAddress": {
        const address = parameters.get("EmailAddress");
        if (!address)
          throw new AwsQueryError("ValidationError", 400, "EmailAddress is required: the address to verify");
        this.verify(address);
        return queryXmlResponse({ action, xmlns, ...(action === "VerifyEmailIdentity" ? { resultXml: "" } : {}) });
      }
      case "VerifyDomainIdentity": {
        const domain = parameters.get("Domain");
        if (!domain) throw new AwsQueryError("ValidationError", 400, "Domain is required: the domain to verify");
        this.verify(domain);
        return queryXmlResponse({
          action,
          xmlns,
          resultXml: "<VerificationToken>local-verification-token</VerificationToken>",
        });
      }
      case "GetIdentityVerificationAttributes": {
        const identities = [...parameters.entries()]
          .filter(([key]) => /^Identities\.member\.\d+$/.test(key))
          .map(([, value]) => value);
        // SES lists only identities it knows; one never asked to be verified is left out.
        const entries = identities
          .filter((identity) => this.isVerified(identity))
          .map(
            (identity) =>
              `<entry><key>${escapeXml(identity)}</key><value><VerificationStatus>Success</VerificationStatus></value></entry>`,
          )
          .join("");
        return queryXmlResponse({
          action,
          xmlns,
          resultXml: `<VerificationAttributes>${entries}</VerificationAttributes>`,
        });
      }
      case "GetSendQuota": {
        const quota = this.sendQuota();
        return queryXmlResponse({
          action,
          xmlns,
          resultXml: `<Max24HourSend>${quota.Max24HourSend}</Max24HourSend><MaxSendRate>${quota.MaxSendRate}</MaxSendRate><SentLast24Hours>0</SentLast24Hours>`,
        });
      }
      default:
        return undefined;
    }
  }

  /** The sandbox's quota (200 a day, 1 a second), or a production account's starting quota. */
  private sendQuota() {
    return this.sandbox ? { Max24HourSend: 200, MaxSendRate: 1 } : { Max24HourSend: 50_000, MaxSendRate: 14 };
  }

  /** SESv2 GetAccount (`GET /v2/email/account`). */
  /** The GetAccount answer; `suppressionAttributes` is the account-level suppression list's settings. */
  accountAnswer(suppressionAttributes?: { readonly SuppressedReasons: readonly string[] }): LocalResponse {
    return {
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        ProductionAccessEnabled: !this.sandbox,
        SendingEnabled: true,
        EnforcementStatus: "HEALTHY",
        DedicatedIpAutoWarmupEnabled: false,
        SendQuota: { ...this.sendQuota(), SentLast24Hours: 0 },
        ...(suppressionAttributes ? { SuppressionAttributes: suppressionAttributes } : {}),
      }),
    };
  }
}
