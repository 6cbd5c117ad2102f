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
  /** False when the callback sent no amount: `amount` is then the legacy default 0, not what was paid. */
  readonly amountReported?: boolean | undefined;
  /** THB paid above the recalculated total (the payment header's `overpaidAmount`). */
  readonly overpaidAmount?: number | undefined;
  /** True when the event left the items out; the email then points to the order page. */
  readonly itemsOmitted: boolean;
}

interface Line {
  readonly name: string;
  readonly quantity: number;
  readonly total: number;
}

// The copy is text with a `{}` where the order id or an amount goes (`fill`), so both locales share
// one function for each instead of carrying one of their own.
const COPY = {
  th: {
    paidSubject: "ชำระเงินสำเร็จ คำสั่งซื้อ #{}",
    declinedSubject: "การชำระเงินไม่สำเร็จ คำสั่งซื้อ #{}",
    greeting: (name?: string) => (name ? `เรียน คุณ${name}` : "เรียน ลูกค้า"),
    paidIntro: "เราได้รับการชำระเงินสำหรับคำสั่งซื้อ #{} เรียบร้อยแล้ว ขอบคุณที่ใช้บริการ",
    declinedIntro: "การชำระเงินสำหรับคำสั่งซื้อ #{} ไม่สำเร็จ คำสั่งซื้อของคุณยังไม่ถูกชำระ กรุณาลองชำระเงินอีกครั้ง",
    items: "รายการสินค้า",
    itemsOmitted: "ดูรายการสินค้าทั้งหมดได้ที่หน้าคำสั่งซื้อของคุณ",
    amountPaid: "ยอดที่ชำระ",
    amountDeclined: "ยอดที่ทำรายการไม่สำเร็จ",
    amountNotReported: "ผู้ให้บริการชำระเงินไม่ได้แจ้งยอดเงิน",
    overpaid: "ชำระเกินยอดรวม {} ทีมงานจะติดต่อคุณเรื่องส่วนต่าง",
    subtotal: "ยอดรวมสินค้า",
    shipping: "ค่าจัดส่ง",
    discount: "ส่วนลด",
    total: "ยอดรวมทั้งสิ้น",
  },
  en: {
    paidSubject: "Payment received for order #{}",
    declinedSubject: "Payment declined for order #{}",
    greeting: (name?: string) => (name ? `Dear ${name},` : "Dear customer,"),
    paidIntro: "We have received your payment for order #{}. Thank you for your order.",
    declinedIntro: "Your payment for order #{} was declined. Your order is not paid yet; please try paying again.",
    items: "Items",
    itemsOmitted: "See all items on your order page.",
    amountPaid: "Amount paid",
    amountDeclined: "Amount declined",
    amountNotReported: "not reported by the payment provider",
    overpaid: "You paid {} more than the order total; we will contact you about the difference.",
    subtotal: "Subtotal",
    shipping: "Shipping",
    discount: "Discount",
    total: "Total",
  },
} as const;

/** `template` with its `{}` replaced by `value`. */
const fill = (template: string, value: string) => template.replace("{}", () => value);

/**
 * An amount in baht as `Intl.NumberFormat("th-TH", { style: "currency", currency: "THB" })`
 * writes it (`฿1,234.50`, `-฿50.00`), without building that formatter: setting up ICU's Thai
 * locale and currency data took 20 to 55 ms of the notifications function's first invocation
 * (BENCHMARKS.md, section 5). Rounded half away from zero on the decimal digits, as ICU does.
 */
export function formatBaht(value: number | null | undefined): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return "-";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const absolute = Math.abs(value);
  // `12.345e2` is read as 1234.5, where 12.345 * 100 is 1234.4999…: the decimal digits decide, not the binary value.
  const cents = absolute < 1e15 ? Math.round(Number(`${absolute}e2`)) : Math.round(absolute * 100);
  const whole = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}฿${whole}.${String(cents % 100).padStart(2, "0")}`;
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

function linesOf(order: Record<string, unknown>): Line[] {
  if (!Array.isArray(order.items)) return [];
  return order.items.map((item: Record<string, unknown>) => {
    const quantity = typeof item.quantity === "number" ? item.quantity : 1;
    const unitPrice = typeof item.unitPrice === "number" ? item.unitPrice : 0;
    // calculate-cost answers each item's lineTotal; an order as stored has only quantity and unitPrice.
    const total = typeof item.lineTotal === "number" ? item.lineTotal : Math.round(quantity * unitPrice * 100) / 100;
    return { name: String(item.name ?? item.sku ?? "-"), quantity, total };
  });
}

/** A labelled amount under the items; `emphasis` marks the lines the HTML shows in bold. */
interface SummaryLine {
  readonly label: string;
  readonly value: string;
  readonly emphasis?: true;
}

const amountOf = (order: Record<string, unknown>, field: string) =>
  typeof order[field] === "number" && Number.isFinite(order[field]) ? (order[field] as number) : undefined;

/**
 * The lines under the items: the recalculated order's subtotal, shipping, discount and total
 * (each only when the order has it, so the lines add up), then what was paid or declined.
 */
function summaryLines(content: EmailContent): { lines: SummaryLine[]; note: string | undefined } {
  const copy = COPY[content.locale];
  const paid = content.template === "paid";
  const lines: SummaryLine[] = [];
  const subtotal = amountOf(content.order, "subtotal");
  const shipping = amountOf(content.order, "shipping");
  const discount = amountOf(content.order, "discount");
  const grandTotal = amountOf(content.order, "grandTotal");
  if (subtotal !== undefined) lines.push({ label: copy.subtotal, value: formatBaht(subtotal) });
  if (shipping !== undefined) lines.push({ label: copy.shipping, value: formatBaht(shipping) });
  if (discount !== undefined && discount !== 0) lines.push({ label: copy.discount, value: `-${formatBaht(discount)}` });
  if (grandTotal !== undefined) lines.push({ label: copy.total, value: formatBaht(grandTotal), emphasis: true });
  const amountLabel = paid ? copy.amountPaid : copy.amountDeclined;
  // A callback without an amount is recorded as 0; the customer did not pay 0 THB.
  if (content.amountReported === false) lines.push({ label: amountLabel, value: copy.amountNotReported });
  else if (typeof content.amount === "number")
    lines.push({ label: amountLabel, value: formatBaht(content.amount), emphasis: true });
  const overpaid =
    paid && content.amountReported !== false && (content.overpaidAmount ?? 0) > 0
      ? fill(copy.overpaid, formatBaht(content.overpaidAmount))
      : undefined;
  return { lines, note: overpaid };
}

/**
 * The customer email for a paid or declined payment, in Thai or English, as HTML and text:
 * the items, the order's subtotal / shipping / discount / total lines as recalculated, the
 * amount paid or declined, and a note when the customer paid more than the total.
 */
export function renderEmail(content: EmailContent): RenderedEmail {
  const copy = COPY[content.locale];
  const paid = content.template === "paid";
  const subject = fill(paid ? copy.paidSubject : copy.declinedSubject, content.orderId);
  const intro = fill(paid ? copy.paidIntro : copy.declinedIntro, content.orderId);
  const lines = linesOf(content.order);
  const summary = summaryLines(content);

  const textItems = content.itemsOmitted
    ? [copy.itemsOmitted]
    : lines.map((l) => `- ${l.name} x ${l.quantity}: ${formatBaht(l.total)}`);
  const text = [
    copy.greeting(content.customerName),
    "",
    intro,
    "",
    `${copy.items}:`,
    ...textItems,
    "",
    ...summary.lines.map((l) => `${l.label}: ${l.value}`),
    ...(summary.note ? ["", summary.note] : []),
  ].join("\n");

  const htmlItems = content.itemsOmitted
    ? `<p>${escapeHtml(copy.itemsOmitted)}</p>`
    : `<table>${lines.map((l) => `<tr><td>${escapeHtml(l.name)}</td><td>x ${l.quantity}</td><td>${escapeHtml(formatBaht(l.total))}</td></tr>`).join("")}</table>`;
  const html = [
    `<!doctype html><html lang="${content.locale}"><body>`,
    `<p>${escapeHtml(copy.greeting(content.customerName))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<h3>${escapeHtml(copy.items)}</h3>`,
    htmlItems,
    `<table>${summary.lines.map((l) => `<tr><td>${escapeHtml(l.label)}</td><td>${l.emphasis ? `<strong>${escapeHtml(l.value)}</strong>` : escapeHtml(l.value)}</td></tr>`).join("")}</table>`,
    ...(summary.note ? [`<p>${escapeHtml(summary.note)}</p>`] : []),
    `</body></html>`,
  ].join("\n");
  return { subject, html, text };
}
