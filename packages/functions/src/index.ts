export * from "./processor/processor-handler";
export * from "./processor/processor-subscription";
