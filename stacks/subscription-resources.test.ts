import { SUBSCRIPTIONS, processorSubscription, type Subscription } from "@payment3/functions";
import { describe, expect, it } from "vitest";
import { assertDeployable } from "./subscription-resources";

describe("assertDeployable", () => {
  it.each(SUBSCRIPTIONS.map((subscription) => [subscription.name, subscription] as const))(
    "accepts the registry entry %s",
    (_name, subscription) => {
      expect(() => assertDeployable(subscription)).not.toThrow();
    },
  );

  it.each<[string, Partial<Subscription>, string]>([
    ["a name that cannot name AWS resources", { name: "Audit_Log" }, "name must be kebab-case"],
    [
      "more target retries than EventBridge allows",
      { retry: { maximumRetryAttempts: 186, maximumEventAgeSeconds: 3600 } },
      "retry.maximumRetryAttempts must be 0-185",
    ],
    [
      "an event age EventBridge rejects",
      { retry: { maximumRetryAttempts: 8, maximumEventAgeSeconds: 30 } },
      "retry.maximumEventAgeSeconds must be 60-86400",
    ],
    ["a DLQ retention SQS rejects", { deadLetterRetentionDays: 15 }, "deadLetterRetentionDays must be 1-14"],
    ["a timeout Lambda rejects", { timeoutSeconds: 901 }, "timeoutSeconds must be 1-900"],
  ])("refuses %s, naming the entry", (_case, change, message) => {
    const subscription: Subscription = { ...processorSubscription, ...change };

    expect(() => assertDeployable(subscription)).toThrow(`subscription "${subscription.name}": ${message}`);
  });
});
