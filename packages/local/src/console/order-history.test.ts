import { LocalEventBridge } from "@payment3/aws-local";
import { afterEach, describe, expect, it } from "vitest";
import { OrderHistory } from "./order-history";

const bridges: LocalEventBridge[] = [];
afterEach(() => {
  for (const bridge of bridges.splice(0)) bridge.close();
});

describe("OrderHistory", () => {
  it("reads the order when an event about it first arrives and after each delivery to a rule that writes orders, keeping only changes", async () => {
    // Prepare: a "processor" target that pays the order, and an "audit" rule that does not write it
    const orders = new Map<string, Record<string, unknown>>([["o-1", { orderId: "o-1" }]]);
    const bridge = new LocalEventBridge({
      logger: { warn() {} },
      targetInvoker: async (target, _input, context) => {
        if (target.targetId === "processor")
          orders.set("o-1", {
            orderId: "o-1",
            payment: { paymentId: String((context.event.detail as { paymentId: string }).paymentId), isPaid: true },
          });
      },
    });
    bridges.push(bridge);
    for (const name of ["processor", "audit"]) {
      bridge.putRule({ Name: name, EventPattern: JSON.stringify({ source: ["wallet"] }) });
      bridge.putTargets({
        Rule: name,
        Targets: [{ Id: name, Arn: `arn:aws:lambda:ap-southeast-1:000000000000:function:${name}` }],
      });
    }
    const reads: string[] = [];
    const history = new OrderHistory(bridge, {
      readOrder: async (orderId) => {
        reads.push(orderId);
        return orders.get(orderId);
      },
      changesOrders: (ruleName) => ruleName === "processor",
    });
    const confirm = (paymentId: string) =>
      bridge.putEvents({
        Entries: [{ Source: "wallet", DetailType: "Confirmed", Detail: JSON.stringify({ orderId: "o-1", paymentId }) }],
      });

    // Act: the same payment twice (the second changes nothing), then another one
    confirm("p-1");
    await bridge.whenIdle();
    confirm("p-1");
    await bridge.whenIdle();
    confirm("p-2");
    await bridge.whenIdle();
    await history.settled();

    // Assert
    expect(history.of("o-1").map((snapshot) => [snapshot.seenWhen, snapshot.payment])).toEqual([
      ["before Confirmed", null],
      ["after processor", { paymentId: "p-1", isPaid: true }],
      ["after processor", { paymentId: "p-2", isPaid: true }],
    ]);
    expect(reads).toHaveLength(4);
    expect(history.of("o-2")).toEqual([]);
  });
});
