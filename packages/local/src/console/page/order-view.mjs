import { getJson } from "./api.mjs";
import { append, el, jsonBlock, replaceChildren, safeLink } from "./dom.mjs";

const form = document.getElementById("order-form");
const summaryLine = document.getElementById("order-summary");
const timeline = document.getElementById("order-timeline");

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const orderId = new FormData(form).get("orderId").trim();
  if (orderId) location.hash = `order/${encodeURIComponent(orderId)}`;
});

function entryItem(entry) {
  const details = el(
    "details",
    {},
    el(
      "summary",
      {},
      el("time", { datetime: entry.time }, entry.time),
      " ",
      el("span", { class: "kind" }, entry.kind),
      " ",
      el("strong", {}, entry.title),
      " — ",
      entry.summary,
    ),
  );
  if (entry.link) append(details, [el("p", {}, safeLink(entry.link, "open the mail page"))]);
  append(details, [jsonBlock(entry.data)]);
  return el("li", { "data-kind": entry.kind }, details);
}

/** Shows the order's timeline (the address `#order/<id>`). */
export async function showOrder(orderId) {
  if (!orderId) return;
  form.elements.orderId.value = orderId;
  summaryLine.textContent = `loading order ${orderId}…`;
  try {
    const result = await getJson(`orders/${encodeURIComponent(orderId)}/timeline`);
    summaryLine.textContent = `order ${result.orderId}: ${result.exists ? "in the order table" : "not in the order table"}, ${result.entries.length} entries, oldest first`;
    replaceChildren(timeline, result.entries.map(entryItem));
  } catch (error) {
    summaryLine.textContent = `could not read order ${orderId}: ${error.message}`;
    timeline.replaceChildren();
  }
}
