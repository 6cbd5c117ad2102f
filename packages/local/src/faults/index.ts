export * from "./fault-kinds";
export * from "./seeded-random";
export * from "./fault-injector";
export * from "./dynamodb-faults";
export * from "./put-events-faults";
export * from "./notification-faults";
export * from "./calculate-cost-faults";
export * from "./subscriber-outage";
