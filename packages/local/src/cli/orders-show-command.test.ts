import type { ReadAuditRow } from "@payment3/core";
import { describe, expect, it } from "vitest";
import { sortAuditRows } from "./orders-show-command";

const row = (
  paymentId: string,
  outcome: "OrderPaid" | "OrderPaymentFailed",
  reason: string | null,
  createdAt: string,
): ReadAuditRow =>
  ({
    orderId: "1",
    created_at: createdAt,
    createdAtMillis: Date.parse(createdAt),
    data: {},
    is_error: false,
    outcome,
    reason,
    paymentId,
  }) as ReadAuditRow;

describe("audit rows in orders show", () => {
  it("puts the payment before the refund it caused when both rows have the same second", () => {
    const refund = row("pay_second", "OrderPaymentFailed", "ALREADY_PAID", "2026-11-29T10:00:01Z");
    const paid = row("pay_first", "OrderPaid", null, "2026-11-29T10:00:01Z");

    const sorted = sortAuditRows([refund, paid], {});

    expect(sorted.map((r) => r.paymentId)).toEqual(["pay_first", "pay_second"]);
  });

  it("puts a refund after the payment even when its event time reads a second earlier", () => {
    const refund = row("pay_second", "OrderPaymentFailed", "ALREADY_PAID", "2026-11-29T10:00:00Z");
    const paid = row("pay_first", "OrderPaid", null, "2026-11-29T10:00:01.200Z");
    const later = row("pay_third", "OrderPaymentFailed", "ALREADY_PAID", "2026-11-29T10:00:05Z");

    const sorted = sortAuditRows([later, refund, paid], {});

    expect(sorted.map((r) => r.paymentId)).toEqual(["pay_first", "pay_second", "pay_third"]);
  });

  it("orders rows of different seconds by time, within a second by the recorded occurredAt", () => {
    const a = row("pay_a", "OrderPaymentFailed", "PAYMENT_DECLINED", "2026-11-29T10:00:02Z");
    const b = row("pay_b", "OrderPaymentFailed", "PAYMENT_DECLINED", "2026-11-29T10:00:02Z");
    const c = row("pay_c", "OrderPaymentFailed", "PAYMENT_DECLINED", "2026-11-29T09:59:00Z");
    const outcomes = {
      pay_a: { outcome: "PAYMENT_DECLINED", occurredAt: "2026-11-29T10:00:02.900Z" },
      pay_b: { outcome: "PAYMENT_DECLINED", occurredAt: "2026-11-29T10:00:02.100Z" },
    } as never;

    const sorted = sortAuditRows([a, b, c], outcomes);

    expect(sorted.map((r) => r.paymentId)).toEqual(["pay_c", "pay_b", "pay_a"]);
  });
});
