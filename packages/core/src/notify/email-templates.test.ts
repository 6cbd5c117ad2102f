import { describe, expect, it } from "vitest";
import { customerContactOf, maskEmail, maskEmailsIn, maskPhone } from "./customer-contact";
import { formatBaht, renderEmail } from "./email-templates";
import { readFileSync } from "node:fs";

const order = { orderId: "42", grandTotal: 300, items: [{ name: "Tea <b>", quantity: 2, unitPrice: 120 }] };

describe("customer emails", () => {
  it("renders the paid email in Thai with items, amount paid and total, HTML-escaped", () => {
    const email = renderEmail({
      template: "paid",
      locale: "th",
      orderId: "42",
      customerName: "สมชาย",
      order,
      amount: 300,
      itemsOmitted: false,
    });

    expect(email.subject).toBe("ชำระเงินสำเร็จ คำสั่งซื้อ #42");
    expect(email.text).toContain("เรียน คุณสมชาย");
    expect(email.text).toContain("Tea <b> x 2: ฿240.00");
    expect(email.text).toContain("ยอดที่ชำระ: ฿300.00");
    expect(email.html).toContain("Tea &lt;b&gt;");
    expect(email.html).not.toContain("Tea <b>");
  });

  it("renders the declined email in English and points to the order page when items were left out", () => {
    const email = renderEmail({
      template: "declined",
      locale: "en",
      orderId: "42",
      customerName: undefined,
      order,
      amount: 300,
      itemsOmitted: true,
    });

    expect(email.subject).toBe("Payment declined for order #42");
    expect(email.text).toContain("Dear customer,");
    expect(email.text).toContain("See all items on your order page.");
    expect(email.text).not.toContain("Tea");
  });

  it("shows the recalculated subtotal, shipping, discount and total under the items, so the lines add up", () => {
    const example = JSON.parse(
      readFileSync(new URL("../../../../events/examples/OrderPaid.v1.json", import.meta.url), "utf8"),
    );

    const email = renderEmail({
      template: "paid",
      locale: "en",
      orderId: "492500005643",
      customerName: "Somchai",
      order: example.detail.order,
      amount: 300,
      overpaidAmount: 0,
      itemsOmitted: false,
    });

    expect(email.text).toContain(
      [
        "- Thai tea x 2: ฿240.00",
        "- Mug x 1: ฿90.00",
        "",
        "Subtotal: ฿330.00",
        "Shipping: ฿20.00",
        "Discount: -฿50.00",
        "Total: ฿300.00",
        "Amount paid: ฿300.00",
      ].join("\n"),
    );
    expect(email.html).toContain("<tr><td>Total</td><td><strong>฿300.00</strong></td></tr>");
  });

  it("leaves out the lines the order does not have instead of showing - or 0", () => {
    const email = renderEmail({
      template: "declined",
      locale: "en",
      orderId: "42",
      customerName: undefined,
      order: { orderId: "42", items: [{ name: "Tea", quantity: 1, unitPrice: 50 }] },
      amount: 50,
      itemsOmitted: false,
    });

    expect(email.text).not.toMatch(/Total|Subtotal|Shipping|Discount/);
    expect(email.text).not.toContain(": -");
    expect(email.text).toContain("Amount declined: ฿50.00");
  });

  it("tells the customer the amount paid and by how much it was over the total", () => {
    const email = renderEmail({
      template: "paid",
      locale: "en",
      orderId: "42",
      customerName: undefined,
      order: { ...order, subtotal: 240, shipping: 60, discount: 0 },
      amount: 350,
      overpaidAmount: 50,
      itemsOmitted: false,
    });

    expect(email.text).toContain("Total: ฿300.00\nAmount paid: ฿350.00");
    expect(email.text).toContain(
      "You paid ฿50.00 more than the order total; we will contact you about the difference.",
    );
    expect(email.text).not.toContain("Discount");
  });

  it("does not claim 0 THB was paid when the provider reported no amount", () => {
    const th = renderEmail({
      template: "paid",
      locale: "th",
      orderId: "42",
      customerName: undefined,
      order,
      amount: 0,
      amountReported: false,
      overpaidAmount: 0,
      itemsOmitted: false,
    });
    const en = renderEmail({
      template: "paid",
      locale: "en",
      orderId: "42",
      customerName: undefined,
      order,
      amount: 0,
      amountReported: false,
      overpaidAmount: 0,
      itemsOmitted: false,
    });

    expect(en.text).toContain("Amount paid: not reported by the payment provider");
    expect(en.text).not.toContain("฿0.00");
    expect(th.text).toContain("ยอดที่ชำระ: ผู้ให้บริการชำระเงินไม่ได้แจ้งยอดเงิน");
    expect(th.text).not.toContain("฿0.00");
  });

  it("reads the contact from the order, Thai by default, ignoring a malformed address", () => {
    expect(customerContactOf({ customer: { email: "a@b.co", name: "A" } })).toEqual({
      email: "a@b.co",
      name: "A",
      locale: "th",
    });
    expect(customerContactOf({ customer: { email: "not an address", locale: "en-GB" } })).toEqual({
      email: undefined,
      name: undefined,
      locale: "en",
    });
  });

  it("masks addresses and phone numbers for logs", () => {
    expect(maskEmail("somchai@example.com")).toBe("s*****i@example.com");
    expect(maskEmail("ab@example.com")).toBe("a*@example.com");
    expect(maskPhone("+66 81 234 5678")).toBe("*******5678");
    expect(maskEmailsIn("Email address is not verified: somchai@example.com, jo@x.co.th.")).toBe(
      "Email address is not verified: s*****i@example.com, j*@x.co.th.",
    );
  });
});

describe("formatBaht", () => {
  it("writes every amount as Intl's th-TH THB currency format does, without building that formatter", () => {
    // Prepare
    const intl = new Intl.NumberFormat("th-TH", { style: "currency", currency: "THB" });
    const amounts = [0, -0, 1, 240, 1234.5, -50, 1234567.891, 0.005, -0.004, 12.345, 1.005, 999.995, -1234.565, 850.1];
    for (let step = 0; step < 2000; step++) amounts.push(Math.round((step * 7919.37) % 100_000) / 100 - 200);

    // Act
    const mismatches = amounts.filter((amount) => formatBaht(amount) !== intl.format(amount));

    // Assert
    expect(mismatches).toEqual([]);
    expect(formatBaht(1234.5)).toBe("฿1,234.50");
    expect(formatBaht(null)).toBe("-");
    expect(formatBaht(Number.NaN)).toBe("-");
  });
});
