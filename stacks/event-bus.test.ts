import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import { describe, it } from "vitest";
import { createArchivedBus } from "./event-bus";

describe("createArchivedBus", () => {
  it("archives every event of the bus (no pattern) for the configured number of days", () => {
    const stack = new Stack(new App(), "Bus");

    createArchivedBus(stack, { busName: "payment3-prod", archiveName: "payment3-prod-archive", retentionDays: 90 });

    Template.fromStack(stack).hasResourceProperties("AWS::Events::Archive", {
      ArchiveName: "payment3-prod-archive",
      RetentionDays: 90,
      EventPattern: Match.absent(),
      SourceArn: { "Fn::GetAtt": [Match.stringLikeRegexp("^Bus"), "Arn"] },
    });
  });
});
