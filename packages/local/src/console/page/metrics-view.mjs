import { getJson } from "./api.mjs";
import { el, replaceChildren } from "./dom.mjs";

const table = document.querySelector("#metrics tbody");
const since = document.getElementById("metrics-since");
let pending;

/** The subscriptions' business counts since the runtime started. */
export async function showMetrics() {
  try {
    const report = await getJson("business-metrics");
    since.textContent = `since ${report.since}`;
    const counts = Object.entries(report.counts).sort(([a], [b]) => a.localeCompare(b));
    replaceChildren(
      table,
      counts.length
        ? counts.map(([name, count]) => el("tr", { "data-metric": name }, el("td", {}, name), el("td", {}, count)))
        : el("tr", {}, el("td", { colspan: 2, class: "muted" }, "nothing counted yet")),
    );
  } catch (error) {
    since.textContent = error.message;
  }
}

// Counts change when deliveries settle: refresh (at most twice a second) while the view is open.
document.addEventListener("console:flow", () => {
  if (document.getElementById("view-metrics").hidden || pending) return;
  pending = setTimeout(() => {
    pending = undefined;
    void showMetrics();
  }, 500);
});
