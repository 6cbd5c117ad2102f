import { aws_iam as iam, type aws_events as events, type Stack } from "aws-cdk-lib";
import { CONFIRMATION_SOURCE_BY_CHANNEL } from "@payment3/events";
import { constructId } from "./resource-names";

/**
 * The managed policy the wallet and bank-app callback roles attach: PutEvents on this bus
 * only, and only as a callback source. One statement per channel, so a role can publish a
 * confirmation as `payment3.wallet-callback` or `payment3.bank-app-callback` but never as the
 * processor (which would forge an OrderPaid).
 */
export function createCallbackPublishPolicy(
  stack: Stack,
  props: { readonly bus: events.IEventBus; readonly managedPolicyName: string },
): iam.ManagedPolicy {
  return new iam.ManagedPolicy(stack, "CallbackPublishPolicy", {
    managedPolicyName: props.managedPolicyName,
    description: `Lets a payment callback publish WalletPaymentConfirmed to ${props.bus.eventBusName}`,
    statements: Object.entries(CONFIRMATION_SOURCE_BY_CHANNEL).map(
      ([channel, source]) =>
        new iam.PolicyStatement({
          sid: `PublishAs${constructId(channel)}Callback`,
          effect: iam.Effect.ALLOW,
          actions: ["events:PutEvents"],
          resources: [props.bus.eventBusArn],
          conditions: { StringEquals: { "events:source": source } },
        }),
    ),
  });
}
