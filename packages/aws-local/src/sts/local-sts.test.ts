import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAwsLocal, type AwsLocal } from "../aws-local";

let stack: AwsLocal;
let sts: STSClient;
beforeAll(async () => {
  stack = await startAwsLocal();
  sts = new STSClient({
    endpoint: stack.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  sts?.destroy();
  await stack?.close();
});

describe("STS on the local endpoint", () => {
  it("answers GetCallerIdentity with the local account's root user, to the unmodified STSClient", async () => {
    // Act
    const identity = await sts.send(new GetCallerIdentityCommand({}));

    // Assert
    expect(identity).toMatchObject({
      Account: "000000000000",
      Arn: "arn:aws:iam::000000000000:root",
      UserId: "000000000000",
    });
  });

  it("answers an unsigned GetCallerIdentity (curl) in XML too", async () => {
    // Act
    const response = await fetch(`${stack.url}/`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=GetCallerIdentity&Version=2011-06-15",
    });

    // Assert
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      "<GetCallerIdentityResult><Arn>arn:aws:iam::000000000000:root</Arn><UserId>000000000000</UserId><Account>000000000000</Account></GetCallerIdentityResult>",
    );
  });

  it("answers any other STS action with an InvalidAction the client reads, naming it", async () => {
    // Act
    const error = await sts.send(new GetSessionTokenCommand({})).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ name: "InvalidAction", $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toContain(
      "does not serve STS GetSessionToken; of STS it serves only GetCallerIdentity",
    );
  });
});
