import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetCommand, PutCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import {
  createAwsClients,
  createEventBridgePublisher,
  legacyInvokeResourceNames,
  publishWalletPaymentConfirmed,
} from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/main";
import { startLocalRuntime, type LocalRuntime } from "./local-runtime";

/*
 * The legacy invoke adapter on the local endpoint, as the callbacks reach it: Lambda Invoke by
 * the legacy function's name, with the legacy payload.
 */
let runtime: LocalRuntime;
let lambda: LambdaClient;
const LEGACY_FUNCTION = "payment3-process-paid-wallet-order-internal-dev";
const clients = () => createAwsClients({ region: "ap-southeast-1", endpoint: runtime.url });
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

beforeAll(async () => {
  runtime = await startLocalRuntime({
    port: 0,
    dataDirectory: null,
    env: { AWS_REGION: "ap-southeast-1" },
    logLevel: "SILENT",
    retryBaseDelayMs: 5,
    warn() {},
  });
  lambda = new LambdaClient({
    endpoint: runtime.url,
    region: "ap-southeast-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  for (const orderId of ["LEG-1", "LEG-2", "LEG-3"]) {
    await clients().documentClient.send(
      new PutCommand({
        TableName: runtime.config.orderTableName,
        Item: {
          orderId,
          customer: { name: "Somchai", email: `buyer-${orderId}@example.com`, locale: "th" },
          items: [{ name: "Thai tea", quantity: 2, unitPrice: 150 }],
        },
      }),
    );
  }
});
afterAll(async () => {
  lambda?.destroy();
  await runtime?.close();
});

/** Waits until the asynchronous invocations and everything they set off on the bus are done. */
async function settle(): Promise<void> {
  await runtime.stack.lambdaAsync.whenIdle();
  await runtime.stack.eventBridge.whenIdle();
}

async function orderOf(orderId: string) {
  return (
    await clients().documentClient.send(
      new GetCommand({ TableName: runtime.config.orderTableName, Key: { orderId }, ConsistentRead: true }),
    )
  ).Item;
}

/** The order's audit rows and the emails sent for it. */
async function effectsFor(orderId: string) {
  const audit = await clients().documentClient.send(
    new QueryCommand({
      TableName: runtime.config.auditLogTableName,
      KeyConditionExpression: "orderId = :o",
      ExpressionAttributeValues: { ":o": orderId },
    }),
  );
  const emails = (await runtime.stack.ses.listSentEmails()).filter((mail) => mail.subject.includes(`#${orderId}`));
  return { audit: audit.Items ?? [], emails };
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const code = await runCli(
    [...args, "--endpoint", runtime.url],
    { out: (text) => out.push(text), err: (text) => out.push(text) },
    { AWS_REGION: "ap-southeast-1" },
  );
  return { code, out: out.join("\n") };
}

describe("the legacy invoke adapter on the local endpoint", () => {
  it("is served under the legacy function's exact name", () => {
    expect(legacyInvokeResourceNames(runtime.config.stage).functionName).toBe(LEGACY_FUNCTION);
    expect(runtime.stack.functions.has(LEGACY_FUNCTION)).toBe(true);
  });

  it("pays an order invoked with Event and the legacy payload exactly as a published confirmation does: one audit row, one email", async () => {
    // Prepare
    const publisher = createEventBridgePublisher({ client: clients().eventBridge });

    // Act
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: LEGACY_FUNCTION,
        InvocationType: "Event",
        Payload: encode('{"order_id":"LEG-1","payment_id":"pay_legacy_1","success":true,"amount":300.0}'),
      }),
    );
    await publishWalletPaymentConfirmed(
      { orderId: "LEG-2", paymentId: "pay_published_2", success: true, amount: 300 },
      { publisher, eventBusName: runtime.config.eventBusName },
    );
    await settle();

    // Assert
    expect(answer.StatusCode).toBe(202);
    const header = (order: Record<string, unknown> | undefined) => {
      const {
        paymentId: _id,
        paidAt: _paid,
        processedAt: _processed,
        ...rest
      } = (order?.payment ?? {}) as Record<string, unknown>;
      return rest;
    };
    const [legacy, published] = [await orderOf("LEG-1"), await orderOf("LEG-2")];
    expect(legacy?.payment).toMatchObject({
      paymentId: "pay_legacy_1",
      isPaid: true,
      paymentMethod: "wallet",
      totalPaid: 300,
      channel: "wallet",
    });
    expect(header(legacy)).toEqual(header(published));
    const [legacyEffects, publishedEffects] = [await effectsFor("LEG-1"), await effectsFor("LEG-2")];
    expect(legacyEffects.audit).toEqual([
      expect.objectContaining({ is_error: false, outcome: "OrderPaid", paymentId: "pay_legacy_1" }),
    ]);
    expect(publishedEffects.audit).toHaveLength(1);
    expect(legacyEffects.emails).toEqual([expect.objectContaining({ to: ["buyer-LEG-1@example.com"] })]);
    expect(publishedEffects.emails).toHaveLength(1);
  });

  it("changes nothing when the same payload is invoked again", async () => {
    // Prepare
    const before = { order: await orderOf("LEG-1"), ...(await effectsFor("LEG-1")) };

    // Act
    await lambda.send(
      new InvokeCommand({
        FunctionName: LEGACY_FUNCTION,
        InvocationType: "Event",
        Payload: encode('{"order_id":"LEG-1","payment_id":"pay_legacy_1","success":true,"amount":300.0}'),
      }),
    );
    await settle();

    // Assert
    const after = { order: await orderOf("LEG-1"), ...(await effectsFor("LEG-1")) };
    expect(after.order).toEqual(before.order);
    expect(after.audit).toEqual(before.audit);
    expect(after.emails).toHaveLength(1);
    expect(runtime.stack.lambdaAsync.listFailures()).toEqual([]);
  });

  it("answers RequestResponse with the legacy body", async () => {
    // Act
    const answer = await lambda.send(
      new InvokeCommand({
        FunctionName: LEGACY_FUNCTION,
        Payload: encode({ orderId: "LEG-3", paymentId: "pay_legacy_3", success: true, amount: 300 }),
      }),
    );
    await settle();

    // Assert
    expect(answer.FunctionError).toBeUndefined();
    expect(JSON.parse(new TextDecoder().decode(answer.Payload))).toEqual({ statusCode: 200, body: '"success"' });
    expect((await orderOf("LEG-3"))?.payment).toMatchObject({ paymentId: "pay_legacy_3", isPaid: true });
  });

  it("keeps an invalid Event payload, once and unretried, where `payment3 dlq list` shows it, naming the field; nothing is published", async () => {
    // Prepare
    const adapter = runtime.stack.functions.get(LEGACY_FUNCTION)!;
    let runs = 0;
    runtime.stack.functions.set(LEGACY_FUNCTION, (payload, context) => {
      runs += 1;
      return adapter(payload, context);
    });
    const payload = { orderId: "LEG-4", paymentId: "pay_legacy_4", success: "yes", amount: 300 };
    const eventsBefore = runtime.stack.eventBridge.listAcceptedEvents(runtime.config.eventBusName).length;

    try {
      // Act
      await lambda.send(
        new InvokeCommand({ FunctionName: LEGACY_FUNCTION, InvocationType: "Event", Payload: encode(payload) }),
      );
      await settle();
      const listed = await cli("dlq", "list", "--json");
      const letters = JSON.parse(listed.out) as Record<string, unknown>[];
      const letter = letters.find((candidate) => candidate.orderId === "LEG-4");
      const shown = await cli("dlq", "show", "--id", String(letter?.id), "--json");

      // Assert
      expect(runs).toBe(1);
      expect(listed.code).toBe(0);
      expect(letter).toMatchObject({
        detailType: "Lambda async invoke",
        targetId: LEGACY_FUNCTION,
        queue: "payment3-dev-legacy-invoke-on-failure",
        paymentId: "pay_legacy_4",
        retryAttempts: 0,
        error: expect.stringContaining(
          'LegacyPayloadError: the legacy payload was not published: success must be true or false, got "yes"',
        ),
      });
      expect(JSON.parse(shown.out)).toMatchObject({
        record: {
          requestPayload: payload,
          requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 1 },
        },
      });
      expect(runtime.stack.eventBridge.listAcceptedEvents(runtime.config.eventBusName)).toHaveLength(eventsBefore);
    } finally {
      runtime.stack.functions.set(LEGACY_FUNCTION, adapter);
    }
  });

  it("redrives a kept payload with `payment3 dlq redrive`: an invalid one fails again and stays listed", async () => {
    // Prepare
    const [failure] = runtime.stack.lambdaAsync.listFailures({ functionName: LEGACY_FUNCTION });

    // Act
    const redrive = await cli("dlq", "redrive", "--id", failure!.id);

    // Assert
    expect(redrive.code).toBe(1);
    expect(redrive.out).toContain("redrove 0 of 1 dead letter; 1 failed again and stay dead-lettered");
    expect(runtime.stack.lambdaAsync.listFailures({ functionName: LEGACY_FUNCTION }).map((kept) => kept.id)).toEqual([
      failure!.id,
    ]);
  });
});
