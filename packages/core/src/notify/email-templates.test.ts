import { describe, expect, it } from "vitest";
import { customerContactOf, maskEmail, maskEmailsIn, maskPhone } from "./customer-contact";
import { renderEmail } from "./email-templates";

const order = { orderId: "42", grandTotal: 300, items: [{ name: "Tea <b>", quantity: 2, unitPrice: 120 }] };

describe("customer emails", () => {
  it("renders the paid email in Thai with items, amount paid and total, HTML-escaped", () => {
    const email = renderEmail({ template: "paid", locale: "th", orderId: "42", customerName: "สมชาย", order, amount: 300, itemsOmitted: false });

    expect(email.subject).toBe("ชำระเงินสำเร็จ คำสั่งซื้อ #42");
    expect(email.text).toContain("เรียน คุณสมชาย");
    expect(email.text).toContain("Tea <b> x 2: ฿240.00");
    expect(email.text).toContain("ยอดที่ชำระ: ฿300.00");
    expect(email.html).toContain("Tea &lt;b&gt;");
    expect(email.html).not.toContain("Tea <b>");
  });

  it("renders the declined email in English and points to the order page when items were left out", () => {
    const email = renderEmail({ template: "declined", locale: "en", orderId: "42", customerName: undefined, order, amount: 300, itemsOmitted: true });

    expect(email.subject).toBe("Payment declined for order #42");
    expect(email.text).toContain("Dear customer,");
    expect(email.text).toContain("See all items on your order page.");
    expect(email.text).not.toContain("Tea");
  });

  it("reads the contact from the order, Thai by default, ignoring a malformed address", () => {
    expect(customerContactOf({ customer: { email: "a@b.co", name: "A" } })).toEqual({ email: "a@b.co", name: "A", locale: "th" });
    expect(customerContactOf({ customer: { email: "not an address", locale: "en-GB" } })).toEqual({ email: undefined, name: undefined, locale: "en" });
  });

  it("masks addresses and phone numbers for logs", () => {
    expect(maskEmail("somchai@example.com")).toBe("s*****i@example.com");
    expect(maskEmail("ab@example.com")).toBe("a*@example.com");
    expect(maskPhone("+66 81 234 5678")).toBe("*******5678");
    expect(maskEmailsIn("Email address is not verified: somchai@example.com, jo@x.co.th.")).toBe("Email address is not verified: s*****i@example.com, j*@x.co.th.");
  });
});
