/** `audit-log` → `AuditLog`: construct ids, output keys and statement ids are alphanumeric. */
export function constructId(kebabName: string): string {
  return kebabName
    .split("-")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}
