import { getJson, postJson, query } from "./api.mjs";
import { clockTime, el, replaceChildren } from "./dom.mjs";

const table = document.querySelector("#dead-letters tbody");
const ruleForm = document.getElementById("redrive-rule-form");
const resultLine = document.getElementById("redrive-result");
const detail = document.getElementById("dead-letter-detail");

function describeReport(report) {
  const parts = report.results.map(
    (one) =>
      `${one.deadLetterId.slice(0, 8)} → ${one.targetId}: ${one.status}${one.errorMessage ? ` (${one.errorMessage})` : ""}`,
  );
  return `redrive: ${report.delivered} delivered, ${report.failed} failed${parts.length ? ` — ${parts.join("; ")}` : ""}`;
}

async function redrive(selection) {
  resultLine.textContent = "redriving…";
  try {
    resultLine.textContent = describeReport(await postJson("dead-letters/redrive", selection));
  } catch (error) {
    resultLine.textContent = `redrive refused: ${error.message}`;
  }
  await showDeadLetters();
}

async function show(id) {
  detail.hidden = false;
  try {
    detail.textContent = JSON.stringify(await getJson(`dead-letters/${encodeURIComponent(id)}`), null, 2);
  } catch (error) {
    detail.textContent = error.message;
  }
}

function row(letter) {
  const showButton = el("button", { type: "button" }, "Show");
  showButton.addEventListener("click", () => void show(letter.id));
  const redriveButton = el("button", { type: "button", class: "redrive" }, "Redrive");
  redriveButton.addEventListener("click", () => void redrive({ ids: [letter.id] }));
  return el(
    "tr",
    { "data-id": letter.id, "data-rule": letter.ruleName },
    el("td", { title: letter.time }, clockTime(letter.time)),
    el("td", {}, letter.ruleName),
    el("td", {}, letter.targetId),
    el("td", {}, letter.detailType),
    el("td", {}, letter.orderId ?? ""),
    el("td", {}, letter.retryAttempts),
    el("td", {}, letter.error),
    el("td", {}, el("div", { class: "actions" }, showButton, redriveButton)),
  );
}

/** Lists the dead letters (the bus's and failed async invocations), with the rules to redrive all of. */
export async function showDeadLetters() {
  try {
    const letters = await getJson(`dead-letters${query({})}`);
    replaceChildren(
      table,
      letters.length ? letters.map(row) : el("tr", {}, el("td", { colspan: 8, class: "muted" }, "no dead letters")),
    );
    const select = ruleForm.elements.rule;
    const current = select.value;
    const rules = [...new Set(letters.map((letter) => letter.ruleName).filter((name) => name !== "-"))];
    replaceChildren(
      select,
      rules.map((name) => el("option", { value: name }, name)),
    );
    if (rules.includes(current)) select.value = current;
  } catch (error) {
    replaceChildren(table, el("tr", {}, el("td", { colspan: 8 }, error.message)));
  }
}

ruleForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const rule = ruleForm.elements.rule.value;
  if (rule) void redrive({ rule });
});
document.getElementById("dead-letters-refresh").addEventListener("click", () => void showDeadLetters());
document.addEventListener("console:flow", (event) => {
  const view = document.getElementById("view-dead-letters");
  if (!view.hidden && event.detail.outcome === "dead-lettered") void showDeadLetters();
});
