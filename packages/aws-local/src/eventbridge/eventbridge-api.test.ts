import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  ListEventBusesCommand,
  ListRulesCommand,
  PutEventsCommand,
  PutRuleCommand,
} from "@aws-sdk/client-eventbridge";
import { afterEach, describe, expect, it } from "vitest";
import {
  rejectionOf,
  sendRawRequest,
  startEventBridgeHarness,
  type EventBridgeHarness,
} from "./eventbridge-test-harness";

const harnesses: EventBridgeHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

async function start(options: Parameters<typeof startEventBridgeHarness>[0] = {}) {
  const harness = await startEventBridgeHarness(options);
  harnesses.push(harness);
  return harness;
}

describe("event buses", () => {
  it("creates, describes, lists and deletes a custom bus", async () => {
    // Prepare
    const created = new Date("2026-02-03T04:05:06.500Z");
    const { client } = await start({ clock: () => created });

    // Act
    const { EventBusArn } = await client.send(
      new CreateEventBusCommand({ Name: "orders", Description: "order events" }),
    );
    const described = await client.send(new DescribeEventBusCommand({ Name: "orders" }));
    const listed = await client.send(new ListEventBusesCommand({}));
    await client.send(new DeleteEventBusCommand({ Name: "orders" }));
    const listedAfterDelete = await client.send(new ListEventBusesCommand({}));

    // Assert
    expect(EventBusArn).toBe("arn:aws:events:ap-southeast-1:000000000000:event-bus/orders");
    expect(described).toMatchObject({
      Name: "orders",
      Arn: EventBusArn,
      Description: "order events",
      CreationTime: created,
      LastModifiedTime: created,
    });
    expect(listed.EventBuses?.map((bus) => bus.Name)).toEqual(["default", "orders"]);
    expect(listedAfterDelete.EventBuses?.map((bus) => bus.Name)).toEqual(["default"]);
  });

  it("describes the default bus when no name is given", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const described = await client.send(new DescribeEventBusCommand({}));

    // Assert
    expect(described.Arn).toBe("arn:aws:events:ap-southeast-1:000000000000:event-bus/default");
  });

  it("lists buses by name prefix, in pages", async () => {
    // Prepare
    const { client } = await start();
    for (const name of ["team-c", "team-a", "team-b", "other"])
      await client.send(new CreateEventBusCommand({ Name: name }));

    // Act
    const first = await client.send(new ListEventBusesCommand({ NamePrefix: "team-", Limit: 2 }));
    const second = await client.send(
      new ListEventBusesCommand({ NamePrefix: "team-", Limit: 2, NextToken: first.NextToken }),
    );

    // Assert
    expect(first.EventBuses?.map((bus) => bus.Name)).toEqual(["team-a", "team-b"]);
    expect(second.EventBuses?.map((bus) => bus.Name)).toEqual(["team-c"]);
    expect(second.NextToken).toBeUndefined();
  });

  it("refuses a custom bus name with '/' or characters outside [/.-_A-Za-z0-9] with a ValidationException, and creates nothing", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const slash = await rejectionOf(client.send(new CreateEventBusCommand({ Name: "bad/name" })));
    const space = await rejectionOf(client.send(new CreateEventBusCommand({ Name: "bad name" })));
    const listed = await client.send(new ListEventBusesCommand({}));

    // Assert
    expect(slash).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("a custom event bus name can't contain '/'"),
    });
    expect(space).toMatchObject({
      name: "ValidationException",
      message: expect.stringContaining("Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+"),
    });
    expect(listed.EventBuses?.map((bus) => bus.Name)).toEqual(["default"]);
  });

  it("answers AWS's errors for a duplicate, an unknown and the default bus", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: "orders" }));

    // Act
    const [duplicate, unknown, deleteDefault] = await Promise.all([
      rejectionOf(client.send(new CreateEventBusCommand({ Name: "orders" }))),
      rejectionOf(client.send(new DescribeEventBusCommand({ Name: "ghost" }))),
      rejectionOf(client.send(new DeleteEventBusCommand({ Name: "default" }))),
    ]);

    // Assert
    expect(duplicate).toMatchObject({
      name: "ResourceAlreadyExistsException",
      message: "Event bus orders already exists.",
    });
    expect(unknown).toMatchObject({ name: "ResourceNotFoundException", message: "Event bus ghost does not exist." });
    expect(deleteDefault).toMatchObject({ name: "ValidationException", message: "Cannot delete event bus default." });
  });

  it("deletes a bus together with its rules, and deleting a missing bus succeeds", async () => {
    // Prepare
    const { client } = await start();
    await client.send(new CreateEventBusCommand({ Name: "orders" }));
    await client.send(
      new PutRuleCommand({ Name: "r1", EventBusName: "orders", EventPattern: '{"source":["orders"]}' }),
    );

    // Act
    await client.send(new DeleteEventBusCommand({ Name: "orders" }));
    await client.send(new CreateEventBusCommand({ Name: "orders" }));
    const rules = await client.send(new ListRulesCommand({ EventBusName: "orders" }));
    const missing = await client.send(new DeleteEventBusCommand({ Name: "ghost" }));

    // Assert
    expect(rules.Rules).toEqual([]);
    expect(missing.$metadata.httpStatusCode).toBe(200);
  });

  it("rejects a bus name outside AWS's pattern", async () => {
    // Prepare
    const { client } = await start();

    // Act
    const creating = client.send(new CreateEventBusCommand({ Name: "bad name" }));

    // Assert
    await expect(creating).rejects.toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [/\\.\\-_A-Za-z0-9]+",
    });
  });
});

describe("the AWS JSON 1.1 protocol", () => {
  it("answers a body that is not JSON with SerializationException and keeps serving", async () => {
    // Prepare
    const { endpoint, client } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "PutEvents", '{"Entries": [');
    const nextCall = await client.send(
      new PutEventsCommand({ Entries: [{ Source: "orders", DetailType: "T", Detail: "{}" }] }),
    );

    // Assert
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      __type: "SerializationException",
      message: expect.stringMatching(
        /^The request body is not valid JSON \(.+\)\. Send a JSON object with Content-Type application\/x-amz-json-1\.1\.$/,
      ),
    });
    expect(nextCall.FailedEntryCount).toBe(0);
  });

  it.each([
    ["a JSON array body", "[]", "The request body must be a JSON object, got an array."],
    ["a member of the wrong type", '{"Entries": "not a list"}', "Member entries must be a list, got a string."],
    [
      "an entry member of the wrong type",
      '{"Entries": [{"Source": 5}]}',
      "Member entries.1.member.source must be a string, got a number.",
    ],
  ])("answers %s with SerializationException", async (_, body, message) => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "PutEvents", body);

    // Assert
    expect(response).toEqual({ status: 400, body: { __type: "SerializationException", message } });
  });

  it("answers missing required members with one ValidationException naming each", async () => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "PutTargets", '{"Targets": [{"Id": "t1"}]}');

    // Assert
    expect(response).toEqual({
      status: 400,
      body: {
        __type: "ValidationException",
        message:
          "2 validation errors detected: Value null at 'targets.1.member.arn' failed to satisfy constraint: Member must not be null; " +
          "Value null at 'rule' failed to satisfy constraint: Member must not be null",
      },
    });
  });

  it("answers an operation it does not serve with UnknownOperationException", async () => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "CreateApiDestination", "{}");

    // Assert
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      __type: "UnknownOperationException",
      message: expect.stringContaining('does not serve operation "CreateApiDestination"'),
    });
  });

  it("treats an empty body as an empty input", async () => {
    // Prepare
    const { endpoint } = await start();

    // Act
    const response = await sendRawRequest(endpoint.url, "ListEventBuses", "");

    // Assert
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ EventBuses: [{ Name: "default", CreationTime: expect.any(Number) }] });
  });

  it("writes timestamps as epoch seconds", async () => {
    // Prepare
    const { endpoint } = await start({ clock: () => new Date("2026-02-03T04:05:06.500Z") });

    // Act
    const response = await sendRawRequest(endpoint.url, "DescribeEventBus", "{}");

    // Assert
    expect(response.body.CreationTime).toBe(Date.parse("2026-02-03T04:05:06.500Z") / 1000);
  });

  it("answers 500 InternalException when an operation fails unexpectedly, and keeps serving", async () => {
    // Prepare
    const { endpoint, bridge, client, warnings } = await start();
    const original = bridge.listEventBuses.bind(bridge);
    bridge.listEventBuses = () => {
      throw new Error("disk on fire");
    };

    // Act
    const failed = await sendRawRequest(endpoint.url, "ListEventBuses", "{}");
    bridge.listEventBuses = original;
    const recovered = await client.send(new ListEventBusesCommand({}));

    // Assert
    expect(failed).toEqual({ status: 500, body: { __type: "InternalException", message: "disk on fire" } });
    expect(warnings.join("\n")).toContain("disk on fire");
    expect(recovered.EventBuses).toHaveLength(1);
  });
});
