// Every value from the runtime is untrusted (event data): it only ever reaches the page as text
// (textContent, attribute values), never as HTML.

/**
 * Makes an element: `attributes` are set as attributes (`on*` names are refused: handlers go through `on`),
 * children are nodes or text (strings and numbers become text nodes).
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`el(): set handlers with addEventListener, not the ${name} attribute`);
    element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (nodes, or anything else as its text). */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/** A `<pre>` with the value as indented JSON text. */
export function jsonBlock(value) {
  return el("pre", { class: "json" }, JSON.stringify(value, null, 2));
}

/** An `<a>` to an http(s) or same-origin address; anything else (a `javascript:` URL) becomes plain text. */
export function safeLink(href, text) {
  const url = new URL(href, document.baseURI);
  if (url.protocol !== "http:" && url.protocol !== "https:") return document.createTextNode(text);
  return el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, text);
}

// One formatter for every row: toLocaleTimeString with a locale builds a new one per call, slow over 100s of rows.
const CLOCK = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** `12:03:04.120` of an ISO time (local time), or the text as given when it is not one. */
export function clockTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${CLOCK.format(date)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

/** `1.2 kB` */
export function byteSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
