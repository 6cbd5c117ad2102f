export { startLocalSes, type LocalSes, type LocalSesOptions, type RecipientRule } from "./local-ses";
export { SES_MAIL_PAGE_PATH, mailPageUrlOn } from "./ses-mail-page";
export { parseStoredEmails, UnexpectedSesStoreError, type SentEmail, type SentEmailAttachment } from "./sent-email";
export { SesIdentities } from "./ses-identities";
