import {
  CancelReplayCommand,
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListArchivesCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  StartReplayCommand,
  TestEventPatternCommand,
  UpdateArchiveCommand,
} from "@aws-sdk/client-eventbridge";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ApiCall,
  type ApiOperation,
  apiConformanceCases,
  CONFORMANCE_REPLAY_START_DELAY_MS,
} from "./api-conformance-cases";
import { type EventBridgeHarness, recordingInvoker, startEventBridgeHarness } from "./eventbridge-test-harness";

// biome-ignore lint/suspicious/noExplicitAny: each command takes its own input shape; the cases are checked data.
type AnyCommand = new (input: any) => any;

const COMMANDS: Readonly<Record<ApiOperation, AnyCommand>> = {
  CancelReplay: CancelReplayCommand,
  CreateArchive: CreateArchiveCommand,
  CreateEventBus: CreateEventBusCommand,
  DeleteRule: DeleteRuleCommand,
  DescribeArchive: DescribeArchiveCommand,
  DescribeEventBus: DescribeEventBusCommand,
  DescribeReplay: DescribeReplayCommand,
  DescribeRule: DescribeRuleCommand,
  DisableRule: DisableRuleCommand,
  EnableRule: EnableRuleCommand,
  ListArchives: ListArchivesCommand,
  ListRules: ListRulesCommand,
  ListTargetsByRule: ListTargetsByRuleCommand,
  PutEvents: PutEventsCommand,
  PutRule: PutRuleCommand,
  PutTargets: PutTargetsCommand,
  RemoveTargets: RemoveTargetsCommand,
  StartReplay: StartReplayCommand,
  TestEventPattern: TestEventPatternCommand,
  UpdateArchive: UpdateArchiveCommand,
};

/** Replaces the `{region}`, `{account}` and `{n}` tokens in every string of a case's input. */
function resolveTokens(value: unknown, tokens: Readonly<Record<string, string>>): unknown {
  if (typeof value === "string") return value.replace(/\{([a-z-]+)\}/g, (token, name: string) => tokens[name] ?? token);
  if (Array.isArray(value)) return value.map((item) => resolveTokens(item, tokens));
  if (value instanceof Date || value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveTokens(item, tokens)]));
}

function tokensOf(harness: EventBridgeHarness, n = 1): Record<string, string> {
  return { region: harness.bridge.region, account: harness.bridge.account, n: String(n) };
}

async function send(harness: EventBridgeHarness, call: ApiCall): Promise<unknown[]> {
  const outputs: unknown[] = [];
  for (let n = 1; n <= (call.times ?? 1); n += 1) {
    const input = resolveTokens(call.input, tokensOf(harness, n));
    outputs.push(await harness.client.send(new COMMANDS[call.operation](input)));
  }
  return outputs;
}

let harness: EventBridgeHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The API conformance suite, over HTTP with the unmodified SDK client; one fresh local EventBridge per case. */
describe("EventBridge API conformance (AWS-recorded cases)", () => {
  it("holds cases with unique names, each citing a source", () => {
    // Prepare
    const names = apiConformanceCases.map((c) => c.name);

    // Act
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
    const unsourced = apiConformanceCases.filter((c) => c.source.trim() === "").map((c) => c.name);

    // Assert
    expect(duplicates).toEqual([]);
    expect(unsourced).toEqual([]);
  });

  it("are all listed in docs/eventbridge-conformance.md", () => {
    // Prepare
    const listing = readFileSync(new URL("../../../../docs/eventbridge-conformance.md", import.meta.url), "utf8");

    // Act
    const unlisted = apiConformanceCases.filter((c) => !listing.includes(`| ${c.name} |`)).map((c) => c.name);

    // Assert
    expect(unlisted).toEqual([]);
  });

  it.each(apiConformanceCases.map((c) => [`${c.name} [${c.source}]`, c] as const))("%s", async (_name, testCase) => {
    // Prepare
    const recorder = recordingInvoker();
    harness = await startEventBridgeHarness({
      targetInvoker: recorder.invoker,
      replayStartDelayMs: CONFORMANCE_REPLAY_START_DELAY_MS,
    });
    for (const call of testCase.setup ?? []) await send(harness, call);

    // Act
    const outcome = await send(harness, testCase.call).then(
      (outputs) => ({ outputs }),
      (error: unknown) => ({ error }),
    );

    // Assert
    const { expected } = testCase;
    if ("error" in expected) {
      expect(outcome).toHaveProperty("error");
      expect("error" in outcome && outcome.error).toMatchObject({
        name: expected.error.name,
        message: expected.error.message,
      });
      return;
    }
    expect(outcome).toHaveProperty("outputs");
    if ("output" in expected)
      expect("outputs" in outcome && outcome.outputs.at(-1)).toMatchObject(
        resolveTokens(expected.output, tokensOf(harness)) as object,
      );
    else {
      await harness.bridge.whenIdle();
      expect(recorder.calls.map((call) => call.input)).toEqual(expected.delivered);
    }
  });
});
