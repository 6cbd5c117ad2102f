import { describe, expect, it } from "vitest";
import { EventBusRegistry } from "./event-bus-registry";
import { buildEventEnvelope, type EventEnvelope } from "./event-envelope";
import type { AcceptedEvent } from "./event-journal";
import { EventRouter, testEventPattern } from "./event-routing";
import { EventBridgeArns } from "./eventbridge-arns";
import { PendingWork } from "./pending-work";
import { DEFAULT_MAXIMUM_EVENT_AGE_SECONDS, DEFAULT_MAXIMUM_RETRY_ATTEMPTS, type DeliveryJob } from "./target-delivery";

const FUNCTION = "arn:aws:lambda:ap-southeast-1:000000000000:function:";
const ORDERS = JSON.stringify({ source: ["orders"] });
const arns = new EventBridgeArns("ap-southeast-1", "000000000000");

/** A registry and a router over it, without HTTP; deliveries are recorded instead of run. */
function setUp() {
  const registry = new EventBusRegistry({ arns, now: () => Date.parse("2026-01-02T03:04:05Z"), warn: () => undefined });
  const delivered: DeliveryJob[] = [];
  const router = new EventRouter({
    rules: registry,
    delivery: {
      deliver: (job) => {
        delivered.push(job);
        return Promise.resolve({ status: "delivered", attempts: 1 });
      },
    },
    pending: new PendingWork(),
    warn: () => undefined,
  });
  return { registry, router, delivered };
}

function orderEvent(source = "orders"): EventEnvelope {
  return buildEventEnvelope({
    id: "11111111-2222-4333-8444-555555555555",
    detailType: "OrderPlaced",
    source,
    account: "000000000000",
    time: new Date("2026-01-02T03:04:05Z"),
    region: "ap-southeast-1",
    resources: [],
    detail: { orderId: "o-1" },
  });
}

function accepted(event: EventEnvelope, eventBusName = "default"): AcceptedEvent {
  return {
    event,
    eventBusName,
    eventBusArn: arns.eventBus(eventBusName),
    ingestionTime: new Date("2026-01-02T03:04:06Z"),
    sizeBytes: 0,
    archivedSizeBytes: 0,
  };
}

describe("EventRouter.matchingRules", () => {
  it("selects the enabled rules of the event's bus whose pattern matches, in the order they were put", () => {
    // Prepare
    const { registry, router } = setUp();
    registry.createEventBus({ Name: "other" });
    registry.putRule({ Name: "second", EventPattern: ORDERS });
    registry.putRule({ Name: "first", EventPattern: JSON.stringify({ "detail-type": ["OrderPlaced"] }) });
    registry.putRule({ Name: "disabled", EventPattern: ORDERS, State: "DISABLED" });
    registry.putRule({ Name: "payments", EventPattern: JSON.stringify({ source: ["payments"] }) });
    registry.putRule({ Name: "nightly", ScheduleExpression: "rate(1 day)" });
    registry.putRule({ Name: "elsewhere", EventBusName: "other", EventPattern: ORDERS });

    // Act
    const names = [...router.matchingRules("default", orderEvent())].map((rule) => rule.name);

    // Assert
    expect(names).toEqual(["second", "first"]);
  });

  it("narrows to the rules in filterArns without bringing back a disabled one", () => {
    // Prepare
    const { registry, router } = setUp();
    registry.putRule({ Name: "kept", EventPattern: ORDERS });
    registry.putRule({ Name: "left-out", EventPattern: ORDERS });
    registry.putRule({ Name: "disabled", EventPattern: ORDERS, State: "DISABLED" });
    const filterArns = new Set([arns.rule("default", "kept"), arns.rule("default", "disabled")]);

    // Act
    const names = [...router.matchingRules("default", orderEvent(), filterArns)].map((rule) => rule.name);

    // Assert
    expect(names).toEqual(["kept"]);
  });

  it("finds nothing on a bus that does not exist", () => {
    // Prepare
    const { registry, router } = setUp();
    registry.putRule({ Name: "all", EventPattern: ORDERS });

    // Act
    const rules = [...router.matchingRules("no-such-bus", orderEvent())];

    // Assert
    expect(rules).toEqual([]);
  });
});

describe("EventRouter.deliveryJobs", () => {
  it("makes one job per target with its rendered input, retry policy (AWS's defaults where absent) and DLQ", () => {
    // Prepare
    const { registry, router } = setUp();
    registry.createEventBus({ Name: "orders" });
    registry.putRule({ Name: "all", EventBusName: "orders", EventPattern: ORDERS });
    registry.putTargets({
      Rule: "all",
      EventBusName: "orders",
      Targets: [
        { Id: "whole", Arn: `${FUNCTION}whole` },
        {
          Id: "order-id",
          Arn: `${FUNCTION}order-id`,
          InputPath: "$.detail.orderId",
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 120 },
          DeadLetterConfig: { Arn: "arn:aws:sqs:ap-southeast-1:000000000000:order-id-dlq" },
        },
      ],
    });
    const event = orderEvent();

    // Act
    const jobs = [...router.deliveryJobs(accepted(event, "orders"))];

    // Assert
    const common = {
      event,
      eventBusName: "orders",
      ruleName: "all",
      ruleArn: arns.rule("orders", "all"),
      ingestionTime: new Date("2026-01-02T03:04:06Z"),
      ageOrigin: new Date("2026-01-02T03:04:06Z"),
    };
    expect(jobs).toEqual([
      {
        ...common,
        input: event,
        targetId: "whole",
        targetArn: `${FUNCTION}whole`,
        maximumRetryAttempts: DEFAULT_MAXIMUM_RETRY_ATTEMPTS,
        maximumEventAgeSeconds: DEFAULT_MAXIMUM_EVENT_AGE_SECONDS,
      },
      {
        ...common,
        input: "o-1",
        targetId: "order-id",
        targetArn: `${FUNCTION}order-id`,
        maximumRetryAttempts: 2,
        maximumEventAgeSeconds: 120,
        deadLetterArn: "arn:aws:sqs:ap-southeast-1:000000000000:order-id-dlq",
      },
    ]);
  });

  it("routes nothing for an event no rule matches", () => {
    // Prepare
    const { registry, router, delivered } = setUp();
    registry.putRule({ Name: "all", EventPattern: ORDERS });
    registry.putTargets({ Rule: "all", Targets: [{ Id: "t", Arn: `${FUNCTION}t` }] });

    // Act
    router.route(accepted(orderEvent("payments")));

    // Assert
    expect(delivered).toEqual([]);
  });

  it("hands every job of a matching event to delivery when routing", () => {
    // Prepare
    const { registry, router, delivered } = setUp();
    registry.putRule({ Name: "all", EventPattern: ORDERS });
    registry.putTargets({
      Rule: "all",
      Targets: [
        { Id: "a", Arn: `${FUNCTION}a` },
        { Id: "b", Arn: `${FUNCTION}b` },
      ],
    });

    // Act
    router.route(accepted(orderEvent()));

    // Assert
    expect(delivered.map((job) => job.targetId)).toEqual(["a", "b"]);
  });
});

describe("testEventPattern", () => {
  it("answers whether the event matches, with no bus or rule involved", () => {
    // Prepare
    const event = JSON.stringify(orderEvent());

    // Act
    const results = [ORDERS, JSON.stringify({ source: ["payments"] })].map((pattern) =>
      testEventPattern({ EventPattern: pattern, Event: event }),
    );

    // Assert
    expect(results).toEqual([{ Result: true }, { Result: false }]);
  });

  it("refuses an event without the envelope's required fields", () => {
    // Act
    const testing = () => testEventPattern({ EventPattern: ORDERS, Event: JSON.stringify({ source: "orders" }) });

    // Assert
    expect(testing).toThrow("Parameter Event is not valid.");
  });
});
