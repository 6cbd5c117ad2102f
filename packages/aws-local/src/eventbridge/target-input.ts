import { EventBridgeValidationError } from "./errors";
import type { EventEnvelope } from "./event-envelope";
import type { Target } from "./eventbridge-shapes";
import { parseJsonPath, readJsonPath } from "./json-path";

export const MAX_INPUT_TEMPLATE_LENGTH = 8192;
export const MAX_INPUT_PATHS = 100;

const PREDEFINED_VARIABLES = new Set([
  "aws.events.rule-arn",
  "aws.events.rule-name",
  "aws.events.event",
  "aws.events.event.json",
  "aws.events.event.ingestion-time",
]);
const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/y;
const PLACEHOLDER_GLOBAL = /<([A-Za-z0-9_.-]+)>/g;

/** What a rendered target input may use besides the event itself. */
export interface TargetInputContext {
  readonly event: EventEnvelope;
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly ingestionTime: Date;
}

/**
 * PutTargets-time checks of `Input`, `InputPath` and `InputTransformer`, with AWS's messages where they are known.
 * Paths outside the supported JSONPath subset are accepted (AWS does not validate them either) but reported through
 * `warn`, because they will never yield a value here.
 */
export function checkTargetInput(target: Target, position: number, warn: (message: string) => void): void {
  const configured = [target.Input, target.InputPath, target.InputTransformer].filter((value) => value !== undefined);
  if (configured.length > 1) {
    // [LS-AWS test_put_event_input_path_and_input_transformer]
    throw new EventBridgeValidationError(
      `Only one of Input, InputPath, or InputTransformer must be provided for target ${target.Id}.`,
    );
  }
  if (target.Input !== undefined && !isJson(target.Input)) {
    // AWS requires valid JSON text here [BOTO Target.Input]; the wording is local.
    throw new EventBridgeValidationError(
      `Parameter Input of target ${target.Id} is not valid. Reason: Input must be valid JSON text, got ${JSON.stringify(target.Input)}.`,
    );
  }
  if (target.InputPath !== undefined && !parseJsonPath(target.InputPath)) {
    warn(
      `InputPath ${JSON.stringify(target.InputPath)} of target ${target.Id} is outside the supported JSONPath subset ` +
        `($, .name, [index], *); it will select nothing.`,
    );
  }
  if (target.InputTransformer) checkInputTransformer(target.Id, position, target.InputTransformer, warn);
}

function checkInputTransformer(
  targetId: string,
  position: number,
  transformer: NonNullable<Target["InputTransformer"]>,
  warn: (message: string) => void,
): void {
  const template = transformer.InputTemplate;
  const paths = transformer.InputPathsMap ?? {};
  if (template.length < 1 || template.length > MAX_INPUT_TEMPLATE_LENGTH) {
    throw new EventBridgeValidationError(
      `1 validation error detected: Value '${template}' at 'targets.${position}.member.inputTransformer.inputTemplate' failed to ` +
        `satisfy constraint: Member must have length ${template.length < 1 ? "greater than or equal to 1" : `less than or equal to ${MAX_INPUT_TEMPLATE_LENGTH}`}`,
    );
  }
  const keys = Object.keys(paths);
  if (keys.length > MAX_INPUT_PATHS) {
    throw new EventBridgeValidationError(
      `InputPathsMap of target ${targetId} has ${keys.length} entries; at most ${MAX_INPUT_PATHS} are allowed.`,
    );
  }
  for (const key of keys) {
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(key)) {
      throw new EventBridgeValidationError(
        `InputPathsMap key ${JSON.stringify(key)} of target ${targetId} is not valid: it must match [A-Za-z0-9_-]+ and be at most 256 characters.`,
      );
    }
    const path = paths[key] ?? "";
    if (!parseJsonPath(path)) {
      warn(
        `InputPathsMap ${key}: ${JSON.stringify(path)} of target ${targetId} is outside the supported JSONPath subset; ` +
          `<${key}> will be empty.`,
      );
    }
  }
  for (const match of template.matchAll(PLACEHOLDER_GLOBAL)) {
    const name = match[1] ?? "";
    if (!PREDEFINED_VARIABLES.has(name) && !Object.hasOwn(paths, name)) {
      // [LS-AWS test_put_events_with_input_transformer_missing_keys]
      throw new EventBridgeValidationError(
        `InputTemplate for target ${targetId} contains invalid placeholder ${name}.`,
      );
    }
  }
}

/**
 * The input one target receives: the whole event by default, the constant `Input`, the value at `InputPath`
 * (`null` when the path selects nothing), or the rendered `InputTransformer` template, parsed as JSON when it is
 * JSON (a quoted template therefore yields a string) and passed as raw text otherwise.
 */
export function renderTargetInput(target: Target, context: TargetInputContext): unknown {
  if (target.Input !== undefined) return JSON.parse(target.Input);
  if (target.InputPath !== undefined) {
    const value = readJsonPath(context.event, target.InputPath);
    return value === undefined ? null : structuredClone(value);
  }
  if (target.InputTransformer) {
    const text = renderInputTemplate(target.InputTransformer, context);
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return structuredClone(context.event);
}

/**
 * Fills an `InputTemplate`, placeholder by placeholder, by where it stands:
 * - inside a quoted string (in any template): the value as text: a string unescaped, a number, boolean or `null` as
 *   its JSON text, an object or a list as compact JSON without its quotes (`{acc_id:0a787ecb-4015,sf_id:baz}`,
 *   `[HIGH]`), a path that matched nothing as nothing;
 * - outside quotes in a JSON object or array template: the value as JSON (a path that matched nothing as `""`);
 * - outside quotes in any other template: a string as raw text, anything else as JSON, a missing path as nothing.
 * `<aws.events.event>` and `<aws.events.event.json>` are JSON wherever they stand.
 * [semantics §11; DOC eb-transform-target-input; LS-AWS test_input_transformer_nested_keys_replacement]
 */
export function renderInputTemplate(
  transformer: NonNullable<Target["InputTransformer"]>,
  context: TargetInputContext,
): string {
  const template = transformer.InputTemplate;
  const jsonTemplate = /^\s*[{[]/.test(template);
  let output = "";
  let insideString = false;
  let index = 0;
  while (index < template.length) {
    const char = template[index] ?? "";
    if (char === "<") {
      PLACEHOLDER.lastIndex = index;
      const match = PLACEHOLDER.exec(template);
      if (match && match[1] !== undefined) {
        const position = insideString ? "in-string" : jsonTemplate ? "json-value" : "text";
        output += placeholderText(match[1], transformer.InputPathsMap ?? {}, context, position);
        index += match[0].length;
        continue;
      }
    }
    if (insideString && char === "\\") {
      output += template.slice(index, index + 2);
      index += 2;
      continue;
    }
    if (char === '"') insideString = !insideString;
    output += char;
    index += 1;
  }
  return output;
}

/** Where a placeholder stands: inside a quoted string, as a value of a JSON template, or in plain text. */
type PlaceholderPosition = "in-string" | "json-value" | "text";

function placeholderText(
  name: string,
  paths: Readonly<Record<string, string>>,
  context: TargetInputContext,
  position: PlaceholderPosition,
): string {
  switch (name) {
    // Both event variables are inserted as JSON wherever they stand: "their contents are not escaped".
    case "aws.events.event.json":
      return JSON.stringify(context.event);
    case "aws.events.event":
      return JSON.stringify(eventWithoutDetail(context));
    case "aws.events.rule-arn":
      return valueText(context.ruleArn, position);
    case "aws.events.rule-name":
      return valueText(context.ruleName, position);
    case "aws.events.event.ingestion-time":
      return valueText(context.ingestionTime.toISOString(), position);
  }
  const path = paths[name];
  const value = path === undefined ? undefined : readJsonPath(context.event, path);
  if (value === undefined) return position === "json-value" ? '""' : "";
  return valueText(value, position);
}

function valueText(value: unknown, position: PlaceholderPosition): string {
  if (typeof value === "string") return position === "json-value" ? JSON.stringify(value) : value;
  const json = JSON.stringify(value);
  // AWS drops the quotes of an object or list it writes into a string, keeping the string's own quotes intact.
  if (position === "in-string" && typeof value === "object" && value !== null) return withoutStructuralQuotes(json);
  return json;
}

/** Compact JSON without the quotes around its keys and strings; escaped quotes inside strings stay escaped. */
function withoutStructuralQuotes(json: string): string {
  let text = "";
  for (let index = 0; index < json.length; index += 1) {
    const char = json[index];
    if (char === "\\") {
      text += json.slice(index, index + 2);
      index += 1;
    } else if (char !== '"') {
      text += char;
    }
  }
  return text;
}

/**
 * `<aws.events.event>` is the event without `detail`, and AWS renames and reorders its fields: `detailType`, and
 * `time` is the ingestion time. [LS-AWS test_input_transformer_predefined_variables, 2024-06]
 */
function eventWithoutDetail(context: TargetInputContext): Record<string, unknown> {
  const { event } = context;
  return {
    id: event.id,
    account: event.account,
    detailType: event["detail-type"],
    time: context.ingestionTime.toISOString(),
    source: event.source,
    region: event.region,
    resources: event.resources,
    version: event.version,
  };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
