import { PLAIN_STYLE, type TerminalStyle } from "./terminal-style";

/** Terminal width every table fits, whatever its cells hold. */
export const TABLE_WIDTH = 120;
const MIN_COLUMN_WIDTH = 8;
const GAP = "  ";

export interface TableOptions {
  readonly maxWidth?: number;
  readonly style?: TerminalStyle;
}

/** A cell cut to `width` characters, the cut marked with "…". */
function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Rows as an aligned text table with a header line, at most `maxWidth` (120) columns wide:
 * while it is too wide, the widest column is narrowed and its long cells are cut with "…".
 * Use `--json` for the full values.
 */
export function formatTable(rows: readonly Record<string, string | number>[], options: TableOptions = {}): string {
  if (rows.length === 0) return "";
  const maxWidth = options.maxWidth ?? TABLE_WIDTH;
  const style = options.style ?? PLAIN_STYLE;
  const columns = Object.keys(rows[0]!);
  const cell = (row: Record<string, string | number>, column: string) =>
    String(row[column] ?? "").replace(/\s*\n\s*/g, " ");
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row, column).length)));
  const total = () => widths.reduce((sum, width) => sum + width, 0) + GAP.length * (widths.length - 1);
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN_WIDTH) break;
    widths[widest] = Math.max(MIN_COLUMN_WIDTH, widths[widest]! - (total() - maxWidth));
  }
  const line = (cells: string[]) =>
    cells
      .map((value, i) => fit(value, widths[i]!).padEnd(widths[i]!))
      .join(GAP)
      .trimEnd();
  return [
    style.bold(line(columns)),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map((row) => line(columns.map((c) => cell(row, c)))),
  ].join("\n");
}
