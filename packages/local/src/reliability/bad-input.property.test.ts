import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
import { UnattributableEventError, type ProcessorDependencies } from "@payment3/core";
import {
  BANK_APP_CALLBACK_SOURCE,
  ContractValidationError,
  parseEvent,
  PROCESSOR_SOURCE,
  salvageOrderId,
  WALLET_CALLBACK_SOURCE,
  WalletPaymentConfirmedContract,
} from "@payment3/events";
import { createProcessorHandler, SUBSCRIPTIONS } from "@payment3/functions";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSeed } from "../faults/index";
import { startLocalStack, type LocalStack } from "../local-stack";
import { localConfig } from "../runtime/local-runtime";
import { listUndeliveredEvents } from "../runtime/undelivered-events";
import { provisionLocalResources, registerSubscriptions, subscriptionResourceNames } from "../runtime/provision";

/*
 * Bad input, generated: PutEvents requests over HTTP, confirmation details through the bus to the
 * processor, and raw events straight into the processor's handler. CI: 1,000 cases in all;
 * RELIABILITY_FULL=1: 20,000. RELIABILITY_SEED replays the cases (fast-check also prints its
 * seed and the shrunk counterexample on a failure).
 */
const full = process.env.RELIABILITY_FULL === "1";
const seed = parseSeed(process.env.RELIABILITY_SEED, 20_260_201);
const RUNS = full ? { http: 6000, bus: 6000, handler: 8000 } : { http: 350, bus: 150, handler: 500 };
const TIMEOUT_MS = full ? 3_600_000 : 120_000;
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const REGION = "ap-southeast-1";
const CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };
/** A request or a settle that takes this long is a hang. */
const HANG_LIMIT_MS = 20_000;

let stack: LocalStack;
let direct: DynamoDBDocumentClient;
let events: EventBridgeClient;
const config = () => localConfig(stack, { BRANCH: "badinput" });
/** Orders invalid confirmations name; none may ever change. */
const SEEDED_ORDERS = Array.from({ length: 8 }, (_, index) => `5100000${index}`);
const seededItem = (orderId: string) => ({
  orderId,
  customer: { name: "Prop Test", email: `prop.${orderId}@example.com`, phone: "+66811112222" },
  items: [{ name: "Tea", quantity: 1, unitPrice: 100 }],
});
/** Outcomes by the confirmation's event id. */
const outcomesByConfirmation = new Map<string, Record<string, unknown>[]>();
let unknownOrderCounter = 0;

beforeAll(async () => {
  stack = await startLocalStack({
    maxBodyBytes: MAX_BODY_BYTES,
    eventBridge: { retryBaseDelayMs: 1, retryMaxDelayMs: 4, logger: { warn() {} } },
    lambdaAsync: { retryDelaysMs: [1, 2], logger: { warn() {} } },
  });
  await provisionLocalResources(stack, config());
  await registerSubscriptions(stack, config(), SUBSCRIPTIONS, new Logger({ logLevel: "SILENT" }));
  direct = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynalite.url, region: REGION, credentials: CREDENTIALS }),
  );
  events = new EventBridgeClient({ endpoint: stack.url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  for (const orderId of [...SEEDED_ORDERS, "51009999"])
    await direct.send(new PutCommand({ TableName: config().orderTableName, Item: seededItem(orderId) }));
  stack.eventBridge.onEventAccepted(({ event }) => {
    if (event.source !== PROCESSOR_SOURCE) return;
    const detail = event.detail as Record<string, unknown>;
    const key = String(detail.confirmationEventId);
    outcomesByConfirmation.set(key, [...(outcomesByConfirmation.get(key) ?? []), detail]);
  });
});

afterAll(async () => {
  events?.destroy();
  direct?.destroy();
  await stack?.close();
});

async function settle(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    stack.eventBridge.whenIdle(),
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the runtime did not settle within ${HANG_LIMIT_MS} ms: a hang`)),
        HANG_LIMIT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- generators

const shortText = fc.string({ maxLength: 30 });
const wrongType = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(shortText, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
/** Strings up to just under the 1 MB PutEvents limit (most small, some huge). */
const hugeString = fc
  .oneof(
    { arbitrary: fc.integer({ min: 1_000, max: 50_000 }), weight: 3 },
    { arbitrary: fc.integer({ min: 200_000, max: 900_000 }), weight: 1 },
  )
  .chain((length) =>
    fc.constantFrom("x", "ก", "😀").map((unit) => unit.repeat(Math.ceil(length / Buffer.byteLength(unit)))),
  );
/** JSON nested 50 to 20,000 levels deep, as text. */
const nesting = fc.record({ depth: fc.integer({ min: 50, max: 20_000 }), arrays: fc.boolean() });
const nestedJson = ({ depth, arrays }: { depth: number; arrays: boolean }) =>
  arrays ? `${"[".repeat(depth)}1${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const deepJson = nesting.map(nestedJson);
const notAnObject = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 20 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
);
const source = fc.constantFrom(
  WALLET_CALLBACK_SOURCE,
  BANK_APP_CALLBACK_SOURCE,
  "payment3.processor",
  "aws.events",
  "",
  "evil.source",
);

// ---------------------------------------------------------------- PutEvents over HTTP

interface RawRequest {
  readonly kind: string;
  readonly body: Buffer;
}

const entryFields = fc.record(
  {
    Source: fc.oneof(source, wrongType),
    DetailType: fc.oneof(fc.constantFrom("WalletPaymentConfirmed", "x".repeat(200)), shortText, wrongType),
    Detail: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      shortText,
      wrongType,
    ),
    EventBusName: fc.oneof(fc.constantFrom("default", "payment3-badinput", "no-such-bus"), wrongType),
    Resources: fc.oneof(fc.array(shortText, { maxLength: 2 }), wrongType),
    Extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

/** A PutEvents entry that is valid, bound for a bus no rule of which the generated input can reach. */
const validEntry = fc.record({
  Source: fc.constant("prop.test"),
  DetailType: fc.constant("Probe"),
  Detail: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify({ value })),
});

const rawPutEvents: fc.Arbitrary<RawRequest> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 400 }).map((bytes) => ({ kind: "random bytes", body: Buffer.from(bytes) })),
  notAnObject.map((value) => ({ kind: "JSON that is not an object", body: Buffer.from(JSON.stringify(value)) })),
  fc
    .record({ Entries: wrongType })
    .map((request) => ({ kind: "Entries of the wrong type", body: Buffer.from(JSON.stringify(request)) })),
  fc.array(entryFields, { minLength: 0, maxLength: 12 }).map((entries) => ({
    kind: "entries with wrong, missing and extra fields",
    body: Buffer.from(JSON.stringify({ Entries: entries, Extra: 1 })),
  })),
  fc.tuple(validEntry, hugeString).map(([entry, huge]) => ({
    kind: "a huge detail",
    body: Buffer.from(JSON.stringify({ Entries: [{ ...entry, Detail: JSON.stringify({ huge }) }] })),
  })),
  fc.tuple(validEntry, deepJson).map(([entry, deep]) => ({
    kind: "a deeply nested detail",
    body: Buffer.from(JSON.stringify({ Entries: [{ ...entry, Detail: `{"deep":${deep}}` }] })),
  })),
  deepJson.map((deep) => ({ kind: "a deeply nested body", body: Buffer.from(`{"Entries":[],"x":${deep}}`) })),
  fc
    .tuple(
      validEntry,
      fc.uint8Array({ minLength: 1, maxLength: 8 }).filter((bytes) => !isUtf8(bytes)),
    )
    .map(([entry, bytes]) => {
      const json = Buffer.from(JSON.stringify({ Entries: [{ ...entry, Detail: JSON.stringify({ text: "@@" }) }] }));
      const at = json.indexOf("@@");
      return {
        kind: "non-UTF-8 bytes in a string",
        body: Buffer.concat([json.subarray(0, at), Buffer.from(bytes), json.subarray(at + 2)]),
      };
    }),
  {
    arbitrary: fc
      .integer({ min: MAX_BODY_BYTES + 1, max: MAX_BODY_BYTES + 500_000 })
      .map((size) => ({ kind: "an oversized body", body: Buffer.alloc(size, 0x20) })),
    weight: 1,
  },
  fc
    .array(validEntry, { minLength: 1, maxLength: 10 })
    .map((entries) => ({ kind: "valid entries", body: Buffer.from(JSON.stringify({ Entries: entries })) })),
);

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Events PutEvents took: accepted onto a bus, or (as AWS does) answered with an EventId and dropped because the bus does not exist. */
function takenEvents(): number {
  const statistics = stack.eventBridge.getStatistics();
  return (
    statistics.acceptedEvents + Object.values(statistics.droppedEventsByBus).reduce((sum, count) => sum + count, 0)
  );
}

async function postPutEvents(body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(stack.url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSEvents.PutEvents" },
    body,
    signal: AbortSignal.timeout(HANG_LIMIT_MS),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as Record<string, unknown> };
}

describe("bad input: PutEvents requests over HTTP", () => {
  it(
    `answers every request with a clear error or per-entry results, accepts nothing invalid, and keeps serving (${RUNS.http} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(rawPutEvents, async (request) => {
          const acceptedBefore = takenEvents();

          const { status, json } = await postPutEvents(request.body);

          const accepted = takenEvents() - acceptedBefore;
          expect([200, 400, 413], request.kind).toContain(status);
          if (status !== 200) {
            expect(json, request.kind).toMatchObject({
              __type: expect.any(String),
              message: expect.stringMatching(/\S/),
            });
            expect(accepted, `${request.kind}: a rejected request accepted events`).toBe(0);
            if (request.kind === "an oversized body") expect(json.__type).toBe("RequestEntityTooLargeException");
            if (request.kind === "non-UTF-8 bytes in a string" || request.kind === "JSON that is not an object")
              expect(json.__type).toBe("SerializationException");
            return;
          }
          const entries = json.Entries as { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];
          const failed = entries.filter((entry) => entry.ErrorCode !== undefined);
          expect(json.FailedEntryCount, request.kind).toBe(failed.length);
          for (const entry of failed) expect(entry.ErrorMessage, `${request.kind}: ${entry.ErrorCode}`).toMatch(/\S/);
          expect(accepted, `${request.kind}: events accepted vs EventIds answered`).toBe(
            entries.length - failed.length,
          );
          if (request.kind === "valid entries") expect(failed).toEqual([]);
        }),
        { numRuns: RUNS.http, seed },
      );
      await settle();

      const after = await postPutEvents(
        Buffer.from(JSON.stringify({ Entries: [{ Source: "prop.test", DetailType: "Probe", Detail: "{}" }] })),
      );
      expect(after.status).toBe(200);
    },
    TIMEOUT_MS,
  );
});

describe("bad input: the cases the generators are built around", () => {
  const entryWithDetail = (detail: string) =>
    Buffer.from(`{"Entries":[{"Source":"prop.test","DetailType":"Probe","Detail":${JSON.stringify(detail)}}]}`);

  it("a detail nested deeper than PutEvents' 1,000 levels is refused with MalformedDetail (it would be lost in delivery); 1,000 levels are accepted", async () => {
    const deepest = await postPutEvents(entryWithDetail(`{"a":${nestedJson({ depth: 999, arrays: true })}}`));
    const tooDeep = await postPutEvents(entryWithDetail(`{"a":${nestedJson({ depth: 1000, arrays: true })}}`));

    expect(deepest.json).toMatchObject({ FailedEntryCount: 0 });
    expect(tooDeep.json).toMatchObject({
      FailedEntryCount: 1,
      Entries: [{ ErrorCode: "MalformedDetail", ErrorMessage: expect.stringContaining("1000 levels deep") }],
    });
  });

  it("a body with malformed UTF-8 is refused with SerializationException instead of being read with replacement characters", async () => {
    const body = entryWithDetail('{"name":"@@"}');
    const at = body.indexOf("@@");

    const answer = await postPutEvents(
      Buffer.concat([body.subarray(0, at), Buffer.from([0xc3, 0x28]), body.subarray(at + 2)]),
    );

    expect(answer).toMatchObject({
      status: 400,
      json: { __type: "SerializationException", message: expect.stringContaining("not valid UTF-8") },
    });
  });
});

// ---------------------------------------------------------------- confirmations through the bus

/** One change to a valid detail, as data so a counterexample prints readably (huge values by size). */
type Mutation =
  | { readonly op: "remove"; readonly field: string }
  | { readonly op: "set"; readonly field: string; readonly value: unknown }
  | { readonly op: "huge"; readonly field: string; readonly bytes: number; readonly unit: string }
  | { readonly op: "nest"; readonly depth: number; readonly arrays: boolean }
  | { readonly op: "replace"; readonly value: unknown }
  | { readonly op: "legacy-alias" };

const DEEP_MARKER = "__deep_json__";

function applyMutation(detail: unknown, mutation: Mutation): unknown {
  if (typeof detail !== "object" || detail === null || Array.isArray(detail)) return detail;
  const record = detail as Record<string, unknown>;
  switch (mutation.op) {
    case "remove": {
      const { [mutation.field]: _removed, ...rest } = record;
      return rest;
    }
    case "set":
      return { ...record, [mutation.field]: mutation.value };
    case "huge":
      return {
        ...record,
        [mutation.field]: mutation.unit.repeat(Math.ceil(mutation.bytes / Buffer.byteLength(mutation.unit))),
      };
    case "nest":
      // Serialized by text (see serializeDetail): JSON.stringify itself overflows the stack a few thousand levels down.
      return { ...record, nested: `${DEEP_MARKER}${mutation.depth}:${mutation.arrays ? "arrays" : "objects"}` };
    case "replace":
      return mutation.value;
    case "legacy-alias":
      return { ...record, order_id: record.orderId, orderId: undefined };
  }
}

/** The detail as JSON, with a marked string replaced by the deeply nested JSON it stands for. */
function serializeDetail(detail: unknown): string {
  const text = JSON.stringify(detail) ?? "null";
  return text.replace(new RegExp(`"${DEEP_MARKER}(\\d+):(arrays|objects)"`), (_, depth: string, kind: string) =>
    nestedJson({ depth: Number(depth), arrays: kind === "arrays" }),
  );
}

const FIELDS = ["orderId", "paymentId", "success", "amount", "channel", "schemaVersion", "confirmedAt"] as const;
/** Mostly kilobytes; now and then a third of the PutEvents limit or more (an outcome repeats a paymentId up to three times). */
const hugeBytes = fc.oneof(
  { arbitrary: fc.integer({ min: 1_000, max: 50_000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 300_000, max: 600_000 }), weight: 1 },
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...FIELDS).map((field): Mutation => ({ op: "remove", field })),
  fc.tuple(fc.constantFrom(...FIELDS), wrongType).map(([field, value]): Mutation => ({ op: "set", field, value })),
  fc
    .record({
      field: fc.constantFrom("orderId", "paymentId", "channel", "confirmedAt", "note"),
      bytes: hugeBytes,
      unit: fc.constantFrom("x", "ก", "😀"),
    })
    .map((huge): Mutation => ({ op: "huge", ...huge })),
  fc
    .tuple(
      shortText.filter(
        (key) => !(FIELDS as readonly string[]).includes(key) && key !== "order_id" && key !== "payment_id",
      ),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([field, value]): Mutation => ({ op: "set", field, value })),
  nesting.map((shape): Mutation => ({ op: "nest", ...shape })),
  fc
    .tuple(
      fc.constantFrom("paymentId", "orderId", "channel"),
      fc.constantFrom("\ud800", "\udfff", "a\u0000b", "\ufffe"),
    )
    .map(([field, value]): Mutation => ({ op: "set", field, value: `p${value}` })),
  fc
    .constantFrom(-1, Number.MAX_VALUE, 1e308, 0.001)
    .map((amount): Mutation => ({ op: "set", field: "amount", value: amount })),
  notAnObject.map((value): Mutation => ({ op: "replace", value })),
  fc.constant<Mutation>({ op: "legacy-alias" }),
);

const confirmation = fc.record({
  orderId: fc.constantFrom(...SEEDED_ORDERS),
  paymentId: fc.stringMatching(/^pay_[a-z0-9]{1,12}$/),
  success: fc.boolean(),
  amount: fc.double({ min: 0, max: 10_000, noNaN: true }),
  channel: fc.constantFrom("wallet", "bank-app"),
  source: fc.constantFrom(WALLET_CALLBACK_SOURCE, BANK_APP_CALLBACK_SOURCE),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
});

function validityOf(detail: unknown, source: string): { valid: true } | { valid: false; error: unknown } {
  try {
    WalletPaymentConfirmedContract.parseDetail(detail, { source });
    return { valid: true };
  } catch (error) {
    return { valid: false, error };
  }
}

const processorRule = () => subscriptionResourceNames(config(), { name: "processor" }).ruleName;
/** A validation message names the field: a detail field, `(root)`, or an envelope field. */
const FIELD_NAMED =
  /\b(orderId|paymentId|success|amount|channel|schemaVersion|confirmedAt|\(root\)|version|id|detail-type|source|account|time|region|resources|detail)\b/;

describe("bad input: confirmation details through the bus", () => {
  it(
    `records each invalid confirmation as INVALID_EVENT or a dead letter naming the field, writes no order, and handles valid ones (${RUNS.bus} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(confirmation, async (generated) => {
          let detail: unknown = {
            schemaVersion: 1,
            orderId: generated.orderId,
            paymentId: generated.paymentId,
            success: generated.success,
            amount: generated.amount,
            channel: generated.channel,
          };
          for (const change of generated.mutations) detail = applyMutation(detail, change);
          const validity = validityOf(detail, generated.source);
          // A valid confirmation would pay a seeded order: point it at an order that does not exist.
          unknownOrderCounter += 1;
          const unknownOrderId = `5900${String(unknownOrderCounter).padStart(6, "0")}`;
          if (validity.valid)
            detail = { ...(detail as Record<string, unknown>), orderId: unknownOrderId, order_id: undefined };
          const targeted = salvageOrderId(detail);
          const before =
            targeted && SEEDED_ORDERS.includes(targeted)
              ? (await direct.send(new GetCommand({ TableName: config().orderTableName, Key: { orderId: targeted } })))
                  .Item
              : undefined;

          const sent = await events
            .send(
              new PutEventsCommand({
                Entries: [
                  {
                    Source: generated.source,
                    DetailType: "WalletPaymentConfirmed",
                    EventBusName: config().eventBusName,
                    Detail: serializeDetail(detail),
                  },
                ],
              }),
            )
            .then(
              (answer) => ({ answer }),
              (error: unknown) => ({ error }),
            );
          await settle();
          if ("error" in sent) {
            // Over the 1 MB PutEvents limit: the whole request is refused with a clear error.
            expect(sent.error).toMatchObject({
              name: "ValidationException",
              message: expect.stringContaining("over the limit"),
            });
            return;
          }

          const [entry] = sent.answer.Entries ?? [];
          if (entry?.ErrorCode) {
            // Refused by PutEvents itself: a detail that is not a JSON object, or nested past PutEvents' 1,000 levels.
            expect(entry.ErrorCode).toBe("MalformedDetail");
            expect(entry.ErrorMessage).toMatch(/\S/);
            return;
          }
          const eventId = entry!.EventId!;
          const outcomes = outcomesByConfirmation.get(eventId) ?? [];
          // A processor error is a function error: Lambda's retries, then the processor's on-failure store.
          const letters = listUndeliveredEvents(stack).filter(
            (letter) => letter.where === processorRule() && letter.event?.id === eventId,
          );
          if (validity.valid) {
            expect(
              letters.map((letter) => `${letter.errorName}: ${letter.errorMessage.slice(0, 300)}`),
              "a valid confirmation was dead-lettered",
            ).toEqual([]);
            expect(
              new Set(outcomes.map((outcome) => outcome.reason ?? "OrderPaid")),
              "a valid confirmation for an unknown order",
            ).toEqual(new Set(["ORDER_NOT_FOUND"]));
            return;
          }
          if (targeted !== undefined) {
            expect(
              outcomes.map((outcome) => [outcome.reason, outcome.retryable]),
              `invalid: ${String((validity.error as Error).message).slice(0, 200)}`,
            ).toEqual([["INVALID_EVENT", false]]);
            expect(String(outcomes[0]!.message)).toMatch(FIELD_NAMED);
          } else {
            expect(outcomes).toEqual([]);
            expect(letters.map((letter) => letter.errorName)).toEqual(["UnattributableEventError"]);
            expect(letters[0]!.errorMessage).toMatch(FIELD_NAMED);
          }
          if (before) {
            const after = (
              await direct.send(new GetCommand({ TableName: config().orderTableName, Key: { orderId: targeted! } }))
            ).Item;
            expect(after, "an invalid confirmation changed the order").toEqual(before);
          }
        }),
        { numRuns: RUNS.bus, seed },
      );

      for (const orderId of SEEDED_ORDERS) {
        const item = (await direct.send(new GetCommand({ TableName: config().orderTableName, Key: { orderId } }))).Item;
        expect(item, `order ${orderId}`).toEqual(seededItem(orderId));
      }
    },
    TIMEOUT_MS,
  );

  it("valid input is unaffected by all of the above: a valid confirmation still pays its order, once", async () => {
    const answer = await events.send(
      new PutEventsCommand({
        Entries: [
          {
            Source: WALLET_CALLBACK_SOURCE,
            DetailType: "WalletPaymentConfirmed",
            EventBusName: config().eventBusName,
            Detail: JSON.stringify({ orderId: "51009999", paymentId: "pay_control", success: true, amount: 100 }),
          },
        ],
      }),
    );
    await settle();

    const outcomes = outcomesByConfirmation.get(answer.Entries![0]!.EventId!) ?? [];
    const order = (
      await direct.send(new GetCommand({ TableName: config().orderTableName, Key: { orderId: "51009999" } }))
    ).Item;
    expect(outcomes.map((outcome) => outcome.idempotencyKey)).toEqual(["51009999:pay_control:OrderPaid"]);
    expect(order?.payment).toMatchObject({ isPaid: true, paymentId: "pay_control", totalPaid: 100 });
    expect((await stack.ses.listSentEmails()).filter((mail) => mail.subject.includes("#51009999"))).toHaveLength(1);
  });
});

// ---------------------------------------------------------------- raw events into the processor's handler

const rawEvent = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.record(
    {
      version: fc.oneof(fc.constant("0"), wrongType),
      id: fc.oneof(fc.uuid(), wrongType),
      "detail-type": fc.oneof(fc.constant("WalletPaymentConfirmed"), shortText, wrongType),
      source: fc.oneof(source, wrongType),
      account: fc.oneof(fc.constant("000000000000"), wrongType),
      time: fc.oneof(fc.constant("2026-11-29T10:00:00Z"), shortText, wrongType),
      region: fc.oneof(fc.constant(REGION), wrongType),
      resources: fc.oneof(fc.constant([]), wrongType),
      detail: fc.oneof(
        confirmation.map((generated) => {
          let detail: unknown = {
            orderId: generated.orderId,
            paymentId: generated.paymentId,
            success: generated.success,
            amount: generated.amount,
            channel: generated.channel,
          };
          for (const change of generated.mutations) detail = applyMutation(detail, change);
          return detail;
        }),
        fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
        wrongType,
      ),
    },
    { requiredKeys: [] },
  ),
);

describe("bad input: raw events straight into the processor's handler", () => {
  it(
    `never writes an order for an invalid event and fails only with UnattributableEventError (${RUNS.handler} cases)`,
    async () => {
      const writes: string[] = [];
      const published: string[] = [];
      const dependencies: ProcessorDependencies = {
        orders: {
          getOrder: (orderId) => Promise.resolve({ orderId, items: [{ name: "Tea", quantity: 1, unitPrice: 100 }] }),
          saveFinalOutcome: ({ orderId }) => {
            writes.push(orderId);
            return Promise.resolve();
          },
        },
        costCalculator: { recalculate: (order) => Promise.resolve({ ...order, grandTotal: 100 }) },
        publisher: {
          publish: (entries) => {
            published.push(...entries.map((entry) => entry.Detail));
            return Promise.resolve(entries.map((_, index) => `event-${index}`));
          },
        },
        eventBusName: "prop-bus",
        eventSizeLimitBytes: 1_048_576,
      };
      const handler = createProcessorHandler(() => dependencies, new Logger({ logLevel: "SILENT" }));

      await fc.assert(
        fc.asyncProperty(rawEvent, async (event) => {
          writes.length = 0;
          published.length = 0;
          let valid = true;
          try {
            parseEvent(WalletPaymentConfirmedContract, event);
          } catch (error) {
            if (!(error instanceof ContractValidationError)) throw error;
            valid = false;
          }

          const result = await handler(event).then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );

          if ("error" in result) {
            expect(
              result.error,
              "the handler failed with something other than UnattributableEventError",
            ).toBeInstanceOf(UnattributableEventError);
            expect(valid).toBe(false);
            expect(writes).toEqual([]);
            return;
          }
          if (!valid) {
            expect(writes, "an invalid event wrote the order").toEqual([]);
            expect(result.value).toMatchObject({ outcome: "OrderPaymentFailed", resolution: "rejected" });
            expect(JSON.parse(published[0]!)).toMatchObject({
              reason: "INVALID_EVENT",
              retryable: false,
              message: expect.stringMatching(FIELD_NAMED),
            });
          }
          expect(published, "exactly one outcome per event").toHaveLength(1);
        }),
        { numRuns: RUNS.handler, seed },
      );
    },
    TIMEOUT_MS,
  );
});
