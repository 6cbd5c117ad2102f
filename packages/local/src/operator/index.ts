export * from "./time-arguments";
export * from "./archive-replay";
export * from "./local-operator-client";
export * from "./aws-dead-letters";
export * from "./bus-status";
