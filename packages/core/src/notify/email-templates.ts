import type { Locale } from "./customer-contact";

export type EmailTemplate = "paid" | "declined";

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export interface EmailContent {
  readonly template: EmailTemplate;
  readonly locale: Locale;
  readonly orderId: string;
  readonly customerName: string | undefined;
  readonly order: Record<string, unknown>;
  /** What the provider confirmed (paid) or tried to take (declined), in THB. */
  readonly amount: number | null;
  /** True when the event left the items out; the email then points to the order page. */
  readonly itemsOmitted: boolean;
}

interface Line {
  readonly name: string;
  readonly quantity: number;
  readonly total: number;
}

const COPY = {
  th: {
    paidSubject: (id: string) => `ชำระเงินสำเร็จ คำสั่งซื้อ #${id}`,
    declinedSubject: (id: string) => `การชำระเงินไม่สำเร็จ คำสั่งซื้อ #${id}`,
    greeting: (name?: string) => (name ? `เรียน คุณ${name}` : "เรียน ลูกค้า"),
    paidIntro: (id: string) => `เราได้รับการชำระเงินสำหรับคำสั่งซื้อ #${id} เรียบร้อยแล้ว ขอบคุณที่ใช้บริการ`,
    declinedIntro: (id: string) => `การชำระเงินสำหรับคำสั่งซื้อ #${id} ไม่สำเร็จ คำสั่งซื้อของคุณยังไม่ถูกชำระ กรุณาลองชำระเงินอีกครั้ง`,
    items: "รายการสินค้า",
    itemsOmitted: "ดูรายการสินค้าทั้งหมดได้ที่หน้าคำสั่งซื้อของคุณ",
    amountPaid: "ยอดที่ชำระ",
    amountDeclined: "ยอดที่ทำรายการไม่สำเร็จ",
    total: "ยอดรวมทั้งสิ้น",
  },
  en: {
    paidSubject: (id: string) => `Payment received for order #${id}`,
    declinedSubject: (id: string) => `Payment declined for order #${id}`,
    greeting: (name?: string) => (name ? `Dear ${name},` : "Dear customer,"),
    paidIntro: (id: string) => `We have received your payment for order #${id}. Thank you for your order.`,
    declinedIntro: (id: string) => `Your payment for order #${id} was declined. Your order is not paid yet; please try paying again.`,
    items: "Items",
    itemsOmitted: "See all items on your order page.",
    amountPaid: "Amount paid",
    amountDeclined: "Amount declined",
    total: "Total",
  },
} as const;

// Built on first use: creating it costs ~20 ms of cold start, paid only by the function that sends email.
let baht: Intl.NumberFormat | undefined;
const money = (value: number | null | undefined) =>
  typeof value === "number" && Number.isFinite(value) ? (baht ??= new Intl.NumberFormat("th-TH", { style: "currency", currency: "THB" })).format(value) : "-";

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function linesOf(order: Record<string, unknown>): Line[] {
  if (!Array.isArray(order.items)) return [];
  return order.items.map((item: Record<string, unknown>) => {
    const quantity = typeof item.quantity === "number" ? item.quantity : 1;
    const unitPrice = typeof item.unitPrice === "number" ? item.unitPrice : 0;
    return { name: String(item.name ?? item.sku ?? "-"), quantity, total: Math.round(quantity * unitPrice * 100) / 100 };
  });
}

/** The customer email for a paid or declined payment, in Thai or English, as HTML and text. */
export function renderEmail(content: EmailContent): RenderedEmail {
  const copy = COPY[content.locale];
  const paid = content.template === "paid";
  const subject = paid ? copy.paidSubject(content.orderId) : copy.declinedSubject(content.orderId);
  const intro = paid ? copy.paidIntro(content.orderId) : copy.declinedIntro(content.orderId);
  const amountLabel = paid ? copy.amountPaid : copy.amountDeclined;
  const lines = linesOf(content.order);
  const grandTotal = typeof content.order.grandTotal === "number" ? content.order.grandTotal : null;

  const textItems = content.itemsOmitted ? [copy.itemsOmitted] : lines.map((l) => `- ${l.name} x ${l.quantity}: ${money(l.total)}`);
  const text = [
    copy.greeting(content.customerName),
    "",
    intro,
    "",
    `${copy.items}:`,
    ...textItems,
    "",
    `${amountLabel}: ${money(content.amount)}`,
    `${copy.total}: ${money(grandTotal)}`,
  ].join("\n");

  const htmlItems = content.itemsOmitted
    ? `<p>${escapeHtml(copy.itemsOmitted)}</p>`
    : `<table>${lines.map((l) => `<tr><td>${escapeHtml(l.name)}</td><td>x ${l.quantity}</td><td>${escapeHtml(money(l.total))}</td></tr>`).join("")}</table>`;
  const html = [
    `<!doctype html><html lang="${content.locale}"><body>`,
    `<p>${escapeHtml(copy.greeting(content.customerName))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h3>${escapeHtml(copy.items)}</h3>`,
    htmlItems,
    `<p>${escapeHtml(amountLabel)}: <strong>${escapeHtml(money(content.amount))}</strong></p>`,
    `<p>${escapeHtml(copy.total)}: <strong>${escapeHtml(money(grandTotal))}</strong></p>`,
    `</body></html>`,
  ].join("\n");
  return { subject, html, text };
}
