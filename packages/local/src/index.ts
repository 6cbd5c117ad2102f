export * from "./local-stack";
export * from "./runtime/provision";
export * from "./runtime/local-runtime";
export * from "./runtime/port-check";
export * from "./demo/run-demo";
export * from "./runtime/admin-service";
export * from "./operator/index";
/** Fault injection for tests (`faults.FaultInjector`, the service hooks); a namespace, as some names repeat the services' own. */
export * as faults from "./faults/index";
