import { describe, expect, it } from "vitest";
import { archiveNameOf, EventBridgeArns } from "./eventbridge-arns";

const arns = new EventBridgeArns("eu-central-1", "123456789012");

describe("EventBridgeArns building", () => {
  it("puts the region and account into event-bus, archive and replay ARNs", () => {
    // Act
    const built = [arns.eventBus("orders"), arns.archive("orders-archive"), arns.replay("replay-1")];

    // Assert
    expect(built).toEqual([
      "arn:aws:events:eu-central-1:123456789012:event-bus/orders",
      "arn:aws:events:eu-central-1:123456789012:archive/orders-archive",
      "arn:aws:events:eu-central-1:123456789012:replay/replay-1",
    ]);
  });

  it("names the bus in a rule ARN except on the default bus", () => {
    // Act
    const onDefault = arns.rule("default", "all-orders");
    const onCustom = arns.rule("orders", "all-orders");

    // Assert
    expect(onDefault).toBe("arn:aws:events:eu-central-1:123456789012:rule/all-orders");
    expect(onCustom).toBe("arn:aws:events:eu-central-1:123456789012:rule/orders/all-orders");
  });
});

describe("EventBridgeArns.eventBusNameOf", () => {
  it("reads an absent or empty EventBusName as the default bus", () => {
    // Act
    const names = [arns.eventBusNameOf(undefined), arns.eventBusNameOf("")];

    // Assert
    expect(names).toEqual(["default", "default"]);
  });

  it("takes a plain name as it is and an ARN of its own region and account (any partition) as the bus name", () => {
    // Act
    const names = [
      arns.eventBusNameOf("orders"),
      arns.eventBusNameOf(arns.eventBus("orders")),
      arns.eventBusNameOf("arn:aws-cn:events:eu-central-1:123456789012:event-bus/orders"),
    ];

    // Assert
    expect(names).toEqual(["orders", "orders", "orders"]);
  });

  it("keeps the ARN of another region or account whole, so it names no local bus", () => {
    // Prepare
    const otherRegion = "arn:aws:events:us-east-1:123456789012:event-bus/orders";
    const otherAccount = "arn:aws:events:eu-central-1:000000000000:event-bus/orders";

    // Act
    const names = [arns.eventBusNameOf(otherRegion), arns.eventBusNameOf(otherAccount)];

    // Assert
    expect(names).toEqual([otherRegion, otherAccount]);
  });
});

describe("EventBridgeArns.eventBusNameForMessage", () => {
  it("names the bus of any event-bus ARN, the default bus when absent, and keeps other text", () => {
    // Act
    const names = [
      arns.eventBusNameForMessage("arn:aws:events:us-east-1:111111111111:event-bus/doesnotexist-x"),
      arns.eventBusNameForMessage(arns.eventBus("orders")),
      arns.eventBusNameForMessage(undefined),
      arns.eventBusNameForMessage("ghost"),
    ];

    // Assert
    expect(names).toEqual(["doesnotexist-x", "orders", "default", "ghost"]);
  });
});

describe("archiveNameOf", () => {
  it("reads the name from an archive ARN of any region and account, and takes anything else as a name", () => {
    // Act
    const names = [
      archiveNameOf(arns.archive("orders-archive")),
      archiveNameOf("arn:aws:events:us-east-1:000000000000:archive/elsewhere"),
      archiveNameOf("plain-name"),
      archiveNameOf("arn:aws:events:eu-central-1:123456789012:event-bus/orders"),
    ];

    // Assert
    expect(names).toEqual([
      "orders-archive",
      "elsewhere",
      "plain-name",
      "arn:aws:events:eu-central-1:123456789012:event-bus/orders",
    ]);
  });
});
