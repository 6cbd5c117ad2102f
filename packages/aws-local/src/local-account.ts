/** The account every local ARN and `sts get-caller-identity` name. */
export const LOCAL_ACCOUNT = "000000000000";
/** The region the local endpoint answers in when neither the request's signature nor the options name one. */
export const DEFAULT_LOCAL_REGION = "ap-southeast-1";
