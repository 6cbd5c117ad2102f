import { localConfig } from "@payment3/local";
import { describe, expect, it } from "vitest";
import { buildOrders } from "./bench-orders";
import { casesFor, UnknownColdStartFunctionError } from "./cold-start";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";

const config = localConfig({ url: "http://127.0.0.1:4566" });

describe("casesFor", () => {
  it("has a first event for every function the stacks deploy", () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);

    // Act
    const events = DEPLOYED_FUNCTIONS.map((fn) => casesFor(fn.name, config, orders).event);

    // Assert
    expect(events.every((event) => typeof event === "object" && event !== null)).toBe(true);
  });

  it("refuses a function it has no case for, rather than timing it on another function's event", () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);

    // Act
    const act = () => casesFor("loyalty-points", config, orders);

    // Assert
    expect(act).toThrow(UnknownColdStartFunctionError);
  });

  it("gives the sweep a scheduled event and, for each side, one row already due by its window", () => {
    // Prepare
    const orders = buildOrders(2, 900_000_000_000);
    const dueBy = Date.now() - config.uncertainEmailWindowMinutes * 60_000;

    // Act
    const cold = casesFor("email-sweep", config, orders);

    // Assert
    expect(cold.event).toMatchObject({ source: "aws.events", "detail-type": "Scheduled Event", detail: {} });
    const rows = [...(cold.rows ?? []), ...(cold.bare.rows ?? [])];
    expect(rows.map((row) => row.Item.orderId)).toEqual(orders.map((order) => String(order.orderId)));
    for (const row of rows) expect(Date.parse(String(row.Item.emailUncertainSince))).toBeLessThan(dueBy);
    expect(cold.bare.requests.map((request) => request.command)).toEqual(["Query", "Update", "SendEmail", "Update"]);
  });
});
