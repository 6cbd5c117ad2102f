import { aws_ses as ses, type aws_events as events, type Stack } from "aws-cdk-lib";
import { EMAIL_SUPPRESSED_REASONS, RECORDED_SES_EVENT_TYPES } from "@payment3/core";

export interface EmailConfigurationSet {
  readonly configurationSet: ses.ConfigurationSet;
  /** What `ses:SendEmail` must be allowed on besides the sender identity when an email names the set. */
  readonly arn: string;
}

/**
 * The configuration set every customer email is sent with, and its EventBridge destination: SES publishes each
 * email's events (sent, delivered, bounced, complained, rejected, delayed) to the account's default bus, the only
 * bus SES takes (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventBridgeDestination.html).
 * Its suppression options add a hard-bounced or complained address to the account-level suppression list, and make
 * SES refuse delivery to a listed address whatever the account's own settings: a later email to it is accepted, not
 * delivered, and reported as a `Permanent`/`OnAccountSuppressionList` bounce, with no request of ours on the send path.
 */
export function createEmailConfigurationSet(
  stack: Stack,
  props: { readonly configurationSetName: string; readonly defaultBus: events.IEventBus },
): EmailConfigurationSet {
  const configurationSet = new ses.ConfigurationSet(stack, "EmailConfigurationSet", {
    configurationSetName: props.configurationSetName,
    suppressionReasons: suppressionReasonsOf(EMAIL_SUPPRESSED_REASONS),
  });
  configurationSet.addEventDestination("EmailEventsToEventBridge", {
    configurationSetEventDestinationName: "eventbridge-default-bus",
    destination: ses.EventDestination.eventBus(props.defaultBus),
    events: RECORDED_SES_EVENT_TYPES.map((type) => ses.EmailSendingEvent[type]),
  });
  return {
    configurationSet,
    arn: stack.formatArn({
      service: "ses",
      resource: "configuration-set",
      resourceName: props.configurationSetName,
    }),
  };
}

/** The CDK's name for a list of SES suppression reasons (it renders `SuppressionOptions.SuppressedReasons` from it). */
function suppressionReasonsOf(reasons: readonly ("BOUNCE" | "COMPLAINT")[]): ses.SuppressionReasons {
  const bounces = reasons.includes("BOUNCE");
  const complaints = reasons.includes("COMPLAINT");
  if (bounces && complaints) return ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS;
  if (bounces) return ses.SuppressionReasons.BOUNCES_ONLY;
  if (complaints) return ses.SuppressionReasons.COMPLAINTS_ONLY;
  throw new RangeError("the configuration set must suppress at least one of BOUNCE and COMPLAINT");
}
