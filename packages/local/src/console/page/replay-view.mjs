import { getJson, postJson } from "./api.mjs";
import { byteSize, clockTime, el, replaceChildren } from "./dom.mjs";

const archivesTable = document.querySelector("#archives tbody");
const replaysTable = document.querySelector("#replays tbody");
const form = document.getElementById("replay-form");
const startButton = document.getElementById("replay-start");
const resultLine = document.getElementById("replay-result");
const preview = document.getElementById("replay-preview");
const rulesBox = document.getElementById("replay-rules");

let archives = [];
let rules = [];
/** The request the last dry run answered: Start replays exactly that. */
let dryRunRequest;

function request() {
  const data = new FormData(form);
  return {
    archiveName: data.get("archiveName"),
    start: new Date(data.get("start")).toISOString(),
    end: new Date(data.get("end")).toISOString(),
    ruleArns: data.getAll("ruleArn"),
  };
}

function replayRow(replay) {
  const total = replay.eventsTotal;
  return el(
    "tr",
    { "data-replay": replay.name, "data-state": replay.state },
    el("td", {}, replay.name),
    el("td", {}, replay.archiveName),
    el("td", {}, `${replay.eventStartTime} … ${replay.eventEndTime}`),
    el("td", { class: "state" }, replay.state, replay.stateReason ? ` (${replay.stateReason})` : ""),
    el(
      "td",
      {},
      el("progress", { max: Math.max(1, total), value: replay.eventsReplayed }),
      ` ${replay.eventsReplayed}/${total}`,
    ),
  );
}

function fillRules() {
  const archive = archives.find((candidate) => candidate.name === form.elements.archiveName.value);
  const ofBus = rules.filter((rule) => rule.eventBusName === archive?.eventBusName && rule.eventPattern);
  const ticked = new Set(new FormData(form).getAll("ruleArn"));
  replaceChildren(
    rulesBox,
    ofBus.map((rule) =>
      el(
        "label",
        {},
        el("input", { type: "checkbox", name: "ruleArn", value: rule.arn, checked: ticked.has(rule.arn) }),
        rule.name,
      ),
    ),
  );
}

function invalidateDryRun() {
  dryRunRequest = undefined;
  startButton.disabled = true;
}

/** Archives (size, window), the replay form and the replays with their progress. */
export async function showReplay() {
  try {
    const [overview, ruleViews] = await Promise.all([getJson("archives"), getJson("rules")]);
    archives = overview.archives;
    rules = ruleViews;
    replaceChildren(
      archivesTable,
      archives.map((archive) =>
        el(
          "tr",
          { "data-archive": archive.name },
          el("td", {}, archive.name),
          el("td", {}, archive.eventBusName),
          el("td", {}, archive.state),
          el("td", {}, archive.eventCount),
          el("td", {}, byteSize(archive.sizeBytes)),
          el("td", {}, `${archive.retentionDays} days`),
          el("td", {}, archive.firstEventTime ? `${archive.firstEventTime} … ${archive.lastEventTime}` : "empty"),
        ),
      ),
    );
    const select = form.elements.archiveName;
    const current = select.value;
    replaceChildren(
      select,
      archives.map((archive) => el("option", { value: archive.name }, archive.name)),
    );
    if (current) select.value = current;
    const chosen = archives.find((archive) => archive.name === select.value);
    if (chosen?.firstEventTime && !form.elements.start.value) {
      form.elements.start.value = new Date(Date.parse(chosen.firstEventTime) - 1000).toISOString();
      form.elements.end.value = new Date(Date.parse(chosen.lastEventTime) + 1000).toISOString();
    }
    fillRules();
    replaceChildren(replaysTable, overview.replays.map(replayRow));
  } catch (error) {
    resultLine.textContent = error.message;
  }
}

async function dryRun() {
  invalidateDryRun();
  let body;
  try {
    body = request();
  } catch {
    resultLine.textContent = "from and to must be times, e.g. 2026-12-03T09:00:00Z";
    return;
  }
  resultLine.textContent = "dry run…";
  try {
    const items = await postJson("replay-preview", body);
    const byRule = new Map();
    for (const item of items) for (const rule of item.rules) byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    resultLine.textContent = `dry run: ${items.length} archived events in the window would be replayed${byRule.size ? ` (${[...byRule].map(([rule, n]) => `${n} to ${rule}`).join(", ")})` : ""}; nothing was delivered.`;
    replaceChildren(
      preview,
      items
        .slice(0, 200)
        .map((item) =>
          el(
            "li",
            {},
            `${clockTime(item.time)} ${item.detailType} order ${item.orderId ?? "-"} → ${item.rules.join(", ") || "no rule"}`,
          ),
        ),
    );
    dryRunRequest = body;
    startButton.disabled = items.length === 0;
  } catch (error) {
    resultLine.textContent = `dry run refused: ${error.message}`;
  }
}

async function start() {
  if (!dryRunRequest) return;
  startButton.disabled = true;
  try {
    const started = await postJson("replays", dryRunRequest);
    resultLine.textContent = `replay ${started.replayName} started (${started.state})`;
  } catch (error) {
    resultLine.textContent = `replay refused: ${error.message}`;
  }
  dryRunRequest = undefined;
  await showReplay();
}

/** Wires the form and the live progress of replays. */
export function startReplayView() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void dryRun();
  });
  form.addEventListener("input", invalidateDryRun);
  form.elements.archiveName.addEventListener("change", fillRules);
  startButton.addEventListener("click", () => void start());
  document.addEventListener("console:replay", (event) => {
    const progress = event.detail;
    const row = replaysTable.querySelector(`tr[data-replay="${CSS.escape(progress.replayName)}"]`);
    if (!row) {
      if (!document.getElementById("view-replay").hidden) void showReplay();
      return;
    }
    row.dataset.state = progress.state;
    replaceChildren(row.querySelector(".state"), progress.state);
    const bar = row.querySelector("progress");
    bar.max = Math.max(1, progress.eventsTotal);
    bar.value = progress.eventsReplayed;
    bar.nextSibling.textContent = ` ${progress.eventsReplayed}/${progress.eventsTotal}`;
  });
}
