import {
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  SESClient,
  VerifyDomainIdentityCommand,
  VerifyEmailIdentityCommand,
} from "@aws-sdk/client-ses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";

let stack: AwsLocal;
let ses: SESClient;

beforeAll(async () => {
  stack = await startAwsLocal({ ses: { verifiedIdentities: ["orders@shop.example"], warn() {} } });
  const options = {
    endpoint: stack.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  };
  ses = new SESClient(options);
});
afterAll(async () => {
  ses?.destroy();
  await stack?.close();
});

describe("SES identities and account on the local endpoint", () => {
  it("answers GetIdentityVerificationAttributes for verified identities only, as SES leaves unknown ones out", async () => {
    // Act
    const answer = await ses.send(
      new GetIdentityVerificationAttributesCommand({ Identities: ["orders@shop.example", "nobody@elsewhere.example"] }),
    );

    // Assert
    expect(answer.VerificationAttributes).toEqual({ "orders@shop.example": { VerificationStatus: "Success" } });
  });

  it("verifies an address and a domain asked for with VerifyEmailIdentity / VerifyDomainIdentity", async () => {
    // Act
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: "billing@shop.example" }));
    const domain = await ses.send(new VerifyDomainIdentityCommand({ Domain: "Mail.Example" }));
    const answer = await ses.send(
      new GetIdentityVerificationAttributesCommand({ Identities: ["billing@shop.example", "mail.example"] }),
    );

    // Assert
    expect(domain.VerificationToken).toBe("local-verification-token");
    expect(Object.keys(answer.VerificationAttributes ?? {}).sort()).toEqual(["billing@shop.example", "mail.example"]);
  });

  it("answers GetSendQuota and SESv2 GetAccount as a production account unless the sandbox is switched on", async () => {
    // Prepare
    const account = async () =>
      (await (await fetch(new URL("/v2/email/account", stack.url))).json()) as { ProductionAccessEnabled: boolean };

    // Act
    const production = { quota: await ses.send(new GetSendQuotaCommand({})), account: await account() };
    stack.ses.identities.sandbox = true;
    const sandbox = { quota: await ses.send(new GetSendQuotaCommand({})), account: await account() };

    // Assert
    expect(production.quota).toMatchObject({ Max24HourSend: 50_000, MaxSendRate: 14 });
    expect(production.account.ProductionAccessEnabled).toBe(true);
    expect(sandbox.quota).toMatchObject({ Max24HourSend: 200, MaxSendRate: 1 });
    expect(sandbox.account.ProductionAccessEnabled).toBe(false);
  });
});
