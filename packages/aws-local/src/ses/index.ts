export { startLocalSes, type LocalSes, type LocalSesOptions, type RecipientRule } from "./local-ses";
export { SES_MAIL_PAGE_PATH, mailPageUrlOn } from "./ses-mail-page";
export { parseStoredEmails, UnexpectedSesStoreError, type SentEmail, type SentEmailAttachment } from "./sent-email";
export { SesIdentities } from "./ses-identities";
export {
  EmailEventPublisher,
  type EmailEventSink,
  type FateRecipients,
  type RecipientFeedback,
} from "./email-event-publisher";
export {
  SES_EVENT_TYPES,
  SesConfigurationSetError,
  SesConfigurationSets,
  type SesEventDestination,
  type SesEventType,
} from "./ses-configuration-sets";
export {
  EMAIL_FATES,
  emailEventsOf,
  simulatorFateOf,
  type AcceptedMessage,
  type EmailFate,
  type SesEmailEvent,
} from "./ses-email-events";
export {
  SUPPRESSION_LIST_REASONS,
  SesSuppressionList,
  type SuppressedDestination,
  type SuppressionListReason,
} from "./ses-suppression-list";
