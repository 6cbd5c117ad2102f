export * from "./http/local-endpoint";
export * from "./dynamodb/dynalite-server";
export * from "./dynamodb/create-table";
export * from "./lambda/lambda-invoke-service";
export * from "./lambda/calculate-cost";
export * from "./local-stack";
export * from "./lambda/lambda-context";
export * from "./lambda/lambda-target-invoker";
export * from "./runtime/provision";
export * from "./ses/index";
export * from "./sns/index";
export * from "./runtime/local-runtime";
export * from "./runtime/port-check";
export * from "./demo/run-demo";
export * from "./runtime/admin-service";
export * from "./operator/index";
/** Fault injection for tests (`faults.FaultInjector`, the service hooks); a namespace, as some names repeat the services' own. */
export * as faults from "./faults/index";
export * from "./dynamodb/dynamodb-proxy";
