export * from "./http/local-endpoint.ts";
export * from "./dynamodb/dynalite-server.ts";
export * from "./dynamodb/create-table.ts";
export * from "./lambda/lambda-invoke-service.ts";
export * from "./lambda/calculate-cost.ts";
