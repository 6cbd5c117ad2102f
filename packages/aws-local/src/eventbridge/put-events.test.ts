import {
  CreateEventBusCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import { recordingInvoker, startEventBridgeHarness, type EventBridgeHarness } from "./eventbridge-test-harness";

const RECORDER_ARN = "arn:aws:lambda:ap-southeast-1:000000000000:function:recorder";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: Parameters<typeof startEventBridgeHarness>[0] = {}) {
  const recorder = recordingInvoker();
  const harness = await startEventBridgeHarness({ targetInvoker: recorder.invoker, ...options });
  harnesses.push(harness);
  return { ...harness, recorder };
}

async function subscribeRecorder(client: EventBridgeClient, eventBusName = "default"): Promise<void> {
  await client.send(
    new PutRuleCommand({
      Name: "orders",
      EventBusName: eventBusName,
      EventPattern: JSON.stringify({ source: ["orders"] }),
    }),
  );
  await client.send(
    new PutTargetsCommand({
      Rule: "orders",
      EventBusName: eventBusName,
      Targets: [{ Id: "recorder", Arn: RECORDER_ARN }],
    }),
  );
}

const orderPlaced: PutEventsRequestEntry = {
  Source: "orders",
  DetailType: "OrderPlaced",
  Detail: JSON.stringify({ orderId: "o-1" }),
};

describe("PutEvents", () => {
  it("answers with an EventId per entry and delivers the AWS envelope in AWS field order", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribeRecorder(client);

    // Act
    const response = await client.send(
      new PutEventsCommand({
        Entries: [{ ...orderPlaced, Time: new Date("2017-12-22T18:43:48.123Z"), Resources: ["arn:aws:s3:::bucket"] }],
      }),
    );
    await bridge.whenIdle();

    // Assert
    expect(response.FailedEntryCount).toBe(0);
    const eventId = response.Entries?.[0]?.EventId;
    expect(eventId).toMatch(UUID_V4);
    expect(recorder.calls).toHaveLength(1);
    const event = recorder.calls[0]?.input as Record<string, unknown>;
    expect(Object.keys(event)).toEqual([
      "version",
      "id",
      "detail-type",
      "source",
      "account",
      "time",
      "region",
      "resources",
      "detail",
    ]);
    expect(event).toEqual({
      version: "0",
      id: eventId,
      "detail-type": "OrderPlaced",
      source: "orders",
      account: "000000000000",
      time: "2017-12-22T18:43:48Z",
      region: "ap-southeast-1",
      resources: ["arn:aws:s3:::bucket"],
      detail: { orderId: "o-1" },
    });
  });

  it("uses the time of the call when the entry has no Time, and [] when it has no Resources", async () => {
    // Prepare
    const { client, bridge, recorder } = await start({ clock: () => new Date("2026-03-01T10:20:30.999Z") });
    await subscribeRecorder(client);

    // Act
    await client.send(new PutEventsCommand({ Entries: [orderPlaced] }));
    await bridge.whenIdle();

    // Assert
    expect(recorder.calls[0]?.input).toMatchObject({ time: "2026-03-01T10:20:30Z", resources: [] });
  });

  it("returns before delivering: targets run after putEvents has answered", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribeRecorder(client);

    // Act
    bridge.putEvents({ Entries: [orderPlaced] });
    const callsRightAfterPutEvents = recorder.calls.length;
    await bridge.whenIdle();

    // Assert
    expect(callsRightAfterPutEvents).toBe(0);
    expect(recorder.calls).toHaveLength(1);
  });

  it("rejects 11 entries as a whole with AWS's ValidationException", async () => {
    // Prepare
    const { client, bridge } = await start();

    // Act
    const sending = client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => orderPlaced) }));

    // Assert
    await expect(sending).rejects.toMatchObject({
      name: "ValidationException",
      $metadata: { httpStatusCode: 400 },
      message: expect.stringMatching(
        /^1 validation error detected: Value '\[PutEventsRequestEntry\(time=null, source=orders, .*\)\]' at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/,
      ),
    });
    expect(bridge.listAcceptedEvents()).toHaveLength(0);
  });

  it("rejects an empty Entries list", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const sending = client.send(new PutEventsCommand({ Entries: [] }));

    // Assert
    await expect(sending).rejects.toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1",
    });
  });

  it("rejects a request over the default 1 MB limit as a whole", async () => {
    // Prepare
    const { client, bridge } = await start();
    const detail = JSON.stringify({ blob: "x".repeat(1_048_576) });

    // Act
    const sending = client.send(new PutEventsCommand({ Entries: [{ ...orderPlaced, Detail: detail }] }));

    // Assert
    await expect(sending).rejects.toMatchObject({
      name: "ValidationException",
      message: "Total size of the entries in the request is over the limit.",
    });
    expect(bridge.listAcceptedEvents()).toHaveLength(0);
  });

  it("accepts 300 KB under the 1 MB default but not under the legacy 256 KB limit", async () => {
    // Prepare
    const current = await start();
    const legacy = await start({ maxPutEventsSizeBytes: 262_144 });
    const entry = { ...orderPlaced, Detail: JSON.stringify({ blob: "x".repeat(300_000) }) };

    // Act
    const accepted = await current.client.send(new PutEventsCommand({ Entries: [entry] }));
    const rejected = legacy.client.send(new PutEventsCommand({ Entries: [entry] }));

    // Assert
    expect(accepted.FailedEntryCount).toBe(0);
    await expect(rejected).rejects.toMatchObject({ name: "ValidationException" });
  });

  it("computes the size the AWS way: 14 bytes for Time plus UTF-8 bytes of Source, DetailType, Detail and Resources", async () => {
    // Prepare: Time 14 + "orders" 6 + "Ä" 2 + '{"a":"€"}' 11 + "r1" 2 + "r2" 2 = 37 bytes; EventBusName does not count.
    const atLimit = await start({ maxPutEventsSizeBytes: 37 });
    const belowLimit = await start({ maxPutEventsSizeBytes: 36 });
    const entry: PutEventsRequestEntry = {
      Time: new Date(),
      Source: "orders",
      DetailType: "Ä",
      Detail: '{"a":"€"}',
      Resources: ["r1", "r2"],
      EventBusName: "default",
    };

    // Act
    const accepted = await atLimit.client.send(new PutEventsCommand({ Entries: [entry] }));
    const rejected = belowLimit.client.send(new PutEventsCommand({ Entries: [entry] }));

    // Assert
    expect(accepted.FailedEntryCount).toBe(0);
    await expect(rejected).rejects.toMatchObject({
      message: "Total size of the entries in the request is over the limit.",
    });
  });

  it("fails bad entries one by one, in request order, and still accepts the good ones", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    await subscribeRecorder(client);
    const entries: PutEventsRequestEntry[] = [
      { DetailType: "OrderPlaced", Detail: "{}" },
      { Source: "orders", DetailType: "", Detail: "{}" },
      { Source: "orders", DetailType: "OrderPlaced" },
      orderPlaced,
      { ...orderPlaced, Detail: "[]" },
      { ...orderPlaced, Detail: "NotJSON" },
      { ...orderPlaced, Detail: '"NotJSON"' },
      { ...orderPlaced, Source: "aws.s3" },
      { ...orderPlaced, DetailType: "x".repeat(129) },
    ];

    // Act
    const response = await client.send(new PutEventsCommand({ Entries: entries }));
    await bridge.whenIdle();

    // Assert
    expect(response.FailedEntryCount).toBe(8);
    const results = response.Entries ?? [];
    expect(results.map((entry) => entry.ErrorCode ?? "ok")).toEqual([
      "InvalidArgument",
      "InvalidArgument",
      "InvalidArgument",
      "ok",
      "MalformedDetail",
      "MalformedDetail",
      "MalformedDetail",
      "NotAuthorizedForSourceException",
      "InvalidArgument",
    ]);
    expect(results[0]?.ErrorMessage).toBe("Parameter Source is not valid. Reason: Source is a required argument.");
    expect(results[1]?.ErrorMessage).toBe(
      "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
    );
    expect(results[2]?.ErrorMessage).toBe("Parameter Detail is not valid. Reason: Detail is a required argument.");
    expect(results[4]?.ErrorMessage).toBe("Detail is malformed.");
    expect(results[7]?.ErrorMessage).toBe("Not authorized for the source.");
    expect(results.filter((entry) => entry.EventId !== undefined)).toHaveLength(1);
    expect(results[0]?.EventId).toBeUndefined();
    expect(recorder.calls.map((call) => (call.input as { id: string }).id)).toEqual([results[3]?.EventId]);
  });

  it("accepts an entry for a bus that does not exist, drops it, warns loudly and counts the drop", async () => {
    // Prepare
    const { client, bridge, recorder, warnings } = await start();
    await subscribeRecorder(client);

    // Act
    const response = await client.send(
      new PutEventsCommand({ Entries: [{ ...orderPlaced, EventBusName: "no-such-bus" }] }),
    );
    await bridge.whenIdle();

    // Assert
    expect(response.FailedEntryCount).toBe(0);
    expect(response.Entries?.[0]?.EventId).toMatch(UUID_V4);
    expect(recorder.calls).toHaveLength(0);
    expect(bridge.listAcceptedEvents()).toHaveLength(0);
    expect(warnings.join("\n")).toMatch(/event bus "no-such-bus" does not exist.*DROPPED/);
    expect(bridge.getStatistics().droppedEventsByBus).toEqual({ "no-such-bus": 1 });
  });

  it("takes EventBusName as a name or as an ARN", async () => {
    // Prepare
    const { client, bridge, recorder } = await start();
    const { EventBusArn } = await client.send(new CreateEventBusCommand({ Name: "orders-bus" }));
    await subscribeRecorder(client, "orders-bus");

    // Act
    await client.send(
      new PutEventsCommand({
        Entries: [
          { ...orderPlaced, EventBusName: "orders-bus" },
          { ...orderPlaced, EventBusName: EventBusArn },
        ],
      }),
    );
    await bridge.whenIdle();

    // Assert
    expect(EventBusArn).toBe("arn:aws:events:ap-southeast-1:000000000000:event-bus/orders-bus");
    expect(recorder.calls).toHaveLength(2);
    expect(bridge.listAcceptedEvents("orders-bus").map((accepted) => accepted.eventBusArn)).toEqual([
      EventBusArn,
      EventBusArn,
    ]);
  });

  it("journals accepted events and tells onEventAccepted listeners, unsubscribed on request", async () => {
    // Prepare
    const { client, bridge } = await start({ journalCapacity: 2 });
    const seen: string[] = [];
    const unsubscribe = bridge.onEventAccepted((accepted) => seen.push(accepted.event["detail-type"]));

    // Act
    await client.send(
      new PutEventsCommand({ Entries: ["A", "B", "C"].map((type) => ({ ...orderPlaced, DetailType: type })) }),
    );
    unsubscribe();
    await client.send(new PutEventsCommand({ Entries: [{ ...orderPlaced, DetailType: "D" }] }));

    // Assert
    expect(seen).toEqual(["A", "B", "C"]);
    expect(bridge.listAcceptedEvents().map((accepted) => accepted.event["detail-type"])).toEqual(["C", "D"]);
    expect(bridge.getStatistics().acceptedEvents).toBe(4);
  });
});
