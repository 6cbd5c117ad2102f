import { aws_ses as ses, type aws_events as events, type Stack } from "aws-cdk-lib";
import { RECORDED_SES_EVENT_TYPES } from "@payment3/core";

export interface EmailConfigurationSet {
  readonly configurationSet: ses.ConfigurationSet;
  /** What `ses:SendEmail` must be allowed on besides the sender identity when an email names the set. */
  readonly arn: string;
}

/**
 * The configuration set every customer email is sent with, and its EventBridge destination: SES publishes each
 * email's events (sent, delivered, bounced, complained, rejected, delayed) to the account's default bus, the only
 * bus SES takes (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventBridgeDestination.html).
 */
export function createEmailConfigurationSet(
  stack: Stack,
  props: { readonly configurationSetName: string; readonly defaultBus: events.IEventBus },
): EmailConfigurationSet {
  const configurationSet = new ses.ConfigurationSet(stack, "EmailConfigurationSet", {
    configurationSetName: props.configurationSetName,
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
