import { showDeadLetters } from "./dead-letters-view.mjs";
import { startFlowView } from "./flow-view.mjs";
import { showMetrics } from "./metrics-view.mjs";
import { showOrder } from "./order-view.mjs";
import { showReplay, startReplayView } from "./replay-view.mjs";
import { showRules, startRulesView } from "./rules-view.mjs";

const VIEWS = {
  flow: () => undefined,
  order: (argument) => showOrder(argument),
  rules: (argument) => showRules(argument),
  "dead-letters": () => showDeadLetters(),
  replay: () => showReplay(),
  metrics: () => showMetrics(),
};

const tabs = [...document.querySelectorAll('[role="tab"]')];

/** Shows the view the address names: `#flow`, `#order/<id>`, `#rules/<flow key>`, `#dead-letters`, `#replay`, `#metrics`. */
function route() {
  const [name, ...rest] = location.hash.slice(1).split("/");
  const view = name in VIEWS ? name : "flow";
  const argument = rest.length ? decodeURIComponent(rest.join("/")) : undefined;
  for (const tab of tabs) {
    const selected = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  VIEWS[view](argument);
}

for (const tab of tabs) {
  tab.addEventListener("click", () => {
    location.hash = tab.dataset.view;
  });
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  tab.addEventListener("keydown", (event) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    next.focus();
    location.hash = next.dataset.view;
  });
}

// "/" focuses the flow filter, as in many consoles.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? "")) return;
  event.preventDefault();
  location.hash = "flow";
  document.querySelector("#flow-filter input")?.focus();
});

/** Server-Sent Events: each flow record as it is made or changes, each replay's progress. No polling. */
function connect() {
  const status = document.getElementById("connection");
  const source = new EventSource("/_local/flow/stream");
  let dropped = false;
  source.addEventListener("open", () => {
    status.textContent = "live";
    // Records made while the stream was down were not pushed: read the flow again.
    if (dropped) document.dispatchEvent(new CustomEvent("console:reconnected"));
    dropped = false;
  });
  source.addEventListener("error", () => {
    status.textContent = "reconnecting…";
    dropped = true;
  });
  for (const type of ["flow", "replay"]) {
    source.addEventListener(type, (message) => {
      document.dispatchEvent(new CustomEvent(`console:${type}`, { detail: JSON.parse(message.data) }));
    });
  }
}

window.addEventListener("hashchange", route);
startFlowView();
startRulesView();
startReplayView();
connect();
route();
