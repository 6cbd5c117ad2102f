// The public API of the local AWS emulator: one endpoint, the services behind it, and the parts a
// project composes its own local stack from.
export * from "./aws-local";
export { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "./local-account";
export * from "./http/local-endpoint";
export {
  AwsQueryError,
  escapeXml,
  pathOf,
  queryActionOf,
  queryErrorResponse,
  queryXmlResponse,
  readQueryParameters,
} from "./http/aws-query-protocol";
export { credentialScopeOf, signingServiceOf, type CredentialScope } from "./http/signing-service";
export { fakeSigV4Authorization } from "./http/fake-sigv4";
export { FaultQueue, defaultStatusForErrorCode, type FailNextOptions, type InjectedFault } from "./fault-queue";
export * from "./dynamodb/dynalite-server";
export * from "./dynamodb/create-table";
export * from "./dynamodb/dynamodb-proxy";
export * from "./eventbridge/index";
export * from "./event-pattern/index";
export * from "./lambda/lambda-invoke-service";
export * from "./lambda/async-invocations";
export * from "./lambda/event-invoke-config-service";
export * from "./lambda/get-function-service";
export * from "./lambda/lambda-context";
export * from "./lambda/lambda-target-invoker";
export * from "./lambda/local-function-logger";
export * from "./ses/index";
export * from "./sns/index";
export * from "./sts/local-sts";
