import type { FaultCount } from "../faults/index";
import type { InvariantReport } from "./invariants";

export interface FaultMatrixRow {
  readonly label: string;
  /** Faults injected (each failed call); undefined for the rows that are not a fault kind. */
  readonly injected?: number;
  /** Orders of the run named by at least one of those faults. */
  readonly orders: number;
  /** Of those orders, the ones that ended with every invariant holding. */
  readonly survived: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly wrong: number;
}

/**
 * The fault matrix: per fault kind, how many faults were injected and what became of the orders
 * they hit (an order hit by several kinds counts in each row). "no fault" are the orders no
 * injected fault named; "all orders" is the whole run.
 */
export function buildFaultMatrix(
  counts: readonly FaultCount[],
  orderIds: readonly string[],
  invariants: InvariantReport,
): FaultMatrixRow[] {
  const inRun = new Set(orderIds);
  const row = (label: string, orders: Iterable<string>, injected?: number): FaultMatrixRow => {
    let total = 0;
    let survived = 0;
    let lost = 0;
    let duplicated = 0;
    let wrong = 0;
    for (const orderId of orders) {
      if (!inRun.has(orderId)) continue;
      total += 1;
      const kinds = invariants.byOrder.get(orderId);
      if (!kinds || kinds.size === 0) survived += 1;
      if (kinds?.has("lost")) lost += 1;
      if (kinds?.has("duplicated")) duplicated += 1;
      if (kinds?.has("wrong")) wrong += 1;
    }
    return { label, ...(injected === undefined ? {} : { injected }), orders: total, survived, lost, duplicated, wrong };
  };
  const hit = new Set(counts.flatMap((count) => [...count.orderIds]));
  return [
    ...counts.map((count) => row(count.kind, count.orderIds, count.injected)),
    row(
      "no fault",
      orderIds.filter((orderId) => !hit.has(orderId)),
    ),
    row(
      "all orders",
      orderIds,
      counts.reduce((sum, count) => sum + count.injected, 0),
    ),
  ];
}

/** The matrix as a Markdown table (prints well in a terminal too). */
export function formatFaultMatrix(rows: readonly FaultMatrixRow[]): string {
  const header = ["fault kind", "injected", "orders hit", "survived", "lost", "duplicated", "wrong outcome"];
  const lines = rows.map((row) => [
    row.label,
    row.injected === undefined ? "" : String(row.injected),
    String(row.orders),
    String(row.survived),
    String(row.lost),
    String(row.duplicated),
    String(row.wrong),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(" | ")} |`;
  return [
    format(header),
    `|${widths.map((width, column) => (column === 0 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`,
    ...lines.map(format),
  ].join("\n");
}
