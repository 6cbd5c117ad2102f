import { getJson, postJson } from "./api.mjs";
import { el, replaceChildren } from "./dom.mjs";
import { shownRecords } from "./flow-view.mjs";

const rulesList = document.getElementById("rules-list");
const form = document.getElementById("explain-form");
const result = document.getElementById("explain-result");

function prettyPattern(pattern) {
  try {
    return JSON.stringify(JSON.parse(pattern), null, 2);
  } catch {
    return pattern;
  }
}

function ruleCard(rule) {
  return el(
    "article",
    { class: "rule", "data-rule": rule.name },
    el("h3", {}, rule.name, " ", el("span", { class: "muted" }, `${rule.state} · bus ${rule.eventBusName}`)),
    rule.eventPattern
      ? el("pre", { class: "json" }, prettyPattern(rule.eventPattern))
      : el("p", {}, `schedule ${rule.scheduleExpression}`),
    el(
      "table",
      { class: "grid" },
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ["target", "ARN", "retries", "max event age", "dead-letter queue"].map((name) => el("th", {}, name)),
        ),
      ),
      el(
        "tbody",
        {},
        rule.targets.map((target) =>
          el(
            "tr",
            {},
            el("td", {}, target.id),
            el("td", {}, target.arn),
            el("td", {}, target.retryPolicy.maximumRetryAttempts ?? "185 (default)"),
            el(
              "td",
              {},
              target.retryPolicy.maximumEventAgeSeconds === null
                ? "24 h (default)"
                : `${target.retryPolicy.maximumEventAgeSeconds} s`,
            ),
            el("td", {}, target.deadLetterArn ?? "none: failed events are dropped"),
          ),
        ),
      ),
    ),
  );
}

function explanationItem(match) {
  const head = el(
    "strong",
    { class: match.matches ? "match-yes" : "match-no" },
    match.matches ? "matches" : "no match",
  );
  const item = el(
    "li",
    { "data-rule": match.ruleName, "data-matches": String(match.matches) },
    head,
    " ",
    match.ruleName,
  );
  for (const mismatch of match.mismatches)
    item.append(
      el(
        "div",
        { class: "mismatch" },
        `field ${mismatch.field}: the pattern wants ${mismatch.expected}, the event has ${mismatch.actual}`,
      ),
    );
  if (match.note) item.append(el("div", { class: "muted" }, match.note));
  return item;
}

async function explain(body) {
  replaceChildren(result, el("li", { class: "muted" }, "checking…"));
  try {
    const answer = await postJson("rules/explain", body);
    form.elements.event.value = JSON.stringify(answer.event, null, 2);
    replaceChildren(result, answer.rules.map(explanationItem));
  } catch (error) {
    replaceChildren(result, el("li", { class: "match-no" }, error.message));
  }
}

function fillPicker() {
  const picker = form.elements.pick;
  const current = picker.value;
  const options = [...shownRecords.values()]
    .slice(0, 100)
    .map((record) =>
      el(
        "option",
        { value: record.key },
        `${record.detailType} · ${record.source}${record.orderId ? ` · order ${record.orderId}` : ""} · ${record.eventId.slice(0, 8)}`,
      ),
    );
  replaceChildren(picker, el("option", { value: "" }, "(paste one below)"), options);
  picker.value = current;
}

/** Wires the explain form. */
export function startRulesView() {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(form.elements.event.value);
    } catch (error) {
      replaceChildren(result, el("li", { class: "match-no" }, `the event is not JSON: ${error.message}`));
      return;
    }
    void explain({ event: parsed });
  });
  form.elements.pick.addEventListener("change", () => {
    const key = form.elements.pick.value;
    if (key) void explain({ key });
  });
}

/** Shows every bus's rules; with a flow record's key (`#rules/<key>`), explains that event at once. */
export async function showRules(key) {
  fillPicker();
  try {
    const rules = await getJson("rules");
    replaceChildren(rulesList, el("h2", {}, `${rules.length} rules`), rules.map(ruleCard));
  } catch (error) {
    replaceChildren(rulesList, el("p", { class: "match-no" }, error.message));
  }
  if (key) {
    form.elements.pick.value = shownRecords.has(key) ? key : "";
    await explain({ key });
  }
}
