import { localConfig } from "@payment3/local";
import { describe, expect, it } from "vitest";
import { buildOrders } from "./bench-orders";
import { casesFor, UnknownColdStartFunctionError } from "./cold-start";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";

const config = localConfig({ url: "http://127.0.0.1:4566" });

describe("casesFor", () => {
  it("has a first event for every function the stacks deploy", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);

    // Act
    const events = await Promise.all(
      DEPLOYED_FUNCTIONS.map(async (fn) => (await casesFor(fn.name, config, orders)).event),
    );

    // Assert
    expect(events.every((event) => typeof event === "object" && event !== null)).toBe(true);
  });

  it("refuses a function it has no case for, rather than timing it on another function's event", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);

    // Act
    const act = casesFor("loyalty-points", config, orders);

    // Assert
    await expect(act).rejects.toThrow(UnknownColdStartFunctionError);
  });

  it("gives the sweep a scheduled event and, for each side, one row already due by its window", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);
    const dueBy = Date.now() - config.uncertainEmailWindowMinutes * 60_000;

    // Act
    const cold = await casesFor("email-sweep", config, orders);

    // Assert
    expect(cold.event).toMatchObject({ source: "aws.events", "detail-type": "Scheduled Event", detail: {} });
    const rows = [...(cold.rows ?? []), ...(cold.bare.rows ?? [])];
    expect(rows.map((row) => row.Item.orderId)).toEqual(orders.map((order) => String(order.orderId)));
    for (const row of rows) expect(Date.parse(String(row.Item.emailUncertainSince))).toBeLessThan(dueBy);
    expect(cold.bare.requests.map((request) => request.command)).toEqual(["Query", "Update", "SendEmail", "Update"]);
  });

  it("gives the processor's bare handler the processor's own requests on the bare's order, captured from its code", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);
    const bareOrderId = String(orders[1]!.orderId);

    // Act
    const cold = await casesFor("processor", config, orders);

    // Assert
    expect(cold.bare.requests.map((request) => request.command)).toEqual(["Get", "Invoke", "Update", "PutEvents"]);
    const [get, invoke, update, putEvents] = cold.bare.requests.map((request) => request.input);
    expect(get).toMatchObject({
      TableName: config.orderTableName,
      Key: { orderId: bareOrderId },
      ConsistentRead: true,
    });
    expect(JSON.parse(String(invoke!.Payload))).toMatchObject({ orderId: orders[1]!.orderId });
    // The conditional write of the outcome: the payment's record, the header, the recalculated order's fields.
    expect(update).toMatchObject({ TableName: config.orderTableName, Key: { orderId: bareOrderId } });
    expect(String(update!.ConditionExpression)).toContain("attribute_not_exists(#outcomes)");
    expect(Object.values(update!.ExpressionAttributeValues as object)).toContainEqual(
      expect.objectContaining({ isPaid: true, paymentId: `pay_${bareOrderId}` }),
    );
    const [entry] = (putEvents as { Entries: { DetailType: string; Detail: string; EventBusName: string }[] }).Entries;
    expect(entry).toMatchObject({ DetailType: "OrderPaid", EventBusName: "payment3-bench-cold-start" });
    expect(JSON.parse(entry!.Detail)).toMatchObject({ orderId: bareOrderId, paymentId: `pay_${bareOrderId}` });
  });

  it("gives the audit log's bare handler the function's own PutItem of the bare order's row", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);
    const bareOrderId = String(orders[1]!.orderId);

    // Act
    const cold = await casesFor("audit-log", config, orders);

    // Assert
    expect(cold.bare.requests.map((request) => request.command)).toEqual(["Put"]);
    expect(cold.bare.requests[0]!.input).toMatchObject({
      TableName: config.auditLogTableName,
      Item: { orderId: bareOrderId, outcome: "OrderPaid", is_error: false, idempotencyKey: expect.any(String) },
      ConditionExpression: "attribute_not_exists(orderId)",
    });
  });

  it("gives the notifications bare handler the notifier's own five requests on the bare's order", async () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);
    const bareOrderId = String(orders[1]!.orderId);

    // Act
    const cold = await casesFor("notifications", config, orders);

    // Assert
    expect(cold.bare.requests.map((request) => request.command)).toEqual([
      "Update",
      "SendEmail",
      "Update",
      "Publish",
      "Update",
    ]);
    const [claim, email] = cold.bare.requests.map((request) => request.input);
    expect(claim).toMatchObject({ TableName: config.emailLogTableName, Key: { orderId: bareOrderId } });
    // The email as the function renders it, with the stage's configuration set and the email-log tag.
    expect(email).toMatchObject({
      Destination: { ToAddresses: [`cold-${bareOrderId}@example.com`] },
      ConfigurationSetName: config.emailConfigurationSetName,
    });
    expect(JSON.stringify(email)).toContain(bareOrderId);
  });
});
