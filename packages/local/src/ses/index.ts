export { startLocalSes, type LocalSes, type LocalSesOptions, type RecipientRule } from "./local-ses";
export { SES_MAIL_PAGE_PATH, mailPageUrlOn } from "./ses-mail-page";
export { parseStoredEmails, UnexpectedSesStoreError, type SentEmail, type SentEmailAttachment } from "./sent-email";
export { credentialScopeOf, signingServiceOf, type CredentialScope } from "./signing-service";
export { AwsQueryError } from "./aws-query-protocol";
export { FaultQueue, defaultStatusForErrorCode, type FailNextOptions, type InjectedFault } from "./fault-queue";
