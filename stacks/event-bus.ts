import { archiveDescription } from "@payment3/core";
import { aws_events as events, type Stack } from "aws-cdk-lib";

export interface ArchivedBus {
  readonly bus: events.EventBus;
  readonly archive: events.CfnArchive;
}

/**
 * The bus and an archive of every event it receives. The archive has no event pattern: in
 * CloudFormation an archive without one keeps all events of its source bus, which is what
 * recovery by replay needs.
 */
export function createArchivedBus(
  stack: Stack,
  props: { readonly busName: string; readonly archiveName: string; readonly retentionDays: number },
): ArchivedBus {
  const bus = new events.EventBus(stack, "Bus", { eventBusName: props.busName });
  const archive = new events.CfnArchive(stack, "BusArchive", {
    archiveName: props.archiveName,
    description: archiveDescription(props.busName),
    sourceArn: bus.eventBusArn,
    // 0 = keep indefinitely (CloudFormation's own meaning of 0).
    retentionDays: props.retentionDays,
  });
  return { bus, archive };
}
