import { getJson, query } from "./api.mjs";
import { append, clockTime, el, jsonBlock, replaceChildren } from "./dom.mjs";

/** Rows kept on the page: older ones are one "Load older" away (the server keeps the last 10 000). */
const MAX_ROWS = 500;
const PAGE_SIZE = 100;

const list = document.getElementById("flow-list");
const form = document.getElementById("flow-filter");
const olderButton = document.getElementById("flow-older");
const count = document.getElementById("flow-count");

/** The records shown, by key; the rules view picks events from it. */
export const shownRecords = new Map();
const rows = new Map();
let filter = {};
let nextBeforeSeq = null;
let matching = 0;

function matches(record) {
  return (
    (!filter.source || record.source === filter.source) &&
    (!filter.detailType || record.detailType === filter.detailType) &&
    (!filter.orderId || record.orderId === filter.orderId) &&
    (!filter.outcome || record.outcome === filter.outcome)
  );
}

/** Events caused by an event (an outcome names its confirmation), by the cause's event id. */
const followUps = new Map();

/** The event's deliveries and those of the events it caused (a confirmation's outcome): the whole flow. */
function chainDeliveries(record) {
  const chain = record.deliveries.map((delivery) => ({ event: record.detailType, delivery }));
  for (const key of followUps.get(record.eventId) ?? []) {
    const followUp = shownRecords.get(key);
    if (followUp) chain.push(...followUp.deliveries.map((delivery) => ({ event: followUp.detailType, delivery })));
  }
  return chain;
}

function deliverySummary(record) {
  const chain = chainDeliveries(record);
  const done = chain.filter(({ delivery }) => delivery.status === "delivered").length;
  return `${done}/${chain.length} delivered`;
}

function deliveriesTable(record) {
  const chain = chainDeliveries(record);
  if (chain.length === 0)
    return el("p", { class: "muted" }, record.rules.length ? "no delivery yet" : "no rule matched this event");
  return el(
    "table",
    { class: "grid deliveries" },
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        ["event", "rule", "target", "attempts", "time in target", "result", "dead letter / last error"].map((name) =>
          el("th", {}, name),
        ),
      ),
    ),
    el(
      "tbody",
      {},
      chain.map(({ event, delivery }) =>
        el(
          "tr",
          { class: "delivery", "data-target": delivery.targetId, "data-status": delivery.status },
          el("td", {}, event),
          el("td", {}, delivery.ruleName),
          el("td", {}, delivery.targetId),
          el("td", {}, delivery.attempts),
          el("td", {}, `${delivery.durationMs.toFixed(1)} ms`),
          el(
            "td",
            { class: `status-${delivery.status}` },
            `${delivery.status}${delivery.redelivery ? " (redrive)" : ""}`,
          ),
          el("td", {}, [
            delivery.deadLetterId ? `dead letter ${delivery.deadLetterId} · ` : "",
            delivery.lastError ?? "",
          ]),
        ),
      ),
    ),
  );
}

function rowBody(record) {
  const actions = el("div", { class: "actions" });
  if (record.orderId)
    append(actions, [el("a", { href: `#order/${encodeURIComponent(record.orderId)}` }, "Order timeline")]);
  append(actions, [el("a", { href: `#rules/${encodeURIComponent(record.key)}` }, "Explain rules")]);
  return el(
    "div",
    { class: "body" },
    actions,
    deliveriesTable(record),
    el(
      "p",
      { class: "muted" },
      `event ${record.eventId} on bus ${record.eventBusName}${record.replayName ? `, replay ${record.replayName}` : ""}`,
    ),
    jsonBlock(record.event),
  );
}

function summary(record) {
  return el(
    "summary",
    {},
    el("span", { title: record.time }, clockTime(record.time)),
    el("span", { class: "source", title: record.source }, record.source),
    el("span", { class: "detail-type", title: record.detailType }, record.detailType),
    el("span", { class: "order" }, record.orderId ?? ""),
    el("span", { class: "rules", title: record.rules.join(", ") }, record.rules.join(", ") || "—"),
    el("span", { class: "deliveries-summary" }, deliverySummary(record)),
    el(
      "span",
      { class: `outcome outcome-${record.outcome}` },
      record.replayName ? `${record.outcome} (replay)` : record.outcome,
    ),
  );
}

function renderRow(record, fresh) {
  const existing = rows.get(record.key);
  const row = el("details", {
    class: `flow-row${fresh ? " fresh" : ""}`,
    "data-key": record.key,
    "data-outcome": record.outcome,
  });
  if (existing?.open) row.open = true;
  append(row, [summary(record)]);
  // The body is built when opened: 500 rows of JSON would slow the first paint.
  if (row.open) append(row, [rowBody(record)]);
  row.addEventListener("toggle", () => {
    if (row.open && row.children.length === 1) append(row, [rowBody(shownRecords.get(record.key) ?? record)]);
  });
  return row;
}

/** Records the page remembers at most (the server's ring buffer holds 10 000). */
const MAX_REMEMBERED = 20_000;

function remember(record) {
  shownRecords.set(record.key, record);
  if (shownRecords.size > MAX_REMEMBERED) shownRecords.delete(shownRecords.keys().next().value);
  if (record.causeEventId) {
    const keys = followUps.get(record.causeEventId) ?? new Set();
    keys.add(record.key);
    followUps.set(record.causeEventId, keys);
  }
  addOption("known-sources", record.source);
  addOption("known-detail-types", record.detailType);
}

const known = new Map();
function addOption(listId, value) {
  const values = known.get(listId) ?? new Set();
  known.set(listId, values);
  if (values.has(value) || values.size > 200) return;
  values.add(value);
  document.getElementById(listId).append(el("option", { value }));
}

function showCount() {
  count.textContent = `${matching} event${matching === 1 ? "" : "s"}${rows.size < matching ? `, ${rows.size} shown` : ""}`;
  olderButton.hidden = nextBeforeSeq === null;
}

async function load(older) {
  const page = await getJson(
    `flow${query({ ...filter, limit: PAGE_SIZE, beforeSeq: older ? nextBeforeSeq : undefined })}`,
  );
  if (!older) {
    rows.clear();
    list.replaceChildren();
  }
  const fragment = document.createDocumentFragment();
  for (const record of page.records) {
    remember(record);
    const row = renderRow(record, false);
    rows.set(record.key, row);
    fragment.append(row);
  }
  list.append(fragment);
  nextBeforeSeq = page.nextBeforeSeq;
  matching = page.matching;
  showCount();
}

/** A record made or changed on the server: update its row, or put a new one on top. */
function onFlow(record) {
  remember(record);
  const existing = rows.get(record.key);
  if (!matches(record)) {
    if (existing) {
      existing.remove();
      rows.delete(record.key);
    }
    return;
  }
  const row = renderRow(record, true);
  if (existing) existing.replaceWith(row);
  else {
    list.prepend(row);
    matching += 1;
    if (rows.size >= MAX_ROWS) {
      const last = list.lastElementChild;
      rows.delete(last.dataset.key);
      last.remove();
      nextBeforeSeq ??= record.seq;
    }
  }
  rows.set(record.key, row);
  showCount();
  const causeRow = record.causeEventId ? rows.get(record.causeEventId) : undefined;
  if (causeRow) {
    const updated = renderRow(shownRecords.get(record.causeEventId), false);
    causeRow.replaceWith(updated);
    rows.set(record.causeEventId, updated);
  }
}

/** Wires the filter, paging and the live updates; loads the newest page. */
export function startFlowView() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    filter = Object.fromEntries([...new FormData(form)].filter(([, value]) => value !== ""));
    void load(false);
  });
  form.addEventListener("reset", () => {
    filter = {};
    setTimeout(() => void load(false));
  });
  olderButton.addEventListener("click", () => void load(true));
  document.addEventListener("console:flow", (event) => onFlow(event.detail));
  document.addEventListener("console:reconnected", () => void load(false));
  replaceChildren(list, el("p", { class: "muted" }, "loading…"));
  void load(false);
}
