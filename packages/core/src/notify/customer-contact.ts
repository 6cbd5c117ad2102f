export type Locale = "th" | "en";

export interface CustomerContact {
  readonly email: string | undefined;
  readonly name: string | undefined;
  /** Thai unless the order says English. */
  readonly locale: Locale;
}

const text = (value: unknown) => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

/** Where and how to write to the customer of an order (`customer.email`, `customer.name`, `customer.locale`). */
export function customerContactOf(order: Record<string, unknown>): CustomerContact {
  const customer = (typeof order.customer === "object" && order.customer !== null ? order.customer : {}) as Record<
    string,
    unknown
  >;
  const email = text(customer.email) ?? text(order.email);
  const locale = String(customer.locale ?? order.locale ?? "th")
    .toLowerCase()
    .startsWith("en")
    ? "en"
    : "th";
  return { email: email && /^[^@\s]+@[^@\s]+$/.test(email) ? email : undefined, name: text(customer.name), locale };
}

/** `somchai@example.com` → `s*****i@example.com`: enough to tell addresses apart in logs, not to use them. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = email.slice(0, at);
  const masked = local.length <= 2 ? `${local[0]}*` : `${local[0]}${"*".repeat(local.length - 2)}${local.at(-1)}`;
  return `${masked}${email.slice(at)}`;
}

/** `+66812345678` → `********5678`. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, "");
  return digits.length <= 4 ? "****" : `${"*".repeat(digits.length - 4)}${digits.slice(-4)}`;
}

/** Masks every email address inside a text (an SES error names the address it refused). */
export function maskEmailsIn(text: string): string {
  return text.replace(/[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[A-Za-z]{2,}/g, (address) => maskEmail(address));
}
