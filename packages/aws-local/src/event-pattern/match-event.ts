import type { LeafMatcher } from "./compile-leaf";
import type { PatternBranch, PatternField } from "./expand-pattern-branches";

const NO_MATCH = 0;
/** Matched by a value that sits in no event array: it constrains no other field. */
const FREE_MATCH = 1;
/** Matched only by values inside event arrays: other fields must agree on the array elements. */
const ARRAY_MATCH = 2;
type FieldResult = typeof NO_MATCH | typeof FREE_MATCH | typeof ARRAY_MATCH;

/** Where a value sits: pairs of (event array, index) for every array on its path, outermost first. */
type ArrayMembership = readonly unknown[];

interface KeyStep {
  readonly key: string;
  readonly next: number;
  /** The key also names an Object.prototype member, so a plain lookup could find an inherited one. */
  readonly guarded: boolean;
}

let currentGeneration = 0;

/**
 * Builds the matcher for compiled branches: true when some branch has all its fields matched.
 * Everything about the pattern is decided here; a call only walks the event.
 */
export function createEventMatcher(branches: readonly PatternBranch[]): (event: unknown) => boolean {
  const matchers = new Map<PatternField, FieldMatcher>();
  const compiled = branches.map((branch) =>
    branch.map((field) => {
      let matcher = matchers.get(field);
      if (matcher === undefined) {
        matcher = new FieldMatcher(field.path, field.leaf);
        matchers.set(field, matcher);
      }
      return matcher;
    }),
  );
  return (event) => {
    // Branches forked from one $or share fields; the generation lets a shared field answer once per event.
    const generation = ++currentGeneration;
    for (const branch of compiled) if (matchesBranch(branch, event, generation)) return true;
    return false;
  };
}

function matchesBranch(fields: readonly FieldMatcher[], event: unknown, generation: number): boolean {
  let arrayMatches = 0;
  for (const field of fields) {
    const result = field.evaluate(event, generation);
    if (result === NO_MATCH) return false;
    if (result === ARRAY_MATCH) arrayMatches++;
  }
  if (arrayMatches < 2) return true;
  // Array consistency: fields matched inside the same event array must match in the same element, so
  // {"firstName":["Anna"],"lastName":["Jones"]} does not match [Anna Smith, Peter Jones]. This is
  // event-ruler's rulesForJSONEvent behaviour; EventBridge's own choice is unconfirmed [semantics §9].
  const constrained = fields.filter((field) => field.lastResult === ARRAY_MATCH);
  const candidates = constrained.map((field) => field.collectMemberships(event));
  return chooseConsistent(candidates, 0, []);
}

function chooseConsistent(
  candidates: readonly (readonly ArrayMembership[])[],
  index: number,
  chosen: ArrayMembership[],
): boolean {
  const options = candidates[index];
  if (options === undefined) return true;
  for (const option of options) {
    if (!chosen.every((other) => agree(other, option))) continue;
    chosen.push(option);
    if (chooseConsistent(candidates, index + 1, chosen)) return true;
    chosen.pop();
  }
  return false;
}

function agree(a: ArrayMembership, b: ArrayMembership): boolean {
  for (let i = 0; i < a.length; i += 2) {
    for (let j = 0; j < b.length; j += 2) {
      if (a[i] === b[j] && a[i + 1] !== b[j + 1]) return false;
    }
  }
  return true;
}

/**
 * Finds the values of one dotted path in an event and tests them against one leaf. Event arrays are
 * crushed: every element is looked at, also through nested arrays, so `{"a":{"b":[1]}}` matches
 * `{"a":[{"b":1}]}` [DOC arrays, ER README]. A path step may be one event key or several joined with
 * dots, so the pattern key `"state.status"` finds `state → status` and the event key
 * `"state.status"` is found by `state → status` [ER README, LS-AWS dot_joining_*].
 */
class FieldMatcher {
  private readonly steps: readonly (readonly KeyStep[])[];
  private readonly depth: number;
  private readonly matchesValue: LeafMatcher["matchesValue"];
  private readonly hasValueOperators: boolean;
  private readonly acceptsAbsence: boolean;
  private sawValue = false;
  private sawArrayMatch = false;
  private sawFreeMatch = false;
  private generation = -1;
  lastResult: FieldResult = NO_MATCH;

  constructor(path: string, leaf: LeafMatcher) {
    const segments = path.split(".");
    this.depth = segments.length;
    this.steps = segments.map((_, start) =>
      segments.slice(start).map((__, offset) => {
        const key = segments.slice(start, start + offset + 1).join(".");
        return { key, next: start + offset + 1, guarded: key in Object.prototype };
      }),
    );
    this.matchesValue = leaf.matchesValue;
    this.hasValueOperators = leaf.hasValueOperators;
    this.acceptsAbsence = leaf.acceptsAbsence;
  }

  evaluate(event: unknown, generation: number): FieldResult {
    if (generation === this.generation) return this.lastResult;
    this.generation = generation;
    this.sawValue = false;
    this.sawArrayMatch = false;
    this.sawFreeMatch = false;
    this.visit(event, 0, false);
    if (this.sawFreeMatch) this.lastResult = FREE_MATCH;
    else if (this.sawArrayMatch) this.lastResult = ARRAY_MATCH;
    // exists:false holds when the path has no value: absent, an object, or an empty array [DOC filt, LS-AWS].
    else if (!this.sawValue && this.acceptsAbsence) this.lastResult = FREE_MATCH;
    else this.lastResult = NO_MATCH;
    return this.lastResult;
  }

  /** Every place in the event where a value passing the leaf sits. */
  collectMemberships(event: unknown): ArrayMembership[] {
    const found: ArrayMembership[] = [];
    this.collect(event, 0, [], found);
    return found;
  }

  /** Returns true to stop the walk: a free match decides the field. */
  private visit(node: unknown, index: number, inArray: boolean): boolean {
    if (index === this.depth) return this.visitValue(node, inArray);
    if (Array.isArray(node)) {
      for (const element of node) if (this.visit(element, index, true)) return true;
      return false;
    }
    if (node === null || typeof node !== "object") return false;
    for (const step of this.steps[index] as readonly KeyStep[]) {
      const child = (node as Record<string, unknown>)[step.key];
      if (child === undefined || (step.guarded && !Object.hasOwn(node, step.key))) continue;
      if (this.visit(child, step.next, inArray)) return true;
    }
    return false;
  }

  private visitValue(value: unknown, inArray: boolean): boolean {
    if (Array.isArray(value)) {
      for (const element of value) if (this.visitValue(element, true)) return true;
      return false;
    }
    // An object (also one inside an array) has no value at this path: exists:true is false on it.
    if (value !== null && typeof value === "object") return false;
    this.sawValue = true;
    if (!this.hasValueOperators) return true;
    if (!this.matchesValue(value)) return false;
    if (!inArray) {
      this.sawFreeMatch = true;
      return true;
    }
    this.sawArrayMatch = true;
    return false;
  }

  private collect(node: unknown, index: number, membership: unknown[], found: ArrayMembership[]): void {
    if (index === this.depth) {
      this.collectValue(node, membership, found);
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((element, position) => {
        membership.push(node, position);
        this.collect(element, index, membership, found);
        membership.length -= 2;
      });
      return;
    }
    if (node === null || typeof node !== "object") return;
    for (const step of this.steps[index] as readonly KeyStep[]) {
      const child = (node as Record<string, unknown>)[step.key];
      if (child === undefined || (step.guarded && !Object.hasOwn(node, step.key))) continue;
      this.collect(child, step.next, membership, found);
    }
  }

  private collectValue(value: unknown, membership: unknown[], found: ArrayMembership[]): void {
    if (Array.isArray(value)) {
      value.forEach((element, position) => {
        membership.push(value, position);
        this.collectValue(element, membership, found);
        membership.length -= 2;
      });
      return;
    }
    if (value !== null && typeof value === "object") return;
    if (this.matchesValue(value)) found.push([...membership]);
  }
}
