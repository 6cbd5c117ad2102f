import { describe, expect, it } from "vitest";
import { buildEventEnvelope } from "./event-envelope";
import { readJsonPath } from "./json-path";
import { renderInputTemplate, renderTargetInput, type TargetInputContext } from "./target-input";

const context: TargetInputContext = {
  event: buildEventEnvelope({
    id: "11111111-2222-4333-8444-555555555555",
    detailType: "OrderPlaced",
    source: "orders",
    account: "000000000000",
    time: new Date("2026-01-02T03:04:05Z"),
    region: "ap-southeast-1",
    resources: ["arn:aws:s3:::a", "arn:aws:s3:::b"],
    detail: {
      orderId: "o-1",
      amount: 12.5,
      paid: true,
      note: null,
      customer: { id: "c-9" },
      items: [{ sku: "A" }, { sku: "B" }],
    },
  }),
  ruleName: "orders",
  ruleArn: "arn:aws:events:ap-southeast-1:000000000000:rule/orders",
  ingestionTime: new Date("2026-01-02T03:04:06.789Z"),
};

function render(template: string, paths: Record<string, string> = {}): string {
  return renderInputTemplate({ InputTemplate: template, InputPathsMap: paths }, context);
}

describe("renderInputTemplate", () => {
  it("inserts JSON for unquoted placeholders in a JSON template and raw text inside quotes", () => {
    // Prepare
    const paths = {
      order: "$.detail.orderId",
      amount: "$.detail.amount",
      paid: "$.detail.paid",
      note: "$.detail.note",
      customer: "$.detail.customer",
    };

    // Act
    const text = render(
      '{"o": <order>, "a": <amount>, "p": <paid>, "n": <note>, "c": <customer>, "s": "id <order> of <amount>"}',
      paths,
    );

    // Assert
    expect(text).toBe('{"o": "o-1", "a": 12.5, "p": true, "n": null, "c": {"id":"c-9"}, "s": "id o-1 of 12.5"}');
  });

  const everyKind = {
    text: "$.detail.orderId",
    number: "$.detail.amount",
    flag: "$.detail.paid",
    nothing: "$.detail.note",
    object: "$.detail.customer",
    list: "$.resources",
    missing: "$.detail.absent",
  };

  it.each([
    ["string", "<text>", "o-1"],
    ["number", "<number>", "12.5"],
    ["boolean", "<flag>", "true"],
    ["null", "<nothing>", "null"],
    ["object, without its quotes", "<object>", "{id:c-9}"],
    ["list, without its quotes", "<list>", "[arn:aws:s3:::a,arn:aws:s3:::b]"],
    ["path that matched nothing, as nothing", "<missing>", ""],
    ["rule name", "<aws.events.rule-name>", "orders"],
    ["ingestion time", "<aws.events.event.ingestion-time>", "2026-01-02T03:04:06.789Z"],
  ])("writes a %s into a quoted string template as text", (_kind, placeholder, expected) => {
    // Act
    const text = render(`"value ${placeholder} end"`, everyKind);

    // Assert
    expect(text).toBe(`"value ${expected} end"`);
  });

  it.each([
    ["string", "<text>", '"o-1"'],
    ["number", "<number>", "12.5"],
    ["boolean", "<flag>", "true"],
    ["null", "<nothing>", "null"],
    ["object", "<object>", '{"id":"c-9"}'],
    ["list", "<list>", '["arn:aws:s3:::a","arn:aws:s3:::b"]'],
    ["path that matched nothing, as an empty string", "<missing>", '""'],
    ["rule name", "<aws.events.rule-name>", '"orders"'],
  ])("writes a %s outside quotes in a JSON template as JSON", (_kind, placeholder, expected) => {
    // Act
    const text = render(`{"v": ${placeholder}}`, everyKind);

    // Assert
    expect(text).toBe(`{"v": ${expected}}`);
  });

  it("writes an object into a string of a JSON template without its quotes, so the JSON stays valid", () => {
    // Act
    const text = render('{"s": "customer <object> items <list>"}', everyKind);

    // Assert
    expect(JSON.parse(text)).toEqual({ s: "customer {id:c-9} items [arn:aws:s3:::a,arn:aws:s3:::b]" });
  });

  it("keeps an escaped quote of a string inside an object it writes into a string, so the JSON stays valid", () => {
    // Prepare
    const quoted: TargetInputContext = {
      ...context,
      event: { ...context.event, detail: { note: { text: 'say "hi"', path: "c:\\tmp" } } },
    };

    // Act
    const text = renderInputTemplate(
      { InputTemplate: '{"s": "note <note>"}', InputPathsMap: { note: "$.detail.note" } },
      quoted,
    );

    // Assert
    expect(JSON.parse(text)).toEqual({ s: 'note {text:say "hi",path:c:\\tmp}' });
  });

  it("inserts raw text everywhere in a template that is not a JSON object or array", () => {
    // Act
    const text = render("<order> is in state <state>", { order: "$.detail.orderId", state: "$.detail-type" });

    // Assert
    expect(text).toBe("o-1 is in state OrderPlaced");
  });

  it("does not treat an escaped quote as the end of a string", () => {
    // Act
    const text = render('{"s": "say \\"<order>\\"", "o": <order>}', { order: "$.detail.orderId" });

    // Assert
    expect(text).toBe('{"s": "say \\"o-1\\"", "o": "o-1"}');
  });

  it("leaves text in angle brackets that is not a placeholder alone", () => {
    // Act
    const text = render('"a < b and <not a placeholder>"');

    // Assert
    expect(text).toBe('"a < b and <not a placeholder>"');
  });

  it("renders <aws.events.event> as the event without detail, with AWS's field names and the ingestion time", () => {
    // Act
    const value: unknown = JSON.parse(render('{"e": <aws.events.event>}'));

    // Assert
    expect(value).toEqual({
      e: {
        id: context.event.id,
        account: "000000000000",
        detailType: "OrderPlaced",
        time: "2026-01-02T03:04:06.789Z",
        source: "orders",
        region: "ap-southeast-1",
        resources: ["arn:aws:s3:::a", "arn:aws:s3:::b"],
        version: "0",
      },
    });
  });
});

describe("renderTargetInput", () => {
  it("passes a copy of the whole event when the target has no input settings", () => {
    // Act
    const input = renderTargetInput({ Id: "t", Arn: "arn:aws:lambda:x" }, context);

    // Assert
    expect(input).toEqual(context.event);
    expect(input).not.toBe(context.event);
  });

  it("passes a template that is not JSON as text", () => {
    // Act
    const input = renderTargetInput(
      {
        Id: "t",
        Arn: "arn:aws:lambda:x",
        InputTransformer: { InputPathsMap: { o: "$.detail.orderId" }, InputTemplate: "order <o>" },
      },
      context,
    );

    // Assert
    expect(input).toBe("order o-1");
  });
});

describe("readJsonPath", () => {
  it.each([
    ["$", context.event],
    ["$.detail.customer.id", "c-9"],
    ["$.resources[1]", "arn:aws:s3:::b"],
    ["$.detail.items[*].sku", ["A", "B"]],
    ["$.detail.items.*.sku", ["A", "B"]],
    ["$.detail.note", null],
    ["$.detail.items[5]", undefined],
    ["$.detail.nothing.deeper", undefined],
    ["$['detail']", undefined],
    ["detail", undefined],
  ])("reads %s", (path, expected) => {
    // Act
    const value = readJsonPath(context.event, path);

    // Assert
    expect(value).toEqual(expected);
  });
});
