/**
 * The JSONPath subset EventBridge evaluates in `InputPath` and `InputPathsMap`: `$`, dot notation (names may hold
 * dashes, underscores and slashes), array indices `[0]` and wildcards `*` / `[*]`. Bracket notation for names is
 * not supported, as on AWS. [DOC eb-transform-target-input]
 */
export type JsonPathSegment =
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "index"; readonly index: number }
  | { readonly kind: "wildcard" };

export interface ParsedJsonPath {
  readonly segments: readonly JsonPathSegment[];
  /** True when a wildcard makes the result a list of every match. */
  readonly multiple: boolean;
}

/** Parses a path in the supported subset; `undefined` when the path uses anything else. */
export function parseJsonPath(path: string): ParsedJsonPath | undefined {
  if (!path.startsWith("$")) return undefined;
  const segments: JsonPathSegment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match = /^\.([^.[\]]+)/.exec(rest) ?? /^\[(\*|\d+)\]/.exec(rest);
    if (!match || match[1] === undefined) return undefined;
    const token = match[1];
    if (token === "*") segments.push({ kind: "wildcard" });
    else if (match[0].startsWith("[")) segments.push({ kind: "index", index: Number(token) });
    else segments.push({ kind: "name", name: token });
    rest = rest.slice(match[0].length);
  }
  return { segments, multiple: segments.some((segment) => segment.kind === "wildcard") };
}

/**
 * Reads `path` from `document`. Returns `undefined` when the path matches nothing (or is outside the subset); with a
 * wildcard, returns the array of all matches.
 */
export function readJsonPath(document: unknown, path: string | ParsedJsonPath): unknown {
  const parsed = typeof path === "string" ? parseJsonPath(path) : path;
  if (!parsed) return undefined;
  let current: unknown[] = [document];
  for (const segment of parsed.segments) {
    current = current.flatMap((value) => step(value, segment));
    if (current.length === 0) return undefined;
  }
  return parsed.multiple ? current : current[0];
}

function step(value: unknown, segment: JsonPathSegment): unknown[] {
  if (typeof value !== "object" || value === null) return [];
  if (segment.kind === "wildcard") return Array.isArray(value) ? value : Object.values(value);
  if (segment.kind === "index") {
    return Array.isArray(value) && segment.index < value.length ? [value[segment.index]] : [];
  }
  if (Array.isArray(value) || !Object.hasOwn(value, segment.name)) return [];
  return [(value as Record<string, unknown>)[segment.name]];
}
