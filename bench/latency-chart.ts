import type { EndToEndResult } from "./end-to-end";

const WIDTH = 900;
const PANEL_HEIGHT = 260;
const MARGIN = { left: 64, right: 24, top: 40, bottom: 44 };

/** About five round tick values from 0 to at least `max`. */
function ticks(max: number): number[] {
  const safeMax = max > 0 ? max : 1;
  const raw = safeMax / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((s) => s * magnitude).find((s) => s >= raw)!;
  return Array.from({ length: Math.ceil(safeMax / step) + 1 }, (_, i) => Number((i * step).toPrecision(10)));
}

const escapeXmlText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const format = (value: number) =>
  value >= 100 ? Math.round(value).toLocaleString("en-US") : String(Number(value.toPrecision(3)));

interface Panel {
  readonly top: number;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly xMax: number;
  readonly yMax: number;
}

/** Axes, grid and labels of one panel; returns the SVG and the data-to-pixel mappings. */
function panel(p: Panel): { svg: string[]; x: (value: number) => number; y: (value: number) => number } {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const xTicks = ticks(p.xMax);
  const yTicks = ticks(p.yMax);
  const xEnd = xTicks.at(-1)!;
  const yEnd = yTicks.at(-1)!;
  const x = (value: number) => MARGIN.left + (value / xEnd) * plotWidth;
  const y = (value: number) => p.top + MARGIN.top + plotHeight - (value / yEnd) * plotHeight;
  const svg = [
    `<text x="${MARGIN.left}" y="${p.top + 24}" font-size="15" font-weight="bold">${escapeXmlText(p.title)}</text>`,
    ...yTicks.map(
      (t) =>
        `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e3e3e3"/><text x="${MARGIN.left - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${format(t)}</text>`,
    ),
    ...xTicks.map(
      (t) =>
        `<text x="${x(t)}" y="${p.top + PANEL_HEIGHT - MARGIN.bottom + 16}" font-size="11" text-anchor="middle">${format(t)}</text>`,
    ),
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0)}" y2="${y(0)}" stroke="#444"/>`,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${p.top + PANEL_HEIGHT - 8}" font-size="12" text-anchor="middle">${escapeXmlText(p.xLabel)}</text>`,
    `<text transform="translate(16 ${p.top + MARGIN.top + plotHeight / 2}) rotate(-90)" font-size="12" text-anchor="middle">${escapeXmlText(p.yLabel)}</text>`,
  ];
  return { svg, x, y };
}

/**
 * The latency distribution of the loaded run (histogram with p50/p95/p99, and the unloaded
 * p50 for reference) above its throughput per second, as one self-contained SVG.
 */
export function renderLatencyChart(loaded: EndToEndResult, unloaded: EndToEndResult, subtitle: string): string {
  const { binMs, counts } = loaded.latencyHistogram;
  const latency = panel({
    top: 30,
    title: `Latency, PutEvents → audit row and email written (${loaded.confirmations.toLocaleString("en-US")} confirmations, ${loaded.concurrency} in flight)`,
    xLabel: "latency (ms); the last bar also holds anything slower",
    yLabel: "confirmations",
    xMax: counts.length * binMs,
    yMax: Math.max(1, ...counts),
  });
  const bars = counts.map((count, index) => {
    const x0 = latency.x(index * binMs);
    const width = Math.max(1, latency.x((index + 1) * binMs) - x0 - 1);
    return `<rect x="${x0.toFixed(1)}" y="${latency.y(count).toFixed(1)}" width="${width.toFixed(1)}" height="${(latency.y(0) - latency.y(count)).toFixed(1)}" fill="#4e79a7"/>`;
  });
  const marker = (value: number, label: string, color: string, row: number) => {
    const x = latency.x(Math.min(value, counts.length * binMs));
    return `<line x1="${x}" x2="${x}" y1="${30 + MARGIN.top}" y2="${latency.y(0)}" stroke="${color}" stroke-width="2" stroke-dasharray="5 3"/><text x="${x + 4}" y="${30 + MARGIN.top + 12 + row * 14}" font-size="11" fill="${color}">${escapeXmlText(`${label} ${format(value)} ms`)}</text>`;
  };
  const markers = [
    marker(unloaded.latencyMs.p50, "unloaded p50", "#59a14f", 0),
    marker(loaded.latencyMs.p50, "p50", "#e15759", 0),
    marker(loaded.latencyMs.p95, "p95", "#f28e2b", 1),
    marker(loaded.latencyMs.p99, "p99", "#b07aa1", 2),
  ];

  const seconds = loaded.throughputOverTime;
  const top2 = 30 + PANEL_HEIGHT + 20;
  const throughput = panel({
    top: top2,
    title: `Throughput over time (mean ${format(loaded.throughputPerSecond)} confirmations/s)`,
    xLabel: "seconds since the first PutEvents",
    yLabel: "confirmations completed per second",
    xMax: Math.max(1, seconds.length),
    yMax: Math.max(1, ...seconds.map((s) => s.completed)),
  });
  const points = seconds
    .map((s) => `${throughput.x(s.second - 0.5).toFixed(1)},${throughput.y(s.completed).toFixed(1)}`)
    .join(" ");
  const meanY = throughput.y(loaded.throughputPerSecond);

  const height = top2 + PANEL_HEIGHT + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="20" font-size="12" fill="#555">${escapeXmlText(subtitle)}</text>`,
    ...latency.svg,
    ...bars,
    ...markers,
    ...throughput.svg,
    `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${meanY}" y2="${meanY}" stroke="#e15759" stroke-dasharray="5 3"/>`,
    `<polyline points="${points}" fill="none" stroke="#4e79a7" stroke-width="2"/>`,
    ...seconds.map(
      (s) =>
        `<circle cx="${throughput.x(s.second - 0.5).toFixed(1)}" cy="${throughput.y(s.completed).toFixed(1)}" r="2.5" fill="#4e79a7"/>`,
    ),
    "</svg>",
    "",
  ].join("\n");
}
