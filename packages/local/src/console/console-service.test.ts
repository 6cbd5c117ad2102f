import { readdirSync, readFileSync } from "node:fs";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { createAwsClients } from "@payment3/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillFlowWithConfirmations } from "../testing/flow-load";
import { startLocalRuntime, type LocalRuntime } from "../runtime/local-runtime";
import { CONSOLE_PATH } from "./console-service";
import type { FlowPage } from "./flow-recorder";
import type { OrderTimeline } from "./order-timeline";

let runtime: LocalRuntime;
const url = (path: string) => `${runtime.url}/_local/${path}`;
const postJson = (path: string, body: unknown) =>
  fetch(url(path), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function publish(source: string, detailType: string, detail: object): Promise<string> {
  const { eventBridge } = createAwsClients({ region: runtime.config.region, endpoint: runtime.url });
  const answer = await eventBridge.send(
    new PutEventsCommand({
      Entries: [
        {
          Source: source,
          DetailType: detailType,
          Detail: JSON.stringify(detail),
          EventBusName: runtime.config.eventBusName,
        },
      ],
    }),
  );
  eventBridge.destroy();
  return answer.Entries?.[0]?.EventId ?? "";
}

beforeAll(async () => {
  runtime = await startLocalRuntime({
    followOrderHistory: true,
    port: 0,
    dataDirectory: null,
    retryBaseDelayMs: 1,
    logLevel: "SILENT",
    warn: () => {},
  });
});
afterAll(async () => {
  await runtime?.close();
});

describe("the console's page", () => {
  it("is served from the package with a content security policy that allows no inline script", async () => {
    // Act
    const page = await fetch(`${runtime.url}${CONSOLE_PATH}`);
    const script = await fetch(`${runtime.url}${CONSOLE_PATH}console.mjs`);
    const bare = await fetch(`${runtime.url}/_local/console`, { redirect: "manual" });

    // Assert
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("content-security-policy")).not.toContain("unsafe-inline");
    expect(await page.text()).toContain('<script type="module" src="console.mjs"></script>');
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe(CONSOLE_PATH);
  });

  it("serves only its own files: a path out of the page's folder is not found", async () => {
    for (const path of ["../console-service.ts", "..%2Fconsole-service.ts", "nope.mjs"]) {
      const answer = await fetch(`${runtime.url}${CONSOLE_PATH}${path}`);
      expect(answer.status, path).toBe(404);
    }
  });

  it("renders data only as text: no page module writes HTML from a string", () => {
    // Prepare
    const folder = new URL("./page/", import.meta.url);
    const modules = readdirSync(folder).filter((name) => name.endsWith(".mjs"));

    // Act
    const offenders = modules.filter((name) =>
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function/.test(
        readFileSync(new URL(name, folder), "utf8"),
      ),
    );

    // Assert
    expect(modules.length).toBeGreaterThan(5);
    expect(offenders).toEqual([]);
  });
});

describe("the console's operator API", () => {
  it("records a confirmation's flow and serves it paged and filtered", async () => {
    // Prepare
    const eventId = await publish("payment3.wallet-callback", "WalletPaymentConfirmed", {
      orderId: "492500005643",
      paymentId: "pay_console_api",
      success: true,
      amount: 300,
    });
    await runtime.stack.eventBridge.whenIdle();

    // Act
    const page = (await (await fetch(url("flow?orderId=492500005643&limit=10"))).json()) as FlowPage;
    const none = (await (await fetch(url("flow?outcome=dead-lettered"))).json()) as FlowPage;

    // Assert
    const confirmation = page.records.find((record) => record.eventId === eventId);
    expect(confirmation?.deliveries.map((delivery) => [delivery.targetId, delivery.status])).toEqual([
      ["processor", "delivered"],
    ]);
    const outcome = page.records.find((record) => record.causeEventId === eventId);
    expect(outcome?.detailType).toBe("OrderPaid");
    expect(outcome?.deliveries.map((delivery) => delivery.targetId).sort()).toEqual(["audit-log", "notifications"]);
    expect(none.records).toEqual([]);
  });

  it("builds the order's timeline: events, header changes, outcome record, audit row, email and SNS message, in time order", async () => {
    // Prepare: the confirmation of the test before
    await runtime.stack.console.ordersSettled();

    // Act
    const timeline = (await (await fetch(url("orders/492500005643/timeline"))).json()) as OrderTimeline;

    // Assert
    const kinds = new Set(timeline.entries.map((entry) => entry.kind));
    expect(timeline.exists).toBe(true);
    expect([...kinds].sort()).toEqual([
      "audit-row",
      "email",
      "event",
      "outcome-record",
      "payment-header",
      "sns-message",
    ]);
    const times = timeline.entries.map((entry) => entry.time);
    expect(times).toEqual([...times].sort());
    const headers = timeline.entries.filter((entry) => entry.kind === "payment-header").map((entry) => entry.summary);
    expect(headers[0]).toBe("no payment header before WalletPaymentConfirmed");
    expect(headers[1]).toMatch(/^isPaid true: pay_console_api \(wallet, 300\) after payment3-\w+-processor$/);
  });

  it("explains per rule why an event does not match: the processor wants a callback source", async () => {
    // Act
    const answer = await postJson("rules/explain", {
      event: { source: "payment3.qr-callback", "detail-type": "WalletPaymentConfirmed", detail: { orderId: "1" } },
    });
    const body = (await answer.json()) as {
      rules: { ruleName: string; matches: boolean; mismatches: { field: string; actual: string }[] }[];
    };

    // Assert
    const processor = body.rules.find((rule) => rule.ruleName.endsWith("-processor"));
    expect(processor?.matches).toBe(false);
    expect(processor?.mismatches).toEqual([
      {
        field: "source",
        expected: '["payment3.wallet-callback","payment3.bank-app-callback"]',
        actual: '"payment3.qr-callback"',
      },
    ]);
  });

  it("pushes each flow record over Server-Sent Events as it happens", async () => {
    // Prepare
    const aborter = new AbortController();
    const stream = await fetch(url("flow/stream"), { signal: aborter.signal });
    const reader = stream.body!.getReader();
    let received = "";

    // Act
    const eventId = await publish("test.sse", "Ping", { n: 1 });
    while (!received.includes(eventId)) received += new TextDecoder().decode((await reader.read()).value);
    aborter.abort();

    // Assert
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    expect(received).toMatch(/^retry: 2000\nevent: hello\n/);
    expect(received).toContain(`event: flow\ndata: {"seq":`);
  });

  it("answers the first page of 10 000 flow records as one bounded page, and a filter finds one record in them", async () => {
    // Prepare: fill the ring buffer directly
    const flow = runtime.stack.console.flow;
    fillFlowWithConfirmations(flow, runtime.config.eventBusName, 10_000);

    // Act
    const first = (await (await fetch(url("flow?limit=200"))).json()) as FlowPage;
    const filtered = (await (await fetch(url("flow?source=load.test&orderId=L42"))).json()) as FlowPage;

    // Assert
    expect(flow.size).toBe(10_000);
    expect(first.records).toHaveLength(200);
    expect(first.matching).toBe(10_000);
    expect(filtered.records.map((record) => record.eventId)).toEqual(["load-42"]);
  });

  it("starts a replay filtered to one rule and reports its progress", async () => {
    // Prepare
    const { archives } = (await (await fetch(url("archives"))).json()) as {
      archives: { name: string; eventCount: number; firstEventTime: string; lastEventTime: string }[];
    };
    const rules = (await (await fetch(url("rules"))).json()) as { name: string; arn: string }[];
    const auditLog = rules.find((rule) => rule.name.endsWith("-audit-log"))!;
    const archive = archives[0]!;

    // Act
    const started = await postJson("replays", {
      archiveName: archive.name,
      start: new Date(Date.parse(archive.firstEventTime) - 1000).toISOString(),
      end: new Date(Date.parse(archive.lastEventTime) + 1000).toISOString(),
      ruleArns: [auditLog.arn],
      replayName: "console-api-test",
    });
    await runtime.stack.eventBridge.whenReplayEnded("console-api-test");
    const { replays } = (await (await fetch(url("archives"))).json()) as {
      replays: { name: string; state: string; eventsReplayed: number; eventsTotal: number }[];
    };

    // Assert
    expect(started.status).toBe(200);
    expect(archive.eventCount).toBeGreaterThan(0);
    expect(replays.find((replay) => replay.name === "console-api-test")).toMatchObject({
      state: "COMPLETED",
      eventsReplayed: archive.eventCount,
      eventsTotal: archive.eventCount,
    });
  });

  it("refuses state changes that are not same-origin JSON POSTs, on the dead-letter routes too", async () => {
    // Act
    const form = await fetch(url("dead-letters/redrive"), { method: "POST", body: "rule=x" });
    const crossOrigin = await fetch(url("replays"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://evil.example" },
      body: "{}",
    });
    const getExplain = await fetch(url("rules/explain"));

    // Assert
    expect(form.status).toBe(403);
    expect(crossOrigin.status).toBe(403);
    expect(getExplain.status).toBe(404);
  });
});
