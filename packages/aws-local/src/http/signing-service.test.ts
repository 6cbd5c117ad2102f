import { describe, expect, it } from "vitest";
import { fakeSigV4Authorization } from "./fake-sigv4";
import { credentialScopeOf, signingServiceOf } from "./signing-service";

describe("signingServiceOf", () => {
  it("reads the service from the SigV4 credential scope in Authorization", () => {
    // Prepare
    const request = { url: "/", headers: { authorization: fakeSigV4Authorization("sns", "eu-west-1") } };

    // Act
    const scope = credentialScopeOf(request);

    // Assert
    expect(scope).toEqual({ accessKeyId: "local", date: "20260101", region: "eu-west-1", service: "sns" });
  });

  it("reads X-Amz-Credential of a presigned URL", () => {
    // Prepare
    const credential = encodeURIComponent("AKID/20260101/ap-southeast-1/email/aws4_request");
    const request = { url: `/?Action=SendEmail&X-Amz-Credential=${credential}`, headers: {} };

    // Act
    const service = signingServiceOf(request);

    // Assert
    expect(service).toBe("email");
  });

  it.each([
    ["no Authorization", {}],
    ["SigV2-style Authorization", { authorization: "AWS local:c2lnbmF0dXJl" }],
    ["garbage Authorization", { authorization: "Bearer abc" }],
  ])("is undefined with %s", (_label, headers) => {
    // Prepare
    const request = { url: "/?Action=Publish", headers };

    // Act
    const service = signingServiceOf(request);

    // Assert
    expect(service).toBeUndefined();
  });
});
