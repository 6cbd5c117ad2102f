export * from "./subscription";
export * from "./subscriptions";
export * from "./processor/processor-handler";
export * from "./processor/processor-subscription";
export * from "./audit-log/audit-log-handler";
export * from "./audit-log/audit-log-subscription";
export * from "./notifications/notifications-handler";
export * from "./notifications/notifications-subscription";
