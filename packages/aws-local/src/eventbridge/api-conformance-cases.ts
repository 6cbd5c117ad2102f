/**
 * EventBridge API cases with the answer real EventBridge gives, replayed over HTTP against the local endpoint with the
 * unmodified SDK client (see api-conformance-over-http.test.ts). Each case is data: calls that set the scene
 * (`setup`), the call under test (`call`) and what AWS answered (`expected`): an error's name and message, fields of the
 * output, or the inputs the rule's targets received. `source` cites the recording or page the answer comes from;
 * docs/eventbridge-conformance.md lists the cases with their sources.
 *
 * Strings may hold `{region}` and `{account}`, replaced by the local endpoint's, and `{n}` (see `times`). Names, ids and values are our own where the recording masks them, so a case
 * re-expresses the recorded behaviour, not the recorded request byte for byte. Keep this file free of test-runner
 * imports.
 */

/** The operations the cases call, by their API name. */
export type ApiOperation =
  | "CancelReplay"
  | "CreateArchive"
  | "CreateEventBus"
  | "DeleteRule"
  | "DescribeArchive"
  | "DescribeEventBus"
  | "DescribeReplay"
  | "DescribeRule"
  | "DisableRule"
  | "EnableRule"
  | "ListArchives"
  | "ListRules"
  | "ListTargetsByRule"
  | "PutEvents"
  | "PutRule"
  | "PutTargets"
  | "RemoveTargets"
  | "StartReplay"
  | "TestEventPattern"
  | "UpdateArchive";

export interface ApiCall {
  readonly operation: ApiOperation;
  readonly input: Readonly<Record<string, unknown>>;
  /** Send the call this many times (names may use `{n}`, 1-based); default once. */
  readonly times?: number;
}

export type ApiExpectation =
  /** The call fails with this error name and exact message. */
  | { readonly error: { readonly name: string; readonly message: string } }
  /** The call succeeds and its output holds these fields (a subset match). */
  | { readonly output: Readonly<Record<string, unknown>> }
  /** The call succeeds and, once delivery settles, the rule's targets received exactly these inputs. */
  | { readonly delivered: readonly unknown[] };

/**
 * How long the suite holds a replay in STARTING: long enough that the replay cases see it active however loaded the
 * machine is (the bridge's default is 250 ms; AWS takes minutes). Closing the bridge ends the hold.
 */
export const CONFORMANCE_REPLAY_START_DELAY_MS = 60_000;

export interface ApiConformanceCase {
  readonly name: string;
  readonly source: string;
  readonly setup?: readonly ApiCall[];
  readonly call: ApiCall;
  readonly expected: ApiExpectation;
}

const LS_INPUTS = "LS-AWS test_events_inputs.snapshot.json";
const LS_ARCHIVE = "LS-AWS test_archive_and_replay.snapshot.json";
const LS_EVENTS = "LS-AWS test_events.snapshot.json";
/** The recorded rule: a missing bus is named by its name, also when the caller gave its ARN. */
const BUS_MESSAGE_RULE = `${LS_ARCHIVE} test_create_archive_error_unknown_event_bus`;
const DOC_TRANSFORM =
  "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues";

const QUEUE_ARN = "arn:aws:sqs:{region}:{account}:conformance-queue";
const BUS_ARN = (bus: string): string => `arn:aws:events:{region}:{account}:event-bus/${bus}`;
/** The recording's ARN of a missing bus: another region and account than the caller's. */
const OTHER_BUS_ARN = (bus: string): string => `arn:aws:events:us-east-1:123456789012:event-bus/${bus}`;

/** The event the input-transformer cases put (detail of LocalStack's update-account command, with a list added). */
const accountCommand = {
  Source: "core.update-account-command",
  DetailType: "core.update-account-command",
  Detail: JSON.stringify({
    command: "update-account",
    payload: { acc_id: "0a787ecb-4015", sf_id: "baz" },
    severities: ["HIGH"],
    attempts: 3,
    urgent: true,
    note: null,
  }),
};

/** A rule for the update-account command with one target transforming its input; then the call that puts the event. */
function transformed(
  template: string,
  paths: Readonly<Record<string, string>>,
): Pick<ApiConformanceCase, "setup" | "call"> {
  return {
    setup: [
      {
        operation: "PutRule",
        input: { Name: "transform", EventPattern: JSON.stringify({ source: ["core.update-account-command"] }) },
      },
      {
        operation: "PutTargets",
        input: {
          Rule: "transform",
          Targets: [
            { Id: "queue", Arn: QUEUE_ARN, InputTransformer: { InputPathsMap: paths, InputTemplate: template } },
          ],
        },
      },
    ],
    call: { operation: "PutEvents", input: { Entries: [accountCommand] } },
  };
}

const inputTransformerCases: ApiConformanceCase[] = [
  {
    name: "InputTransformer writes a list into a quoted string template without inner quotes",
    source: `${LS_INPUTS} test_input_transformer_nested_keys_replacement (localstack/localstack PR #11998)`,
    ...transformed('"<severities> single list item"', { severities: "$.detail.severities" }),
    expected: { delivered: ["[HIGH] single list item"] },
  },
  {
    name: "InputTransformer writes an object into a quoted string template without inner quotes",
    source: `${LS_INPUTS} test_input_transformer_nested_keys_replacement (localstack/localstack PR #11998)`,
    ...transformed('"<payload>"', { payload: "$.detail.payload" }),
    expected: { delivered: ["{acc_id:0a787ecb-4015,sf_id:baz}"] },
  },
  {
    name: "InputTransformer writes strings, numbers, booleans and null into a quoted string as text",
    source: `${LS_INPUTS} test_put_events_with_input_transformer_input_template_string; ${DOC_TRANSFORM}`,
    ...transformed('"<command> after <attempts> attempts, urgent <urgent>, note <note>"', {
      command: "$.detail.command",
      attempts: "$.detail.attempts",
      urgent: "$.detail.urgent",
      note: "$.detail.note",
    }),
    expected: { delivered: ["update-account after 3 attempts, urgent true, note null"] },
  },
  {
    name: "InputTransformer writes a path that matched nothing into a quoted string as nothing",
    source: `${LS_INPUTS} test_put_events_with_input_transformer_input_template_string (custom-variables-not-match-all)`,
    ...transformed('"info extracted from detail <missing>"', { missing: "$.detail.notthere" }),
    expected: { delivered: ["info extracted from detail "] },
  },
  {
    name: "InputTransformer writes unquoted placeholders of a JSON template as JSON values",
    source: `${LS_INPUTS} test_put_events_with_input_transformer_input_template_json; ${DOC_TRANSFORM}`,
    ...transformed('{"command": <command>, "payload": <payload>, "severities": <severities>, "attempts": <attempts>}', {
      command: "$.detail.command",
      payload: "$.detail.payload",
      severities: "$.detail.severities",
      attempts: "$.detail.attempts",
    }),
    expected: {
      delivered: [
        {
          command: "update-account",
          payload: { acc_id: "0a787ecb-4015", sf_id: "baz" },
          severities: ["HIGH"],
          attempts: 3,
        },
      ],
    },
  },
  {
    name: "InputTransformer writes an object into a string value of a JSON template without inner quotes",
    source: `${LS_INPUTS} test_input_transformer_nested_keys_replacement (localstack/localstack PR #11998)`,
    ...transformed('{"path": "users/<id>", "summary": "payload <payload>"}', {
      id: "$.detail.payload.acc_id",
      payload: "$.detail.payload",
    }),
    expected: { delivered: [{ path: "users/0a787ecb-4015", summary: "payload {acc_id:0a787ecb-4015,sf_id:baz}" }] },
  },
  {
    name: "InputTransformer writes a path that matched nothing as an empty string in a JSON template",
    source: `${LS_INPUTS} test_put_events_with_input_transformer_input_template_json (custom-variables-not-match-all)`,
    ...transformed('{"command": <missing>}', { missing: "$.detail.notthere" }),
    expected: { delivered: [{ command: "" }] },
  },
  {
    name: "InputTransformer writes the rule name into a quoted string",
    source: `${LS_INPUTS} test_input_transformer_predefined_variables`,
    ...transformed('"rule <aws.events.rule-name>"', {}),
    expected: { delivered: ["rule transform"] },
  },
];

const busNameCases: ApiConformanceCase[] = [
  {
    name: "CreateArchive on a missing bus given by ARN names the bus",
    source: `${LS_ARCHIVE} test_create_archive_error_unknown_event_bus`,
    call: {
      operation: "CreateArchive",
      input: { ArchiveName: "orders-archive", EventSourceArn: BUS_ARN("doesnotexist-x") },
    },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  {
    name: "CreateArchive on a bus ARN of another region and account names the bus",
    source: `${LS_ARCHIVE} test_create_archive_error_unknown_event_bus`,
    call: {
      operation: "CreateArchive",
      input: { ArchiveName: "orders-archive", EventSourceArn: OTHER_BUS_ARN("doesnotexist-x") },
    },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  {
    name: "ListArchives with the ARN of a missing bus names the bus",
    source: `${LS_ARCHIVE} test_list_archive_error_unknown_source_arn`,
    call: { operation: "ListArchives", input: { EventSourceArn: BUS_ARN("doesnotexist-x") } },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  {
    name: "DescribeEventBus given the ARN of a missing bus names the bus",
    source: `${LS_EVENTS} test_describe_delete_not_existing_event_bus`,
    call: { operation: "DescribeEventBus", input: { Name: OTHER_BUS_ARN("doesnotexist-x") } },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  ...(["PutRule", "DescribeRule", "EnableRule", "DisableRule", "ListTargetsByRule"] as const).map(
    (operation): ApiConformanceCase => ({
      name: `${operation} on a missing bus given by ARN names the bus`,
      source: `${BUS_MESSAGE_RULE} applied to EventBusName (local generalisation)`,
      call: {
        operation,
        input: {
          [operation === "ListTargetsByRule" ? "Rule" : "Name"]: "orders",
          EventBusName: OTHER_BUS_ARN("doesnotexist-x"),
          ...(operation === "PutRule" ? { EventPattern: JSON.stringify({ source: ["orders"] }) } : {}),
        },
      },
      expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
    }),
  ),
  {
    name: "PutTargets on a missing bus given by ARN names the bus",
    source: `${BUS_MESSAGE_RULE} applied to EventBusName (local generalisation)`,
    call: {
      operation: "PutTargets",
      input: { Rule: "orders", EventBusName: BUS_ARN("doesnotexist-x"), Targets: [{ Id: "q", Arn: QUEUE_ARN }] },
    },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  {
    name: "A missing rule on a bus given by ARN names the bus",
    source: `rule-not-found wording as AWS answers it (docs/eventbridge-semantics.md §12) with ${BUS_MESSAGE_RULE}`,
    setup: [{ operation: "CreateEventBus", input: { Name: "orders" } }],
    call: { operation: "DescribeRule", input: { Name: "ghost", EventBusName: BUS_ARN("orders") } },
    expected: {
      error: { name: "ResourceNotFoundException", message: "Rule ghost does not exist on EventBus orders." },
    },
  },
];

const VALUE_LIST = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

/** AWS's InvalidEventPatternException message: event-ruler's reason and Jackson's location line. */
function patternMessage(reason: string, pattern: string, column: number): string {
  return `Event pattern is not valid. Reason: ${reason}\n at [Source: (String)"${pattern}"; line: 1, column: ${column}]`;
}

/** One malformed pattern, sent through every operation that takes a pattern. */
function malformedPatternCases(
  label: string,
  source: string,
  pattern: string,
  reason: string,
  column: number,
): ApiConformanceCase[] {
  const expected = {
    error: { name: "InvalidEventPatternException", message: patternMessage(reason, pattern, column) },
  };
  return [
    {
      name: `TestEventPattern rejects ${label}`,
      source,
      call: {
        operation: "TestEventPattern",
        input: {
          EventPattern: pattern,
          Event: JSON.stringify({
            id: "1",
            source: "test-source",
            "detail-type": "test-detail-type",
            account: "123456789012",
            region: "us-east-2",
            time: "2022-07-13T13:48:01Z",
            detail: { test: "test" },
          }),
        },
      },
      expected,
    },
    {
      name: `PutRule rejects ${label}`,
      source: `${source} (same compiler behind PutRule)`,
      call: { operation: "PutRule", input: { Name: "malformed", EventPattern: pattern } },
      expected,
    },
    {
      name: `CreateArchive rejects ${label}`,
      source: `${source} (same compiler behind CreateArchive)`,
      call: {
        operation: "CreateArchive",
        input: { ArchiveName: "malformed", EventSourceArn: BUS_ARN("default"), EventPattern: pattern },
      },
      expected,
    },
  ];
}

const LS_PATTERNS = "LS-AWS test_events_patterns.snapshot.json test_invalid_json_event_pattern";
const JACKSON = "Jackson's parser wording as event-ruler reports it (not recorded against AWS)";

const malformedPatterns: ApiConformanceCase[] = [
  ...malformedPatternCases(
    "a bare word",
    LS_PATTERNS,
    "this is valid json but not a dict",
    `Unrecognized token 'this': was expecting ${VALUE_LIST}`,
    5,
  ),
  ...malformedPatternCases(
    "single quotes",
    LS_PATTERNS,
    "{'bad': 'quotation'}",
    "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
    2,
  ),
  ...malformedPatternCases(
    "an unquoted value",
    LS_PATTERNS,
    '{"not": closed mark"',
    `Unrecognized token 'closed': was expecting ${VALUE_LIST}`,
    15,
  ),
  ...malformedPatternCases(
    "a JSON array",
    LS_PATTERNS,
    '["not", "a", "dict", "but valid json"]',
    "Filter is not an object",
    2,
  ),
  ...malformedPatternCases(
    "a trailing comma",
    JACKSON,
    '{"source": ["a"],}',
    "Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
    18,
  ),
  ...malformedPatternCases(
    "a truncated object",
    JACKSON,
    '{"source": ["a"]',
    'Unexpected end-of-input: expected close marker for Object (start marker at [Source: (String)"{"source": ["a"]"; line: 1, column: 1])',
    17,
  ),
];

/** TEST_EVENT_DETAIL of LocalStack's tests as Python's json.dumps wrote it (85 bytes, with its spaces). */
const RECORDED_DETAIL = '{"command": "update-account", "payload": {"acc_id": "0a787ecb-4015", "sf_id": "baz"}}';
const UPDATE_ACCOUNT_PATTERN = JSON.stringify({
  source: ["core.update-account-command"],
  "detail-type": ["core.update-account-command"],
  detail: { command: ["update-account"] },
});

/** Ten update-account entries on a bus, archived, then the archive described (LocalStack's test_list_archive_with_events). */
function tenArchivedEvents(bus: string, pattern: string | undefined): Pick<ApiConformanceCase, "setup" | "call"> {
  const entry = {
    Source: "core.update-account-command",
    DetailType: "core.update-account-command",
    Detail: RECORDED_DETAIL,
    EventBusName: bus,
  };
  return {
    setup: [
      ...(bus === "default" ? [] : [{ operation: "CreateEventBus", input: { Name: bus } } as const]),
      {
        operation: "CreateArchive",
        input: {
          ArchiveName: "recorded-size",
          EventSourceArn: BUS_ARN(bus),
          RetentionDays: 1,
          ...(pattern === undefined ? {} : { EventPattern: pattern }),
        },
      },
      { operation: "PutEvents", input: { Entries: Array.from({ length: 10 }, () => entry) } },
    ],
    call: { operation: "DescribeArchive", input: { ArchiveName: "recorded-size" } },
  };
}

const archiveCases: ApiConformanceCase[] = [
  {
    name: "Archive SizeBytes counts 159 bytes for each of ten small events on the default bus",
    source: `${LS_ARCHIVE} test_list_archive_with_events[True-default]`,
    ...tenArchivedEvents("default", UPDATE_ACCOUNT_PATTERN),
    expected: { output: { EventCount: 10, SizeBytes: 1590 } },
  },
  {
    name: "Archive SizeBytes does not count the bus name (custom bus, no pattern)",
    source: `${LS_ARCHIVE} test_list_archive_with_events[False-custom]`,
    ...tenArchivedEvents("recorded-size-bus", undefined),
    expected: { output: { EventCount: 10, SizeBytes: 1590 } },
  },
];

/** An archive on the default bus with one event, for the replay cases. */
const ARCHIVE_WITH_ONE_EVENT: readonly ApiCall[] = [
  { operation: "CreateArchive", input: { ArchiveName: "replayed", EventSourceArn: BUS_ARN("default") } },
  {
    operation: "PutEvents",
    input: {
      Entries: [
        {
          Source: "core.update-account-command",
          DetailType: "core.update-account-command",
          Detail: RECORDED_DETAIL,
          Time: new Date("2026-01-01T00:00:30Z"),
        },
      ],
    },
  },
];

/** StartReplay input for replay `name` of the whole of 2026-01-01 00:00 to 00:10. */
function replayInput(name: string): Readonly<Record<string, unknown>> {
  return {
    ReplayName: name,
    EventSourceArn: "arn:aws:events:{region}:{account}:archive/replayed",
    EventStartTime: new Date("2026-01-01T00:00:00Z"),
    EventEndTime: new Date("2026-01-01T00:10:00Z"),
    Destination: { Arn: BUS_ARN("default") },
  };
}

const replayCases: ApiConformanceCase[] = [
  {
    name: "StartReplay answers STARTING",
    source: `${LS_ARCHIVE} test_start_list_describe_canceled_replay (start-replay)`,
    setup: ARCHIVE_WITH_ONE_EVENT,
    call: { operation: "StartReplay", input: replayInput("replay-1") },
    expected: { output: { State: "STARTING", ReplayArn: "arn:aws:events:{region}:{account}:replay/replay-1" } },
  },
  {
    name: "CancelReplay right after StartReplay answers CANCELLING",
    source: `${LS_ARCHIVE} test_start_list_describe_canceled_replay (cancel-replay)`,
    setup: [...ARCHIVE_WITH_ONE_EVENT, { operation: "StartReplay", input: replayInput("cancelled") }],
    call: { operation: "CancelReplay", input: { ReplayName: "cancelled" } },
    expected: { output: { State: "CANCELLING", ReplayArn: "arn:aws:events:{region}:{account}:replay/cancelled" } },
  },
  {
    name: "A cancelled replay ends CANCELLED",
    source: `${LS_ARCHIVE} test_start_list_describe_canceled_replay; https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DescribeReplay.html`,
    setup: [
      ...ARCHIVE_WITH_ONE_EVENT,
      { operation: "StartReplay", input: replayInput("cancelled") },
      { operation: "CancelReplay", input: { ReplayName: "cancelled" } },
    ],
    call: { operation: "DescribeReplay", input: { ReplayName: "cancelled" } },
    expected: { output: { State: "CANCELLED" } },
  },
  {
    name: "StartReplay to a missing bus given by ARN names the bus",
    source: `${LS_ARCHIVE} test_start_replay_error_unknown_event_bus`,
    setup: ARCHIVE_WITH_ONE_EVENT,
    call: {
      operation: "StartReplay",
      input: { ...replayInput("to-missing-bus"), Destination: { Arn: BUS_ARN("doesnotexist-x") } },
    },
    expected: { error: { name: "ResourceNotFoundException", message: "Event bus doesnotexist-x does not exist." } },
  },
  {
    name: "StartReplay to another bus than the archive's is refused",
    source: `${LS_ARCHIVE} test_start_replay_error_unknown_event_bus (start-replay-wrong-event-bus-error)`,
    setup: [...ARCHIVE_WITH_ONE_EVENT, { operation: "CreateEventBus", input: { Name: "other-bus" } }],
    call: {
      operation: "StartReplay",
      input: { ...replayInput("to-other-bus"), Destination: { Arn: BUS_ARN("other-bus") } },
    },
    expected: {
      error: {
        name: "ValidationException",
        message: "Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.",
      },
    },
  },
  {
    name: "StartReplay from a missing archive names the archive",
    source: `${LS_ARCHIVE} test_start_replay_error_unknown_archive`,
    call: {
      operation: "StartReplay",
      input: {
        ...replayInput("from-missing"),
        EventSourceArn: "arn:aws:events:{region}:{account}:archive/doesnotexist-x",
      },
    },
    expected: {
      error: {
        name: "ValidationException",
        message: "Parameter EventSourceArn is not valid. Reason: Archive doesnotexist-x does not exist.",
      },
    },
  },
  {
    name: "StartReplay with an end time not after the start time is refused",
    source: `${LS_ARCHIVE} test_start_replay_error_invalid_end_time`,
    setup: ARCHIVE_WITH_ONE_EVENT,
    call: {
      operation: "StartReplay",
      input: { ...replayInput("backwards"), EventEndTime: new Date("2026-01-01T00:00:00Z") },
    },
    expected: {
      error: {
        name: "ValidationException",
        message: "Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.",
      },
    },
  },
  {
    name: "StartReplay with the name of an existing replay is refused",
    source: `${LS_ARCHIVE} test_start_replay_error_duplicate`,
    setup: [...ARCHIVE_WITH_ONE_EVENT, { operation: "StartReplay", input: replayInput("twice") }],
    call: { operation: "StartReplay", input: replayInput("twice") },
    expected: { error: { name: "ResourceAlreadyExistsException", message: "Replay twice already exists." } },
  },
  {
    name: "An eleventh concurrent replay is refused",
    source:
      "LS-AWS test_archive_and_replay.py tests_concurrency_error_too_many_active_replays (10 replays STARTING or RUNNING); message as docs/eventbridge-semantics.md §7",
    setup: [...ARCHIVE_WITH_ONE_EVENT, { operation: "StartReplay", input: replayInput("concurrent-{n}"), times: 10 }],
    call: { operation: "StartReplay", input: replayInput("eleventh") },
    expected: {
      error: { name: "LimitExceededException", message: "The requested resource exceeds the maximum number allowed." },
    },
  },
];

/** Every API case, in the order the runner replays them. */
export const apiConformanceCases: readonly ApiConformanceCase[] = [
  ...inputTransformerCases,
  ...busNameCases,
  ...malformedPatterns,
  ...archiveCases,
  ...replayCases,
];
