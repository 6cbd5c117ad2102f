import * as z from "zod/mini";
import { en } from "zod/locales";
import { describe, expect, it } from "vitest";
import { EventBridgeEnvelopeSchema } from "./envelope";
import { readExampleEnvelope } from "./examples";
import { OrderPaidSchema } from "./order-paid";
import { OrderPaymentFailedSchema } from "./order-payment-failed";
import { WalletPaymentConfirmedSchema } from "./wallet-payment-confirmed";
import { englishIssueMessage } from "./zod-english-messages";

const zodEnglish = en().localeError;

/** Values that break a field in every way a contract can notice. */
const WRONG_VALUES: readonly unknown[] = [
  undefined,
  null,
  0,
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "",
  "x",
  "wallet ",
  "2026-13-45T99:00:00Z",
  "a".repeat(200),
  true,
  [],
  [1],
  {},
  new Date(0),
];

/** Every path to a value inside `value` (objects and arrays), the root included. */
function pathsOf(value: unknown, prefix: readonly (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [[...prefix]];
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value);
  return [[...prefix], ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

function withValueAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[head] = withValueAt(copy[head], rest, replacement);
  return copy;
}

const messagesWith = (schema: z.ZodMiniType, raw: unknown, error: typeof zodEnglish) =>
  schema.safeParse(raw, { error }).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) ?? [];

describe("zod's English messages for the issues our contracts raise", () => {
  it("are the words of zod's own English locale for every field of every contract broken every way", () => {
    const cases: { name: string; schema: z.ZodMiniType; valid: unknown }[] = [
      { name: "envelope", schema: EventBridgeEnvelopeSchema, valid: readExampleEnvelope("OrderPaid.v1.json") },
      ...(
        [
          ["WalletPaymentConfirmed.v1.json", WalletPaymentConfirmedSchema],
          ["OrderPaid.v1.json", OrderPaidSchema],
          ["OrderPaymentFailed.v1.json", OrderPaymentFailedSchema],
        ] as const
      ).map(([file, schema]) => ({
        name: file,
        schema: schema as z.ZodMiniType,
        valid: (readExampleEnvelope(file) as { detail: unknown }).detail,
      })),
    ];
    let compared = 0;

    for (const { name, schema, valid } of cases)
      for (const path of pathsOf(valid))
        for (const wrong of WRONG_VALUES) {
          const raw = withValueAt(valid, path, wrong);
          const ours = messagesWith(schema, raw, englishIssueMessage);
          const zods = messagesWith(schema, raw, zodEnglish);
          expect({ name, path, wrong: String(wrong), messages: ours }).toEqual({
            name,
            path,
            wrong: String(wrong),
            messages: zods,
          });
          compared += ours.length;
        }

    expect(compared).toBeGreaterThan(500);
  });

  it("are zod's words for the schema types only the SES email event reads (records, enums, literals, arrays)", () => {
    const schema = z.looseObject({
      source: z.literal("aws.ses"),
      kind: z.enum(["a", "b"]),
      tags: z.optional(z.record(z.string(), z.array(z.string()))),
      text: z.string().check(z.minLength(1)),
      list: z.array(z.looseObject({ emailAddress: z.string() })).check(z.minLength(1)),
    });
    const inputs: unknown[] = [
      {},
      { source: "x", kind: "c", tags: { a: "b" }, text: "", list: [] },
      { source: 1, kind: null, tags: [], text: 5, list: {} },
      { source: "aws.ses", kind: "a", tags: { a: [1] }, text: "t", list: [{ emailAddress: 1 }] },
      "not an object",
    ];

    const ours = inputs.map((input) => messagesWith(schema, input, englishIssueMessage));
    const zods = inputs.map((input) => messagesWith(schema, input, zodEnglish));

    expect(ours).toEqual(zods);
    expect(ours.flat().length).toBeGreaterThan(10);
  });
});
