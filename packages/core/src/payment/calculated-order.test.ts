import { describe, expect, it } from "vitest";
import { calculatedOrderFrom, roundedUnixSeconds } from "./calculated-order";

describe("roundedUnixSeconds (Python's round of the timestamp)", () => {
  it.each([
    ["2026-11-29T10:00:00.000Z", 1_795_946_400],
    ["2026-11-29T10:00:00.499Z", 1_795_946_400],
    ["2026-11-29T10:00:00.501Z", 1_795_946_401],
    ["2026-11-29T10:00:00.900Z", 1_795_946_401],
    // Exactly half a second goes to the even second, as Python's round does.
    ["2026-11-29T10:00:00.500Z", 1_795_946_400],
    ["2026-11-29T10:00:01.500Z", 1_795_946_402],
  ])("rounds %s to %i", (time, expected) => {
    expect(roundedUnixSeconds(new Date(time))).toBe(expected);
  });
});

describe("calculatedOrderFrom", () => {
  it("sets basketName and orderDate on calculate-cost's answer whether or not it returned them, and keeps our order id", () => {
    const answer = { orderId: 492500005643, basketName: "theirs", grandTotal: 300 };

    const calculated = calculatedOrderFrom(answer, "492500005643", new Date("2026-11-29T10:00:00.900Z"));

    expect(calculated).toEqual({
      orderId: "492500005643",
      basketName: "492500005643",
      orderDate: 1_795_946_401,
      grandTotal: 300,
    });
  });
});
