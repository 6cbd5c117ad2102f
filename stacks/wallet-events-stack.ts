import { Duration, aws_events as events } from "aws-cdk-lib";
import { Function, type StackContext } from "sst/constructs";
import { defaultResourceNames } from "../packages/core/src/config/config";
import { processorSubscription } from "../packages/functions/src/processor/processor-subscription";

/**
 * The bus and the processor. Rules come from each consumer's subscription (its event pattern
 * as EventBridge JSON), so the stack and the local runtime route the same events.
 */
export function WalletEventsStack({ stack }: StackContext) {
  const names = defaultResourceNames(stack.stage);
  const bus = new events.EventBus(stack, "Bus", { eventBusName: names.eventBusName });

  const processor = new Function(stack, "Processor", {
    handler: processorSubscription.handler,
    timeout: 200,
    environment: { BRANCH: stack.stage, EVENT_BUS_NAME: bus.eventBusName },
  });

  new events.CfnRule(stack, "ProcessorRule", {
    eventBusName: bus.eventBusName,
    description: processorSubscription.description,
    eventPattern: processorSubscription.eventPattern,
    targets: [{ id: "processor", arn: processor.functionArn, retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: Duration.hours(24).toSeconds() } }],
  });

  stack.addOutputs({ EventBusName: bus.eventBusName, EventBusArn: bus.eventBusArn });
  return { bus, processor };
}
