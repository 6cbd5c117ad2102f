export * from "./http/local-endpoint";
export * from "./dynamodb/dynalite-server";
export * from "./dynamodb/create-table";
export * from "./lambda/lambda-invoke-service";
export * from "./lambda/calculate-cost";
export * from "./local-stack";
export * from "./lambda/lambda-context";
export * from "./lambda/lambda-target-invoker";
