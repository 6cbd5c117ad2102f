const thb = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An amount in baht as the CLI prints it: `1,234.50 THB`; a value that is not a number as it is. */
export function formatThb(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return `${thb.format(value)} THB`;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return `${thb.format(Number(value))} THB`;
  return String(value);
}
