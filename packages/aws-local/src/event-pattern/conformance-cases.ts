/**
 * Event-pattern cases with the answer real EventBridge gives, for the local engine and (over HTTP)
 * for the local TestEventPattern. Every event is a full EventBridge envelope. `source` cites where the
 * expected answer comes from (an AWS user-guide page and anchor, a LocalStack snapshot test recorded
 * against AWS [LS-AWS], or event-ruler [ER] where the semantics file chose event-ruler's behaviour).
 *
 * Cases are re-expressed in a full envelope, so values may differ from a cited template where the
 * behaviour it shows is the same.
 *
 * Over HTTP, send `JSON.stringify(pattern)` and `JSON.stringify(event)`; an invalid case whose
 * `pattern` is a string is sent as that raw text. Keep this file free of test-runner imports.
 */

export interface ConformanceCase {
  readonly name: string;
  readonly source: string;
  readonly pattern: object;
  readonly event: object;
  readonly expected: boolean;
}

export interface InvalidPatternCase {
  readonly name: string;
  readonly source: string;
  /** The pattern: a JSON value, or a string holding raw (possibly malformed) JSON text. */
  readonly pattern: unknown;
  /** Text the InvalidEventPatternException reason must contain, where AWS's wording is known. */
  readonly reasonIncludes?: string;
}

const PATTERNS = "eb-event-patterns.html";
const FILTERING = "eb-event-patterns-content-based-filtering.html";
const OPERATORS = "eb-create-pattern-operators.html";
const ARRAYS = "eb-event-patterns-arrays.html";
const NULLS = "eb-event-patterns-null-values.html";
const LS = (test: string): string => `LS-AWS event_pattern_templates/${test}`;

interface EnvelopeFields {
  readonly "detail-type"?: string;
  readonly source?: string;
  readonly account?: string;
  readonly time?: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly [extraTopLevelKey: string]: unknown;
}

/** A full EventBridge envelope around `detail`; `fields` overrides or adds top-level keys. */
function envelope(detail: object, fields: EnvelopeFields = {}): object {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "111122223333",
    time: "2017-12-22T18:43:48Z",
    region: "us-west-1",
    resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    detail,
    ...fields,
  };
}

const ec2Terminated = envelope({ "instance-id": "i-1234567890abcdef0", state: "terminated" });
const ec2TerminationPattern = {
  source: ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  detail: { state: ["terminated"] },
};

const walletConfirmedRule = {
  source: ["payment3.wallet-callback", "payment3.bank-app-callback"],
  "detail-type": ["WalletPaymentConfirmed"],
};
const paymentFailedRule = {
  "detail-type": ["OrderPaymentFailed"],
  detail: { retryable: [false], reason: ["PAYMENT_DECLINED"] },
};
const paymentEvent = (source: string, detailType: string, detail: object): object =>
  envelope(detail, {
    source,
    "detail-type": detailType,
    account: "123456789012",
    region: "ap-southeast-1",
    resources: [],
  });

const numericExample = {
  detail: {
    "c-count": [{ numeric: [">", 0, "<=", 5] }],
    "d-count": [{ numeric: ["<", 10] }],
    "x-limit": [{ numeric: ["=", 3.018e2] }],
  },
};
const orNumericExample = {
  detail: {
    $or: [
      { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
      { "d-count": [{ numeric: ["<", 10] }] },
      { "x-limit": [{ numeric: ["=", 3.018e2] }] },
    ],
  },
};
const complexExample = {
  time: [{ prefix: "2017-10-02" }],
  detail: {
    state: [{ "anything-but": "initializing" }],
    "c-count": [{ numeric: [">", 0, "<=", 5] }],
    "d-count": [{ numeric: ["<", 10] }],
    "x-limit": [{ "anything-but": [100, 200, 300] }],
  },
};
const homemadeOrExists = {
  dynamodb: { NewImage: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } },
};
const employeesAnnaJones = { detail: { employees: { firstName: ["Anna"], lastName: ["Jones"] } } };
const employees = {
  employees: [
    { firstName: "Anna", lastName: "Smith" },
    { firstName: "Peter", lastName: "Jones" },
  ],
};

export const conformanceCases: readonly ConformanceCase[] = [
  // --- Exact matching and the envelope -------------------------------------------------------------
  {
    name: "EC2 termination example matches",
    source: `${PATTERNS} (EC2 example)`,
    pattern: ec2TerminationPattern,
    event: ec2Terminated,
    expected: true,
  },
  {
    name: "EC2 termination example: other state",
    source: `${PATTERNS} (EC2 example)`,
    pattern: ec2TerminationPattern,
    event: envelope({ state: "running" }),
    expected: false,
  },
  {
    name: "EC2 termination example: other source",
    source: `${PATTERNS} (EC2 example)`,
    pattern: ec2TerminationPattern,
    event: envelope({ state: "terminated" }, { source: "aws.fargate" }),
    expected: false,
  },
  {
    name: "matching is case-sensitive",
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: ec2TerminationPattern,
    event: envelope({ state: "Terminated" }),
    expected: false,
  },
  {
    name: "a pattern field missing from the event fails",
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: ec2TerminationPattern,
    event: envelope({ "instance-id": "i-1" }),
    expected: false,
  },
  {
    name: "fields need the same nesting as in the event",
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: { state: ["terminated"] },
    event: ec2Terminated,
    expected: false,
  },
  {
    name: "fields the pattern does not name are ignored",
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: { source: ["aws.ec2"] },
    event: ec2Terminated,
    expected: true,
  },
  {
    name: "values in a leaf array are OR'd",
    source: `${OPERATORS} (Or)`,
    pattern: { source: ["aws.ec2", "aws.fargate"] },
    event: envelope({}, { source: "aws.fargate" }),
    expected: true,
  },
  {
    name: "sibling fields are AND'd",
    source: `${OPERATORS} (And)`,
    pattern: { detail: { Location: ["New York"], Day: ["Monday"] } },
    event: envelope({ Location: "New York", Day: "Tuesday" }),
    expected: false,
  },
  {
    name: "sibling fields all matching",
    source: `${OPERATORS} (And)`,
    pattern: { detail: { Location: ["New York"], Day: ["Monday"] } },
    event: envelope({ Location: "New York", Day: "Monday" }),
    expected: true,
  },
  {
    name: "account is matched like any field",
    source: "LS-AWS test_event_pattern_source",
    pattern: { account: ["111122223333"] },
    event: ec2Terminated,
    expected: true,
  },
  {
    name: "region mismatch",
    source: "LS-AWS test_event_pattern_source",
    pattern: { region: ["us-east-1"] },
    event: ec2Terminated,
    expected: false,
  },
  {
    name: "extra top-level keys are matched like any other field",
    source: `BOTO TestEventPattern doc; ${LS("content_wildcard_simplified")}`,
    pattern: { EventBusArn: ["arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"] },
    event: envelope({}, { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus" }),
    expected: true,
  },
  {
    name: "ARNs match by exact characters (':' is not '/')",
    source: "BOTO TestEventPattern doc",
    pattern: { resources: ["arn:aws:ec2:us-west-1:123456789012:instance:i-1234567890abcdef0"] },
    event: ec2Terminated,
    expected: false,
  },
  {
    name: "key names are case-sensitive",
    source: LS("key_case_sensitive_NEG"),
    pattern: { detail: { State: ["terminated"] } },
    event: ec2Terminated,
    expected: false,
  },
  {
    name: "replay-name exists:false matches a live event",
    source: "semantics §6 (archive managed rule)",
    pattern: { "replay-name": [{ exists: false }] },
    event: ec2Terminated,
    expected: true,
  },
  {
    name: "replay-name exists:false rejects a replayed event",
    source: "semantics §6 (archive managed rule)",
    pattern: { "replay-name": [{ exists: false }] },
    event: envelope({ state: "terminated" }, { "replay-name": "nightly" }),
    expected: false,
  },
  {
    name: "replay-name exact value",
    source: "semantics §3 (replay-name is a top-level field)",
    pattern: { "replay-name": ["nightly"] },
    event: envelope({}, { "replay-name": "nightly" }),
    expected: true,
  },
  {
    name: "a JSON string holding JSON is not parsed",
    source: LS("nested_json_NEG"),
    pattern: { detail: { "my-key": ["my-value"] } },
    event: { ...envelope({}), detail: '{"my-key": "my-value"}' },
    expected: false,
  },

  // --- The project's typical rules ------------------------------------------------------------------
  {
    name: "wallet rule: wallet callback",
    source: `${PATTERNS} (exact match)`,
    pattern: walletConfirmedRule,
    event: paymentEvent("payment3.wallet-callback", "WalletPaymentConfirmed", { orderId: "o-1" }),
    expected: true,
  },
  {
    name: "wallet rule: bank app callback",
    source: `${PATTERNS} (exact match)`,
    pattern: walletConfirmedRule,
    event: paymentEvent("payment3.bank-app-callback", "WalletPaymentConfirmed", { orderId: "o-1" }),
    expected: true,
  },
  {
    name: "wallet rule: other detail-type",
    source: `${PATTERNS} (exact match)`,
    pattern: walletConfirmedRule,
    event: paymentEvent("payment3.wallet-callback", "WalletPaymentFailed", { orderId: "o-1" }),
    expected: false,
  },
  {
    name: "wallet rule: other source",
    source: `${PATTERNS} (exact match)`,
    pattern: walletConfirmedRule,
    event: paymentEvent("payment3.processor", "WalletPaymentConfirmed", { orderId: "o-1" }),
    expected: false,
  },
  {
    name: "failed rule: declined and not retryable",
    source: `${PATTERNS} (exact match)`,
    pattern: paymentFailedRule,
    event: paymentEvent("payment3.processor", "OrderPaymentFailed", { retryable: false, reason: "PAYMENT_DECLINED" }),
    expected: true,
  },
  {
    name: "failed rule: retryable",
    source: `${PATTERNS} (exact match)`,
    pattern: paymentFailedRule,
    event: paymentEvent("payment3.processor", "OrderPaymentFailed", { retryable: true, reason: "PAYMENT_DECLINED" }),
    expected: false,
  },
  {
    name: 'failed rule: boolean false is not the string "false"',
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: paymentFailedRule,
    event: paymentEvent("payment3.processor", "OrderPaymentFailed", { retryable: "false", reason: "PAYMENT_DECLINED" }),
    expected: false,
  },

  // --- JSON-typed values --------------------------------------------------------------------------
  {
    name: 'string "100" does not match number 100',
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: { detail: { amount: ["100"] } },
    event: envelope({ amount: 100 }),
    expected: false,
  },
  {
    name: 'number 100 does not match string "100"',
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: { detail: { amount: [100] } },
    event: envelope({ amount: "100" }),
    expected: false,
  },
  {
    name: 'true does not match "true"',
    source: `${PATTERNS}#eb-event-patterns-considerations`,
    pattern: { detail: { flag: [true] } },
    event: envelope({ flag: "true" }),
    expected: false,
  },
  {
    name: "boolean false matches false",
    source: LS("boolean"),
    pattern: { detail: { boolean: [false] } },
    event: envelope({ boolean: false }),
    expected: true,
  },
  {
    name: "boolean false does not match true",
    source: LS("boolean_NEG"),
    pattern: { detail: { boolean: [false] } },
    event: envelope({ boolean: true }),
    expected: false,
  },
  {
    name: "[300] matches 300.0",
    source: `${LS("number_comparison_float")} (2025-10)`,
    pattern: { detail: { number: [300] } },
    event: envelope({ number: 300.0 }),
    expected: true,
  },
  {
    name: "numbers match by value: [301.8] matches 3.018e2",
    source: "LS-AWS 2025-10; ER JsonRuleCompilerTest",
    pattern: { detail: { number: [301.8] } },
    event: envelope({ number: 3.018e2 }),
    expected: true,
  },
  {
    name: "number mismatch",
    source: `${PATTERNS} (Equals, numeric)`,
    pattern: { detail: { Price: [100] } },
    event: envelope({ Price: 101 }),
    expected: false,
  },
  {
    name: "Price is 100",
    source: `${OPERATORS} (Numeric equals)`,
    pattern: { detail: { Price: [{ numeric: ["=", 100] }] } },
    event: envelope({ Price: 100 }),
    expected: true,
  },

  // --- Null and empty string ----------------------------------------------------------------------
  {
    name: "[null] matches null",
    source: `${NULLS}; ${LS("null_value")}`,
    pattern: { detail: { responseElements: [null] } },
    event: envelope({ responseElements: null }),
    expected: true,
  },
  {
    name: "[null] does not match a missing field",
    source: `${NULLS}; ${LS("null_value_NEG")}`,
    pattern: { detail: { responseElements: [null] } },
    event: envelope({ eventVersion: "" }),
    expected: false,
  },
  {
    name: '[""] matches an empty string',
    source: `${NULLS}; ${LS("string_empty")}`,
    pattern: { detail: { eventVersion: [""] } },
    event: envelope({ eventVersion: "" }),
    expected: true,
  },
  {
    name: '[""] does not match null',
    source: NULLS,
    pattern: { detail: { eventVersion: [""] } },
    event: envelope({ eventVersion: null }),
    expected: false,
  },
  {
    name: "[null] does not match an empty string",
    source: NULLS,
    pattern: { detail: { eventVersion: [null] } },
    event: envelope({ eventVersion: "" }),
    expected: false,
  },
  {
    name: '[""] does not match a missing field',
    source: NULLS,
    pattern: { detail: { LastName: [""] } },
    event: envelope({ FirstName: "Alice" }),
    expected: false,
  },
  {
    name: "LastName is empty",
    source: `${OPERATORS} (Empty)`,
    pattern: { detail: { LastName: [""] } },
    event: envelope({ LastName: "" }),
    expected: true,
  },
  {
    name: "UserID is null",
    source: `${OPERATORS} (Null)`,
    pattern: { detail: { UserID: [null] } },
    event: envelope({ UserID: null }),
    expected: true,
  },

  // --- Arrays in events ---------------------------------------------------------------------------
  {
    name: "event array: any element matching is enough",
    source: `${ARRAYS}; ${LS("arrays")}`,
    pattern: {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
      ],
    },
    event: envelope(
      {},
      {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate",
          "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        ],
      },
    ),
    expected: true,
  },
  {
    name: "event array: no element matching",
    source: `${ARRAYS}; ${LS("arrays_NEG")}`,
    pattern: { resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"] },
    event: envelope(
      {},
      {
        resources: [
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate",
        ],
      },
    ),
    expected: false,
  },
  {
    name: "an empty event array has no values: [null] fails",
    source: LS("arrays_empty_null_NEG"),
    pattern: { resources: [null] },
    event: envelope({}, { resources: [] }),
    expected: false,
  },
  {
    name: "an empty event array has no values: exists:true fails",
    source: LS("exists_list_empty_NEG"),
    pattern: { resources: [{ exists: true }] },
    event: envelope({ eventVersion: "" }, { resources: [] }),
    expected: false,
  },
  {
    name: "an empty event array has no values: exists:false holds",
    source: "semantics §5 (empty array has no values)",
    pattern: { resources: [{ exists: false }] },
    event: envelope({}, { resources: [] }),
    expected: true,
  },
  {
    name: "arrays of objects are crushed: exists:true on one element",
    source: LS("list_within_dict"),
    pattern: { detail: { automations: { id: [{ exists: true }] } } },
    event: envelope({ automations: [{ key1: "value1" }, { id: "match-does-exist" }, { key2: "value2" }] }),
    expected: true,
  },
  {
    name: "arrays of objects are crushed: exact value",
    source: "ER README (JSON array matching)",
    pattern: { detail: { items: { sku: ["B-2"] } } },
    event: envelope({ items: [{ sku: "A-1" }, { sku: "B-2" }] }),
    expected: true,
  },
  {
    name: "arrays of objects are crushed through nested arrays",
    source: "ER README; semantics §5",
    pattern: { detail: { matrix: { cell: ["x"] } } },
    event: envelope({ matrix: [[{ cell: "w" }], [{ cell: "v" }, { cell: "x" }]] }),
    expected: true,
  },
  {
    name: "nested primitive arrays are flattened",
    source: "ER README; semantics §5",
    pattern: { detail: { codes: [3] } },
    event: envelope({ codes: [[1, 2], [3]] }),
    expected: true,
  },
  {
    name: "array consistency: fields matched in different elements do not match",
    source: "semantics §9 (event-ruler rulesForJSONEvent)",
    pattern: employeesAnnaJones,
    event: envelope(employees),
    expected: false,
  },
  {
    name: "array consistency: fields matched in the same element",
    source: "semantics §9 (event-ruler rulesForJSONEvent)",
    pattern: { detail: { employees: { firstName: ["Peter"], lastName: ["Jones"] } } },
    event: envelope(employees),
    expected: true,
  },
  {
    name: "anything-but on a mixed array: one passing element is enough",
    source: "semantics §9 (event-ruler HEAD)",
    pattern: { detail: { tags: [{ "anything-but": "banned" }] } },
    event: envelope({ tags: ["banned", "ok"] }),
    expected: true,
  },
  {
    name: "anything-but on an array whose only element is excluded",
    source: "semantics §9 (event-ruler HEAD)",
    pattern: { detail: { tags: [{ "anything-but": "banned" }] } },
    event: envelope({ tags: ["banned"] }),
    expected: false,
  },
  {
    name: "prefix on an array element",
    source: `${ARRAYS}; ${FILTERING}#eb-filtering-prefix-matching`,
    pattern: { detail: { state: [{ prefix: "run" }] } },
    event: envelope({ state: ["initializing", "running"] }),
    expected: true,
  },
  {
    name: "numeric on an array of numbers",
    source: `${ARRAYS}; ${FILTERING}#filtering-numeric-matching`,
    pattern: { detail: { scores: [{ numeric: [">", 90] }] } },
    event: envelope({ scores: [10, 95] }),
    expected: true,
  },

  // --- Dotted keys --------------------------------------------------------------------------------
  {
    name: 'pattern key "state.status" finds state → status',
    source: LS("dot_joining_pattern"),
    pattern: { detail: { "state.status": ["running"] } },
    event: envelope({ state: { status: "running" } }),
    expected: true,
  },
  {
    name: 'nested pattern finds the event key "state.status"',
    source: LS("dot_joining_event"),
    pattern: { detail: { state: { status: ["running"] } } },
    event: envelope({ "state.status": "running" }),
    expected: true,
  },
  {
    name: "dotted pattern key with another value",
    source: LS("dot_joining_pattern_NEG"),
    pattern: { detail: { "state.status": ["running"] } },
    event: envelope({ state: { status: "stopped" } }),
    expected: false,
  },
  {
    name: "a dotted key overrides the nested path it names (last wins)",
    source: `${FILTERING} (duplicate keys note); ER JsonRuleCompiler path override`,
    pattern: { detail: { location: [{ prefix: "us-" }] }, "detail.location": [{ "anything-but": "us-east" }] },
    event: envelope({ location: "us-east" }),
    expected: false,
  },
  {
    name: "the overriding dotted key is the one evaluated",
    source: `${FILTERING} (duplicate keys note); ER JsonRuleCompiler path override`,
    pattern: { detail: { location: [{ prefix: "us-" }] }, "detail.location": [{ "anything-but": "us-east" }] },
    event: envelope({ location: "eu-west" }),
    expected: true,
  },

  // --- prefix -------------------------------------------------------------------------------------
  {
    name: "prefix on time",
    source: `${FILTERING}#eb-filtering-prefix-matching`,
    pattern: { time: [{ prefix: "2017-10-02" }] },
    event: envelope({}, { time: "2017-10-02T18:43:48Z" }),
    expected: true,
  },
  {
    name: "prefix on time: other day",
    source: `${FILTERING}#eb-filtering-prefix-matching`,
    pattern: { time: [{ prefix: "2017-10-02" }] },
    event: envelope({}, { time: "2017-10-03T18:43:48Z" }),
    expected: false,
  },
  {
    name: "prefix is case-sensitive",
    source: `${FILTERING}#eb-filtering-prefix-matching`,
    pattern: { detail: { service: [{ prefix: "EventB" }] } },
    event: envelope({ service: "eventbridge" }),
    expected: false,
  },
  {
    name: "prefix never matches a number",
    source: "semantics §5; ER README",
    pattern: { detail: { code: [{ prefix: "12" }] } },
    event: envelope({ code: 123 }),
    expected: false,
  },
  {
    name: 'prefix "" matches any string',
    source: "semantics §5; LS-AWS",
    pattern: { detail: { name: [{ prefix: "" }] } },
    event: envelope({ name: "anything" }),
    expected: true,
  },
  {
    name: 'prefix "" does not match null',
    source: "semantics §5 (strings only)",
    pattern: { detail: { name: [{ prefix: "" }] } },
    event: envelope({ name: null }),
    expected: false,
  },
  {
    name: "prefix with equals-ignore-case",
    source: `${FILTERING}#eb-filtering-prefix-matching-ignore-case`,
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    event: envelope({ service: "eventbridge" }),
    expected: true,
  },
  {
    name: "prefix with equals-ignore-case: other prefix",
    source: `${FILTERING}#eb-filtering-prefix-matching-ignore-case; ${LS("content_prefix_ignorecase")}`,
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    event: envelope({ service: "lambda" }),
    expected: false,
  },
  {
    name: "Region is in the US",
    source: `${OPERATORS} (Begins with)`,
    pattern: { detail: { Region: [{ prefix: "us-" }] } },
    event: envelope({ Region: "us-east-2" }),
    expected: true,
  },
  {
    name: "Region is not in the US",
    source: `${OPERATORS} (Begins with)`,
    pattern: { detail: { Region: [{ prefix: "us-" }] } },
    event: envelope({ Region: "eu-west-1" }),
    expected: false,
  },

  // --- suffix -------------------------------------------------------------------------------------
  {
    name: "suffix .png",
    source: `${FILTERING}#eb-filtering-suffix-matching; ${LS("content_suffix")}`,
    pattern: { FileName: [{ suffix: ".png" }] },
    event: envelope({}, { FileName: "image.png" }),
    expected: true,
  },
  {
    name: "suffix .png on a .jpg",
    source: `${FILTERING}#eb-filtering-suffix-matching; ${LS("content_suffix_NEG")}`,
    pattern: { FileName: [{ suffix: ".png" }] },
    event: envelope({}, { FileName: "image.jpg" }),
    expected: false,
  },
  {
    name: "suffix is case-sensitive",
    source: `${FILTERING}#eb-filtering-suffix-matching`,
    pattern: { detail: { FileName: [{ suffix: ".png" }] } },
    event: envelope({ FileName: "IMAGE.PNG" }),
    expected: false,
  },
  {
    name: "suffix with equals-ignore-case",
    source: `${FILTERING}#eb-filtering-suffix-matching-ignore-case; ${LS("content_suffix_ignorecase")}`,
    pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    event: envelope({ FileName: "IMAGE.PNG" }),
    expected: true,
  },
  {
    name: "suffix with equals-ignore-case: other suffix",
    source: `${FILTERING}#eb-filtering-suffix-matching-ignore-case; ${LS("content_suffix_ignorecase_NEG")}`,
    pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    event: envelope({ FileName: "image.gif" }),
    expected: false,
  },
  {
    name: 'suffix "" matches any string',
    source: "semantics §5",
    pattern: { detail: { FileName: [{ suffix: "" }] } },
    event: envelope({ FileName: "x" }),
    expected: true,
  },
  {
    name: "suffix never matches a number",
    source: "semantics §5",
    pattern: { detail: { size: [{ suffix: "0" }] } },
    event: envelope({ size: 100 }),
    expected: false,
  },

  // --- equals-ignore-case ---------------------------------------------------------------------------
  {
    name: "equals-ignore-case on detail-type",
    source: `${FILTERING}#eb-filtering-equals-ignore-case-matching; ${LS("content_ignorecase")}`,
    pattern: { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change notification" }] },
    event: ec2Terminated,
    expected: true,
  },
  {
    name: "equals-ignore-case: other value",
    source: `${FILTERING}#eb-filtering-equals-ignore-case-matching; ${LS("content_ignorecase_NEG")}`,
    pattern: { "detail-type": [{ "equals-ignore-case": "ec2 instance state-change" }] },
    event: ec2Terminated,
    expected: false,
  },
  {
    name: "Name is Alice, any case",
    source: `${OPERATORS} (Equals, ignore case)`,
    pattern: { detail: { Name: [{ "equals-ignore-case": "alice" }] } },
    event: envelope({ Name: "ALICE" }),
    expected: true,
  },
  {
    name: 'equals-ignore-case "" matches an empty string',
    source: LS("content_ignorecase_empty"),
    pattern: { detail: { value: [{ "equals-ignore-case": "" }] } },
    event: envelope({ value: "" }),
    expected: true,
  },
  {
    name: 'equals-ignore-case "" does not match text',
    source: LS("content_ignorecase_empty_NEG"),
    pattern: { detail: { value: [{ "equals-ignore-case": "" }] } },
    event: envelope({ value: "test-value" }),
    expected: false,
  },
  {
    name: "equals-ignore-case never matches a number",
    source: "semantics §5",
    pattern: { detail: { value: [{ "equals-ignore-case": "5" }] } },
    event: envelope({ value: 5 }),
    expected: false,
  },

  // --- wildcard -----------------------------------------------------------------------------------
  {
    name: "wildcard on an event bus ARN",
    source: `${FILTERING}#eb-filtering-wildcard-matching; ${LS("content_wildcard_simplified")}`,
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] },
    event: envelope({}, { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus" }),
    expected: true,
  },
  {
    name: "wildcard on an event bus ARN: other region",
    source: `${FILTERING}#eb-filtering-wildcard-matching`,
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] },
    event: envelope({}, { EventBusArn: "arn:aws:events:eu-west-1:123456789012:event-bus/myEventBus" }),
    expected: false,
  },
  {
    name: "wildcard: .png files in dir",
    source: `${OPERATORS} (Wildcard)`,
    pattern: { detail: { FileName: [{ wildcard: "dir/*.png" }] } },
    event: envelope({ FileName: "dir/deer.png" }),
    expected: true,
  },
  {
    name: "wildcard: * also matches /",
    source: "BLOG-WC; ER README",
    pattern: { detail: { FileName: [{ wildcard: "dir/*.png" }] } },
    event: envelope({ FileName: "dir/sub/deer.png" }),
    expected: true,
  },
  {
    name: "wildcard: other extension",
    source: `${OPERATORS} (Wildcard)`,
    pattern: { detail: { FileName: [{ wildcard: "dir/*.png" }] } },
    event: envelope({ FileName: "dir/deer.jpg" }),
    expected: false,
  },
  {
    name: "wildcard with repeating segments",
    source: LS("content_wildcard_repeating"),
    pattern: { FileName: [{ wildcard: "/Users/*/dir/dir/dir/dir/dir/doc.txt" }] },
    event: envelope({}, { FileName: "/Users/ls_user/dir/dir/dir/dir/dir/doc.txt" }),
    expected: true,
  },
  {
    name: "wildcard with repeating segments: one differs",
    source: LS("content_wildcard_repeating_NEG"),
    pattern: { FileName: [{ wildcard: "/Users/*/dir/dir/dir/dir/dir/doc.txt" }] },
    event: envelope({}, { FileName: "/Users/ls_user/dir/dir/dir/dir/otherdir/doc.txt" }),
    expected: false,
  },
  {
    name: "wildcard spanning many directories",
    source: LS("content_wildcard_nonrepeating"),
    pattern: { FileName: [{ wildcard: "/Users/*/doc.txt" }] },
    event: envelope({}, { FileName: "/Users/ls_user/dir/dir/dir/dir/dir/doc.txt" }),
    expected: true,
  },
  {
    name: "wildcard spanning many directories: other file",
    source: LS("content_wildcard_nonrepeating_NEG"),
    pattern: { FileName: [{ wildcard: "/Users/*/doc.txt" }] },
    event: envelope({}, { FileName: "/Users/ls_user/dir/dir/dir/dir/dir/img.png" }),
    expected: false,
  },
  {
    name: "wildcard: \\* is a literal star",
    source: "ER README (wildcard escapes); BLOG-WC",
    pattern: { detail: { key: [{ wildcard: "a\\*b" }] } },
    event: envelope({ key: "a*b" }),
    expected: true,
  },
  {
    name: "wildcard: \\* does not match other characters",
    source: "ER README (wildcard escapes)",
    pattern: { detail: { key: [{ wildcard: "a\\*b" }] } },
    event: envelope({ key: "axb" }),
    expected: false,
  },
  {
    name: "wildcard: \\\\ is a literal backslash",
    source: "ER README (wildcard escapes)",
    pattern: { detail: { key: [{ wildcard: "C:\\\\*" }] } },
    event: envelope({ key: "C:\\temp" }),
    expected: true,
  },
  {
    name: "wildcard never matches a number",
    source: "semantics §5",
    pattern: { detail: { key: [{ wildcard: "1*" }] } },
    event: envelope({ key: 123 }),
    expected: false,
  },
  {
    name: "wildcard without * is an exact match",
    source: "ER README",
    pattern: { detail: { key: [{ wildcard: "abc" }] } },
    event: envelope({ key: "abcd" }),
    expected: false,
  },
  {
    name: "wildcard * matches the empty string",
    source: "BLOG-WC (zero or more characters)",
    pattern: { detail: { key: [{ wildcard: "*" }] } },
    event: envelope({ key: "" }),
    expected: true,
  },

  // --- anything-but -------------------------------------------------------------------------------
  {
    name: "anything-but a string",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_string")}`,
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but a string: the excluded value",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_string_NEG")}`,
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: envelope({ state: "initializing" }),
    expected: false,
  },
  {
    name: "anything-but a number",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_number")}`,
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: envelope({ "x-limit": 456 }),
    expected: true,
  },
  {
    name: "anything-but a number: the excluded value",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_number_NEG")}`,
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: envelope({ "x-limit": 123 }),
    expected: false,
  },
  {
    name: "anything-but 0",
    source: LS("content_anything_but_number_zero"),
    pattern: { detail: { "x-limit": [{ "anything-but": 0 }] } },
    event: envelope({ "x-limit": 789 }),
    expected: true,
  },
  {
    name: "anything-but a list of strings",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_string_list")}`,
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but a list of strings: an excluded value",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_string_list_NEG")}`,
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    event: envelope({ state: "overloaded" }),
    expected: false,
  },
  {
    name: "anything-but a list of numbers",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_but_number_list")}`,
    pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    event: envelope({ "x-limit": 150 }),
    expected: true,
  },
  {
    name: "anything-but a list of numbers: 300.0 is excluded",
    source: `${FILTERING}#eb-filtering-anything-but; LS-AWS 2025-10 (numbers by value)`,
    pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    event: envelope({ "x-limit": 300.0 }),
    expected: false,
  },
  {
    name: "anything-but a string passes a number",
    source: "semantics §5 (JSON-typed values)",
    pattern: { detail: { code: [{ "anything-but": "123" }] } },
    event: envelope({ code: 123 }),
    expected: true,
  },
  {
    name: "anything-but on a missing field is false",
    source: LS("content_anything_but_string_missing_NEG"),
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: envelope({ other: "x" }),
    expected: false,
  },
  {
    name: "anything-but on null is true",
    source: `${LS("content_anything_but_string_null")} (2025-10)`,
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: envelope({ state: null }),
    expected: true,
  },
  {
    name: "anything-but list on null is true",
    source: LS("content_anything_but_string_list_null"),
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    event: envelope({ state: null }),
    expected: true,
  },
  {
    name: "anything-but prefix",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_prefix")}`,
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but prefix: a value with the prefix",
    source: `${FILTERING}#eb-filtering-anything-but; ${LS("content_anything_prefix_NEG")}`,
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: envelope({ state: "initializing" }),
    expected: false,
  },
  {
    name: "anything-but prefix list",
    source: LS("content_anything_prefix_list"),
    pattern: { detail: { state: [{ "anything-but": { prefix: ["init", "pend"] } }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but prefix list: one prefix hits",
    source: LS("content_anything_prefix_list_NEG"),
    pattern: { detail: { state: [{ "anything-but": { prefix: ["init", "pend"] } }] } },
    event: envelope({ state: "pending" }),
    expected: false,
  },
  {
    name: "anything-but prefix passes a number",
    source: `${LS("content_anything_prefix_int_value")} (2025-10)`,
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: envelope({ state: 12 }),
    expected: true,
  },
  {
    name: "anything-but prefix on null is true",
    source: LS("content_anything_prefix_null"),
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: envelope({ state: null }),
    expected: true,
  },
  {
    name: "anything-but prefix on a missing field is false",
    source: LS("content_anything_prefix_missing_NEG"),
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: envelope({}),
    expected: false,
  },
  {
    name: "anything-but suffix",
    source: `${OPERATORS} (Anything-but ends with); ${LS("content_anything_suffix")}`,
    pattern: { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } },
    event: envelope({ FileName: "file.png" }),
    expected: true,
  },
  {
    name: "anything-but suffix: the excluded suffix",
    source: `${OPERATORS} (Anything-but ends with); ${LS("content_anything_suffix_NEG")}`,
    pattern: { detail: { FileName: [{ "anything-but": { suffix: ".txt" } }] } },
    event: envelope({ FileName: "file.txt" }),
    expected: false,
  },
  {
    name: "anything-but equals-ignore-case",
    source: `${OPERATORS} (Anything-but ignore case); ${LS("content_anything_but_ignorecase")}`,
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but equals-ignore-case: another casing",
    source: `${OPERATORS} (Anything-but ignore case); ${LS("content_anything_but_ignorecase_NEG")}`,
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    event: envelope({ state: "INITIALIZING" }),
    expected: false,
  },
  {
    name: "anything-but equals-ignore-case list",
    source: LS("content_anything_but_ignorecase_list"),
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } },
    event: envelope({ state: "running" }),
    expected: true,
  },
  {
    name: "anything-but equals-ignore-case list: an excluded value",
    source: LS("content_anything_but_ignorecase_list_NEG"),
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "OverLoaded"] } }] } },
    event: envelope({ state: "stopped" }),
    expected: false,
  },
  {
    name: "anything-but equals-ignore-case on null is true",
    source: LS("content_anything_but_ignorecase_null"),
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    event: envelope({ state: null }),
    expected: true,
  },
  {
    name: "anything-but wildcard",
    source: `${OPERATORS} (Anything-but using a wildcard); ${LS("content_anything_wildcard")}`,
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } },
    event: envelope({ FilePath: "/usr/bin/env" }),
    expected: true,
  },
  {
    name: "anything-but wildcard: a path in lib",
    source: `${OPERATORS} (Anything-but using a wildcard); ${LS("content_anything_wildcard_NEG")}`,
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] } },
    event: envelope({ FilePath: "/usr/lib/libc.so" }),
    expected: false,
  },
  {
    name: "anything-but wildcard list",
    source: LS("content_anything_wildcard_list"),
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: ["*/dir/*", "*/lib/*"] } }] } },
    event: envelope({ FilePath: "/usr/bin/env" }),
    expected: true,
  },
  {
    name: "anything-but wildcard list: one pattern hits",
    source: LS("content_anything_wildcard_list_NEG"),
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: ["*/dir/*", "*/lib/*"] } }] } },
    event: envelope({ FilePath: "/home/dir/file" }),
    expected: false,
  },
  {
    name: "anything-but wildcard passes a number",
    source: LS("content_anything_wildcard_int"),
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "*/dir/*" } }] } },
    event: envelope({ FilePath: 123 }),
    expected: true,
  },
  {
    name: 'anything-but wildcard "" passes a non-empty string',
    source: LS("content_anything_wildcard_empty"),
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "" } }] } },
    event: envelope({ FilePath: "dir/init/file" }),
    expected: true,
  },
  {
    name: "Weather is anything but Raining",
    source: `${OPERATORS} (Not)`,
    pattern: { detail: { Weather: [{ "anything-but": ["Raining"] }] } },
    event: envelope({ Weather: "Sunny" }),
    expected: true,
  },

  // --- numeric ------------------------------------------------------------------------------------
  {
    name: "numeric example: all three fields in range",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: numericExample,
    event: envelope({ "c-count": 3, "d-count": 9, "x-limit": 301.8 }),
    expected: true,
  },
  {
    name: "numeric example: c-count above 5",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: numericExample,
    event: envelope({ "c-count": 6, "d-count": 9, "x-limit": 301.8 }),
    expected: false,
  },
  {
    name: "numeric range: the upper bound is inclusive with <=",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: envelope({ "c-count": 5 }),
    expected: true,
  },
  {
    name: "numeric range: the lower bound is exclusive with >",
    source: `${FILTERING}#filtering-numeric-matching; ${LS("content_numeric_and_NEG")}`,
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: envelope({ "c-count": 0 }),
    expected: false,
  },
  {
    name: "numeric range: >= includes the bottom",
    source: "ER README (numeric matching)",
    pattern: { detail: { n: [{ numeric: [">=", 0, "<", 5] }] } },
    event: envelope({ n: 0 }),
    expected: true,
  },
  {
    name: "numeric range: < excludes the top",
    source: "ER README (numeric matching)",
    pattern: { detail: { n: [{ numeric: [">=", 0, "<", 5] }] } },
    event: envelope({ n: 5 }),
    expected: false,
  },
  {
    name: "Price more than 10 and at most 20",
    source: `${OPERATORS} (Numeric range)`,
    pattern: { detail: { Price: [{ numeric: [">", 10, "<=", 20] }] } },
    event: envelope({ Price: 15 }),
    expected: true,
  },
  {
    name: "numeric never matches a string",
    source: `${FILTERING}#filtering-numeric-matching; ${LS("numeric-string_NEG")}`,
    pattern: { detail: { number: [{ numeric: [">", 100] }] } },
    event: envelope({ number: "300" }),
    expected: false,
  },
  {
    name: "numeric never matches null",
    source: LS("numeric-null_NEG"),
    pattern: { detail: { number: [{ numeric: [">", 100] }] } },
    event: envelope({ number: null }),
    expected: false,
  },
  {
    name: "numeric never matches a boolean",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: { detail: { number: [{ numeric: [">", 0] }] } },
    event: envelope({ number: true }),
    expected: false,
  },
  {
    name: "numeric on a float value",
    source: LS("numeric-int-float"),
    pattern: { detail: { number: [{ numeric: [">", 100] }] } },
    event: envelope({ number: 101.0 }),
    expected: true,
  },
  {
    name: "numeric = 3.018e2",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } },
    event: envelope({ "x-limit": 301.8 }),
    expected: true,
  },
  {
    name: "numeric beyond 1e9 (event-ruler #188)",
    source: "ER git log #188 (full float64 range)",
    pattern: { detail: { bytes: [{ numeric: [">", 5e9] }] } },
    event: envelope({ bytes: 6e9 }),
    expected: true,
  },
  {
    name: "numeric with negative numbers",
    source: `${FILTERING}#filtering-numeric-matching`,
    pattern: { detail: { delta: [{ numeric: ["<", -10] }] } },
    event: envelope({ delta: -10.5 }),
    expected: true,
  },

  // --- exists -------------------------------------------------------------------------------------
  {
    name: "exists:true on a present leaf",
    source: `${FILTERING}#eb-filtering-exists-matching; ${LS("content_exists")}`,
    pattern: { detail: { state: [{ exists: true }] } },
    event: envelope({ "instance-id": "i-abcd1111", state: "pending" }),
    expected: true,
  },
  {
    name: "exists:true on a missing leaf",
    source: `${FILTERING}#eb-filtering-exists-matching; ${LS("content_exists_NEG")}`,
    pattern: { detail: { state: [{ exists: true }] } },
    event: envelope({ "instance-id": "i-abcd1111" }),
    expected: false,
  },
  {
    name: "exists:true on an object node is false",
    source: `${FILTERING}#eb-filtering-exists-matching; ${LS("exists_dynamodb_NEG")}`,
    pattern: { detail: { "c-count": [{ exists: true }] } },
    event: envelope({ "c-count": { c1: 100 } }),
    expected: false,
  },
  {
    name: "exists:true on null counts as present",
    source: "semantics §5 (null is present); LS-AWS",
    pattern: { detail: { state: [{ exists: true }] } },
    event: envelope({ state: null }),
    expected: true,
  },
  {
    name: "exists:false on a missing leaf",
    source: `${FILTERING}#eb-filtering-exists-matching; ${LS("content_exists_false")}`,
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: envelope({ state: ["initializing", "running"] }),
    expected: true,
  },
  {
    name: "exists:false on a present leaf",
    source: `${FILTERING}#eb-filtering-exists-matching; ${LS("content_exists_false_NEG")}`,
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: envelope({ "c-count": 3 }),
    expected: false,
  },
  {
    name: "exists:false on an object node is true",
    source: `${FILTERING}#eb-filtering-exists-matching (c-count is not a leaf)`,
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: envelope({ state: "running", "c-count": { c1: 100 } }),
    expected: true,
  },
  {
    name: "exists:false on null is false (null is present)",
    source: "semantics §5 (null is present)",
    pattern: { detail: { state: [{ exists: false }] } },
    event: envelope({ state: null }),
    expected: false,
  },
  {
    name: "exists:false when the whole path is absent",
    source: LS("or-exists-parent"),
    pattern: homemadeOrExists,
    event: envelope({}, { dynamodb: { NewImage: { purchased: { N: "789" } } } }),
    expected: true,
  },

  // --- cidr ---------------------------------------------------------------------------------------
  {
    name: "cidr 10.0.0.0/24 contains 10.0.0.255",
    source: `${FILTERING}#eb-filtering-ip-matching; ${LS("content_ip_address")}`,
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: envelope({ sourceIPAddress: "10.0.0.255" }),
    expected: true,
  },
  {
    name: "cidr 10.0.0.0/24 does not contain 10.0.1.1",
    source: `${FILTERING}#eb-filtering-ip-matching`,
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: envelope({ sourceIPAddress: "10.0.1.1" }),
    expected: false,
  },
  {
    name: "cidr: 10.0.0.256 is not an IP",
    source: LS("content_ip_address_NEG"),
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: envelope({ sourceIPAddress: "10.0.0.256" }),
    expected: false,
  },
  {
    name: "cidr: a number is no match",
    source: LS("content_ip_address_bad_type_NEG"),
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: envelope({ sourceIPAddress: 123 }),
    expected: false,
  },
  {
    name: "cidr: a non-IP string is no match",
    source: "semantics §5 (cidr)",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: envelope({ sourceIPAddress: "localhost" }),
    expected: false,
  },
  {
    name: "cidr host bits are floored: /31 covers .170",
    source: "ER MachineTest; LS-AWS",
    pattern: { detail: { ip: [{ cidr: "220.160.153.171/31" }] } },
    event: envelope({ ip: "220.160.153.170" }),
    expected: true,
  },
  {
    name: "cidr host bits are floored: /31 does not cover .172",
    source: "ER MachineTest; LS-AWS",
    pattern: { detail: { ip: [{ cidr: "220.160.153.171/31" }] } },
    event: envelope({ ip: "220.160.153.172" }),
    expected: false,
  },
  {
    name: "cidr IPv6 /64",
    source: LS("content_ip_address_v6"),
    pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
    event: envelope({ sourceIPAddress: "2001:0db8:1234:1a00:0000:0000:0000:0000" }),
    expected: true,
  },
  {
    name: "cidr IPv6 /64: other network",
    source: LS("content_ip_address_v6_NEG"),
    pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
    event: envelope({ sourceIPAddress: "2001:0db8:123f:1a01:0000:0000:0000:0000" }),
    expected: false,
  },
  {
    name: "cidr IPv6 with a compressed event value",
    source: `${FILTERING}#eb-filtering-ip-matching (IPv6)`,
    pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
    event: envelope({ sourceIPAddress: "2001:db8:1234:1a00::1" }),
    expected: true,
  },
  {
    name: "cidr IPv4 range does not contain an IPv6 address",
    source: `${FILTERING}#eb-filtering-ip-matching`,
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/8" }] } },
    event: envelope({ sourceIPAddress: "2001:db8::1" }),
    expected: false,
  },

  // --- $or ----------------------------------------------------------------------------------------
  {
    name: "$or: the d-count alternative matches",
    source: `${FILTERING}#eb-filtering-complex-example-or; ${LS("complex_or")}`,
    pattern: orNumericExample,
    event: envelope({ "c-count": 0, "d-count": 0, "x-limit": 9.018e2 }),
    expected: true,
  },
  {
    name: "$or: no alternative matches",
    source: `${FILTERING}#eb-filtering-complex-example-or; ${LS("complex_or_NEG")}`,
    pattern: orNumericExample,
    event: envelope({ "c-count": 0, "d-count": 10, "x-limit": 9.018e2 }),
    expected: false,
  },
  {
    name: "$or combined with an AND sibling",
    source: `${FILTERING}#eb-filtering-complex-example-or`,
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    },
    event: envelope({}, { source: "aws.cloudwatch", namespace: "AWS/ES" }),
    expected: true,
  },
  {
    name: "$or combined with an AND sibling that fails",
    source: `${FILTERING}#eb-filtering-complex-example-or`,
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    },
    event: envelope({}, { source: "aws.ec2", namespace: "AWS/ES" }),
    expected: false,
  },
  {
    name: "$or nested inside $or",
    source: "ER README ($or relationship)",
    pattern: { detail: { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] } },
    event: envelope({ c: 3 }),
    expected: true,
  },
  {
    name: "$or nested inside $or: nothing matches",
    source: "ER README ($or relationship)",
    pattern: { detail: { $or: [{ a: [1] }, { $or: [{ b: [2] }, { c: [3] }] }] } },
    event: envelope({ c: 4 }),
    expected: false,
  },
  {
    name: "Location is New York or Day is Monday",
    source: `${OPERATORS} (Or, multiple fields)`,
    pattern: { detail: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] } },
    event: envelope({ Location: "Boston", Day: "Monday" }),
    expected: true,
  },

  // --- several operators in one leaf ----------------------------------------------------------------
  {
    name: "a value or a numeric range: the value",
    source: "LS-AWS (operators OR'd in one leaf)",
    pattern: { detail: { n: [0, { numeric: [">", 100] }] } },
    event: envelope({ n: 0 }),
    expected: true,
  },
  {
    name: "a value or a numeric range: the range",
    source: "LS-AWS (operators OR'd in one leaf)",
    pattern: { detail: { n: [0, { numeric: [">", 100] }] } },
    event: envelope({ n: 150 }),
    expected: true,
  },
  {
    name: "a value or a numeric range: neither",
    source: "LS-AWS (operators OR'd in one leaf)",
    pattern: { detail: { n: [0, { numeric: [">", 100] }] } },
    event: envelope({ n: 50 }),
    expected: false,
  },
  {
    name: "anything-but or exists:false: S is missing",
    source: LS("or-exists"),
    pattern: homemadeOrExists,
    event: envelope({}, { dynamodb: { NewImage: { homemade: { N: "789" } } } }),
    expected: true,
  },
  {
    name: "anything-but or exists:false: S is not roses",
    source: LS("or-anything-but"),
    pattern: homemadeOrExists,
    event: envelope({}, { dynamodb: { NewImage: { homemade: { S: "ABCD", N: "1234" } } } }),
    expected: true,
  },
  {
    name: "anything-but or exists:false: S is roses",
    source: "LS-AWS or-anything-but (negated)",
    pattern: homemadeOrExists,
    event: envelope({}, { dynamodb: { NewImage: { homemade: { S: "roses" } } } }),
    expected: false,
  },
  {
    name: 'numeric or anything-but: a string "101" fails both',
    source: LS("or-numeric-anything-but_NEG"),
    pattern: { dynamodb: { NewImage: { numericFilter: { N: [{ numeric: [">", 100] }, { "anything-but": "101" }] } } } },
    event: envelope({}, { dynamodb: { NewImage: { numericFilter: { N: "101" } } } }),
    expected: false,
  },
  {
    name: "numeric or anything-but: another string passes anything-but",
    source: `${LS("or-numeric-anything-but_NEG")} (variant)`,
    pattern: { dynamodb: { NewImage: { numericFilter: { N: [{ numeric: [">", 100] }, { "anything-but": "101" }] } } } },
    event: envelope({}, { dynamodb: { NewImage: { numericFilter: { N: "100" } } } }),
    expected: true,
  },
  {
    name: "exists:true OR'd with other operators",
    source: LS("operator_multiple_list"),
    pattern: { my_key: [{ exists: true }, { prefix: "IGNORED" }, { suffix: "IGNORED" }] },
    event: envelope({}, { my_key: "my-value" }),
    expected: true,
  },

  // --- the complex example ------------------------------------------------------------------------
  {
    name: "complex example: every condition holds",
    source: `${FILTERING}#eb-filtering-complex-example`,
    pattern: complexExample,
    event: envelope(
      { state: "processing", "c-count": 3, "d-count": 9, "x-limit": 999 },
      { time: "2017-10-02T18:43:48Z" },
    ),
    expected: true,
  },
  {
    name: "complex example: x-limit is excluded",
    source: `${FILTERING}#eb-filtering-complex-example; ${LS("complex_multi_match_NEG")}`,
    pattern: complexExample,
    event: envelope(
      { state: "processing", "c-count": 3, "d-count": 9, "x-limit": 200 },
      { time: "2017-10-02T18:43:48Z" },
    ),
    expected: false,
  },
  {
    name: "complex example: time on another day",
    source: `${FILTERING}#eb-filtering-complex-example`,
    pattern: complexExample,
    event: envelope(
      { state: "processing", "c-count": 3, "d-count": 9, "x-limit": 999 },
      { time: "2017-10-03T18:43:48Z" },
    ),
    expected: false,
  },
];

const longOrAlternatives = [{ a: [1] }, { a: [2] }, { a: [3] }, { a: [4] }, { a: [5] }, { a: [6] }];

export const invalidPatternCases: readonly InvalidPatternCase[] = [
  // --- shape --------------------------------------------------------------------------------------
  {
    name: "a JSON array is not an object",
    source: "LS-AWS test_invalid_json_event_pattern",
    pattern: ["not", "a", "dict", "but valid json"],
    reasonIncludes: "Filter is not an object",
  },
  {
    name: "a JSON string is not an object",
    source: "ER JsonRuleCompiler.doCompile",
    pattern: '"just a string"',
    reasonIncludes: "Filter is not an object",
  },
  {
    name: "a JSON number is not an object",
    source: "ER JsonRuleCompiler.doCompile",
    pattern: 42,
    reasonIncludes: "Filter is not an object",
  },
  {
    name: "malformed JSON",
    source: "LS-AWS test_invalid_json_event_pattern",
    pattern: "{'bad': 'quotation'}",
    reasonIncludes: "Unexpected character (''' (code 39)): was expecting double-quote to start field name",
  },
  {
    name: "text that is not JSON",
    source: "LS-AWS test_invalid_json_event_pattern",
    pattern: "this is valid json but not a dict",
    reasonIncludes:
      "Unrecognized token 'this': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  },
  {
    name: "a bare word as a value",
    source: "LS-AWS test_invalid_json_event_pattern",
    pattern: '{"not": closed mark"',
    reasonIncludes: "Unrecognized token 'closed': was expecting",
  },
  {
    name: "a leaf that is a number",
    source: "LS-AWS int_nolist_EXC",
    pattern: { int: 42 },
    reasonIncludes: '"int" must be an object or an array',
  },
  {
    name: "a leaf that is a string",
    source: "LS-AWS string_nolist_EXC",
    pattern: { string: "my-value" },
    reasonIncludes: '"string" must be an object or an array',
  },
  {
    name: "a leaf that is null",
    source: "ER JsonRuleCompiler.parseObject",
    pattern: { detail: { state: null } },
    reasonIncludes: '"state" must be an object or an array',
  },
  {
    name: "an empty leaf array",
    source: "LS-AWS arrays_empty_EXC",
    pattern: { resources: [] },
    reasonIncludes: "Empty arrays are not allowed",
  },
  {
    name: "an empty nested object",
    source: "semantics §9; ER JsonRuleCompiler",
    pattern: { detail: {} },
    reasonIncludes: "Empty objects are not allowed",
  },
  {
    name: "an empty pattern",
    source: "semantics §9 (event-ruler rejects it)",
    pattern: {},
    reasonIncludes: "Empty objects are not allowed",
  },
  {
    name: "an array inside a leaf array",
    source: "ER JsonRuleCompiler.writeRules",
    pattern: { detail: { state: [["running"]] } },
    reasonIncludes: "Match value must be String, number, true, false, or null",
  },
  {
    name: "an empty match expression",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { state: [{}] } },
    reasonIncludes: "Match expression name not found",
  },
  {
    name: "two operators in one match expression",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { state: [{ prefix: "a", suffix: "b" }] } },
    reasonIncludes: "Only one key allowed in match expression",
  },
  // --- operator names -----------------------------------------------------------------------------
  {
    name: "operator names are case-sensitive: EXISTS",
    source: "LS-AWS operator_case_sensitive_EXC",
    pattern: { my_key: [{ EXISTS: true }] },
    reasonIncludes: "Unrecognized match type EXISTS",
  },
  {
    name: "operator names are case-sensitive: NUMERIC",
    source: "LS-AWS content_numeric_operatorcasing_EXC",
    pattern: { detail: { equal: [{ NUMERIC: ["=", 5] }] } },
    reasonIncludes: "Unrecognized match type NUMERIC",
  },
  {
    name: "an unknown operator",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { state: [{ contains: "run" }] } },
    reasonIncludes: "Unrecognized match type contains",
  },
  // --- numeric ------------------------------------------------------------------------------------
  {
    name: "numeric: two lower bounds",
    source: "LS-AWS content_numeric_EXC",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, ">", 0] }] } },
    reasonIncludes: "Bad numeric range operator: >",
  },
  {
    name: "numeric: upper operator without a value",
    source: "LS-AWS content_numeric_syntax_EXC",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<"] }] } },
    reasonIncludes: "Value of < must be numeric",
  },
  {
    name: "numeric: a string operand",
    source: "ER JsonRuleCompiler.processNumericMatchExpression",
    pattern: { detail: { n: [{ numeric: ["=", "5"] }] } },
    reasonIncludes: "Value of equals must be numeric",
  },
  {
    name: "numeric: an unknown operator",
    source: "ER JsonRuleCompiler.processNumericMatchExpression",
    pattern: { detail: { n: [{ numeric: ["!=", 5] }] } },
    reasonIncludes: "Unrecognized numeric range operator: !=",
  },
  {
    name: "numeric: not an array",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { n: [{ numeric: 5 }] } },
    reasonIncludes: "Value of numeric must be an array.",
  },
  {
    name: "numeric: upper bound first",
    source: "ER JsonRuleCompiler.processNumericMatchExpression",
    pattern: { detail: { n: [{ numeric: ["<", 5, ">", 0] }] } },
    reasonIncludes: "Too many elements in numeric expression",
  },
  {
    name: "numeric: bottom above top",
    source: "ER Range.between",
    pattern: { detail: { n: [{ numeric: [">", 5, "<", 1] }] } },
    reasonIncludes: "Bottom must be less than top",
  },
  {
    name: "numeric: too many terms",
    source: "ER JsonRuleCompiler.completeNumericRange",
    pattern: { detail: { n: [{ numeric: [">", 0, "<", 5, 6] }] } },
    reasonIncludes: "Too many terms in numeric range expression",
  },
  {
    name: "numeric: the operator is not a string",
    source: "ER JsonRuleCompiler.processNumericMatchExpression",
    pattern: { detail: { n: [{ numeric: [5] }] } },
    reasonIncludes: "Invalid member in numeric match: 5",
  },
  // --- prefix / suffix / equals-ignore-case -------------------------------------------------------
  {
    name: "prefix: a list",
    source: "LS-AWS content_prefix_list_EXC",
    pattern: { time: [{ prefix: ["2022-07-13"] }] },
    reasonIncludes: "prefix match pattern must be a string",
  },
  {
    name: "prefix: a number",
    source: "LS-AWS content_prefix_int_EXC",
    pattern: { time: [{ prefix: 123 }] },
    reasonIncludes: "prefix match pattern must be a string",
  },
  {
    name: "prefix: an unsupported object",
    source: "ER JsonRuleCompiler.processPrefixEqualsIgnoreCaseExpression",
    pattern: { time: [{ prefix: { suffix: "x" } }] },
    reasonIncludes: "Unsupported prefix pattern: suffix",
  },
  {
    name: "suffix: a number",
    source: "LS-AWS content_suffix_int_EXC",
    pattern: { FileName: [{ suffix: 123 }] },
    reasonIncludes: "suffix match pattern must be a string",
  },
  {
    name: "suffix: a list",
    source: "LS-AWS content_suffix_list_EXC",
    pattern: { FileName: [{ suffix: [".png"] }] },
    reasonIncludes: "suffix match pattern must be a string",
  },
  {
    name: "equals-ignore-case: a list",
    source: "LS-AWS content_ignorecase_EXC",
    pattern: { "detail-type": [{ "equals-ignore-case": ["ec2 instance state-change notification"] }] },
    reasonIncludes: "equals-ignore-case match pattern must be a string",
  },
  {
    name: "equals-ignore-case: an object",
    source: "LS-AWS content_ignorecase_list_EXC",
    pattern: { "detail-type": [{ "equals-ignore-case": { prefix: "ec2" } }] },
    reasonIncludes: "equals-ignore-case match pattern must be a string",
  },
  // --- wildcard -----------------------------------------------------------------------------------
  {
    name: "wildcard: a number",
    source: "LS-AWS content_wildcard_int_EXC",
    pattern: { EventBusArn: [{ wildcard: 123 }] },
    reasonIncludes: "wildcard match pattern must be a string",
  },
  {
    name: "wildcard: a list",
    source: "LS-AWS content_wildcard_list_EXC",
    pattern: { EventBusArn: [{ wildcard: ["arn:aws:events:us-east-1:*:event-bus/*"] }] },
    reasonIncludes: "wildcard match pattern must be a string",
  },
  {
    name: "wildcard: consecutive stars",
    source: "LS-AWS content_wildcard_repeating_star_EXC",
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:**:event-bus/*" }] },
    reasonIncludes: "Consecutive wildcard characters at pos 26",
  },
  {
    name: "wildcard: an invalid escape",
    source: "ER WildcardParser",
    pattern: { key: [{ wildcard: "a\\bc" }] },
    reasonIncludes: "Invalid escape character at pos 2",
  },
  {
    name: "wildcard: a trailing backslash",
    source: "ER WildcardParser; semantics §5",
    pattern: { key: [{ wildcard: "abc\\" }] },
    reasonIncludes: "Invalid escape character at pos 4",
  },
  {
    name: "wildcard: too complex",
    source: "LS-AWS content_wildcard_complex_EXC",
    pattern: { EventBusArn: [{ wildcard: "*:*:*:*:*:event-bus/*" }] },
    reasonIncludes: "Rule is too complex",
  },
  // --- anything-but -------------------------------------------------------------------------------
  {
    name: "anything-but: a mixed list",
    source: "ER JsonRuleCompiler.processAnythingButListMatchExpression; semantics §5",
    pattern: { detail: { state: [{ "anything-but": ["stopped", 1] }] } },
    reasonIncludes: "mixed type is not supported",
  },
  {
    name: "anything-but: null",
    source: "LS-AWS content_anything_but_string_null_type_EXC",
    pattern: { detail: { state: [{ "anything-but": null }] } },
    reasonIncludes: "Value of anything-but must be an array or single string/number value.",
  },
  {
    name: "anything-but: a list holding null",
    source: "LS-AWS content_anything_but_string_list_null_type_EXC",
    pattern: { detail: { state: [{ "anything-but": ["stopped", null] }] } },
    reasonIncludes: "Inside anything but list, start|null|boolean is not supported.",
  },
  {
    name: "anything-but: a boolean",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { state: [{ "anything-but": true }] } },
    reasonIncludes: "Value of anything-but must be an array or single string/number value.",
  },
  {
    name: "anything-but equals-ignore-case: a number",
    source: "LS-AWS content_anything_but_ignorecase_EXC",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": 123 } }] } },
    reasonIncludes: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
  },
  {
    name: "anything-but equals-ignore-case: a list of numbers",
    source: "LS-AWS content_anything_but_ignorecase_list_EXC",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": [123, 456] } }] } },
    reasonIncludes: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
  },
  {
    name: "anything-but prefix: a number",
    source: "LS-AWS content_anything_prefix_int_EXC",
    pattern: { detail: { state: [{ "anything-but": { prefix: 123 } }] } },
    reasonIncludes: "prefix/suffix match pattern must be a string",
  },
  {
    name: "anything-but prefix: a list with a number",
    source: "LS-AWS content_anything_prefix_list_type_EXC",
    pattern: { detail: { state: [{ "anything-but": { prefix: [123, "test"] } }] } },
    reasonIncludes: "prefix/suffix match pattern must be a string",
  },
  {
    name: "anything-but suffix: a number",
    source: "LS-AWS content_anything_suffix_int_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: 123 } }] } },
    reasonIncludes: "prefix/suffix match pattern must be a string",
  },
  {
    name: "anything-but prefix: an empty prefix",
    source: "LS-AWS content_anything_prefix_empty_EXC; ER",
    pattern: { detail: { FileName: [{ "anything-but": { prefix: "" } }] } },
    reasonIncludes: "Null prefix/suffix not allowed",
  },
  {
    name: "anything-but suffix: an empty suffix",
    source: "LS-AWS content_anything_suffix_empty_EXC; ER",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: "" } }] } },
    reasonIncludes: "Null prefix/suffix not allowed",
  },
  {
    name: "anything-but prefix with equals-ignore-case",
    source: "LS-AWS content_anything_prefix_ignorecase_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { prefix: { "equals-ignore-case": "file" } } }] } },
    reasonIncludes: "Value of anything-but must be an array or single string/number value.",
  },
  {
    name: "anything-but suffix with equals-ignore-case",
    source: "LS-AWS content_anything_suffix_ignorecase_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: { "equals-ignore-case": ".png" } } }] } },
    reasonIncludes: "Value of anything-but must be an array or single string/number value.",
  },
  {
    name: "anything-but wildcard: a number",
    source: "LS-AWS content_anything_wildcard_type_EXC",
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: 123 } }] } },
    reasonIncludes: "wildcard match pattern must be a string",
  },
  {
    name: "anything-but wildcard: a list with a number",
    source: "LS-AWS content_anything_wildcard_list_type_EXC",
    pattern: { detail: { state: [{ "anything-but": { wildcard: [123, "*/dir/*"] } }] } },
    reasonIncludes: "wildcard match pattern must be a string",
  },
  {
    name: "anything-but: an unsupported operator",
    source: "ER JsonRuleCompiler.processMatchExpression",
    pattern: { detail: { state: [{ "anything-but": { numeric: [">", 1] } }] } },
    reasonIncludes: "Unsupported anything-but pattern: numeric",
  },
  // --- exists / cidr ------------------------------------------------------------------------------
  {
    name: "exists: a string",
    source: "ER JsonRuleCompiler.processExistsExpression",
    pattern: { detail: { state: [{ exists: "true" }] } },
    reasonIncludes: "exists match pattern must be either true or false.",
  },
  {
    name: "cidr: no mask",
    source: "LS-AWS content_ip_address_EXC",
    pattern: { detail: { sourceIPAddress: [{ cidr: "bad-filter" }] } },
    reasonIncludes: "Malformed CIDR, one '/' required",
  },
  {
    name: "cidr: a mask that is not a number",
    source: "LS-AWS content_ip_address_bad_mask_EXC",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/xx" }] } },
    reasonIncludes: "Malformed CIDR, mask bits must be an integer",
  },
  {
    name: "cidr: not an IP",
    source: "LS-AWS content_ip_address_bad_ip_EXC",
    pattern: { detail: { sourceIPAddress: [{ cidr: "xx.11.xx/24" }] } },
    reasonIncludes: "Nonstandard IP address: xx.11.xx",
  },
  {
    name: "cidr: not an IPv6",
    source: "LS-AWS content_ip_address_v6_bad_ip_EXC",
    pattern: { detail: { sourceIPAddress: [{ cidr: "xxxx:db8:1234:1a00::/64" }] } },
    reasonIncludes: "Nonstandard IP address: xxxx:db8:1234:1a00::",
  },
  {
    name: "cidr: a list",
    source: "LS-AWS content_ip_address_type_EXC",
    pattern: { detail: { sourceIPAddress: [{ cidr: ["bad-type"] }] } },
    reasonIncludes: "prefix match pattern must be a string",
  },
  {
    name: "cidr: an octet above 255",
    source: "ER CIDR.ipToBytes",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.256/24" }] } },
    reasonIncludes: "Invalid IP address: 10.0.0.256",
  },
  // --- $or ----------------------------------------------------------------------------------------
  {
    name: "$or with one object",
    source: "ER JsonRuleCompiler.parseIntoOrRelationship; semantics §5",
    pattern: { $or: [{ a: [1] }] },
    reasonIncludes: "There must have at least 2 Objects in $or relationship.",
  },
  {
    name: "$or that is not an array",
    source: "ER JsonRuleCompiler.parseIntoOrRelationship",
    pattern: { $or: { a: [1] } },
    reasonIncludes: "It must be an Array followed with $or.",
  },
  {
    name: "$or holding a non-object",
    source: "ER JsonRuleCompiler.parseIntoOrRelationship",
    pattern: { $or: [{ a: [1] }, ["b"]] },
    reasonIncludes: "Only JSON object is allowed in array of $or relationship.",
  },
  {
    name: "$or using an operator name as a field",
    source: "ER JsonRuleCompiler.parseObjectInsideOrRelationship",
    pattern: { $or: [{ numeric: [1] }, { b: [2] }] },
    reasonIncludes: "numeric is Ruler reserved fieldName which cannot be used inside $or.",
  },
  {
    name: "$or combinations over 1000",
    source: "semantics §5; DOC filt, ER README",
    pattern: {
      a: { $or: longOrAlternatives },
      b: { $or: longOrAlternatives },
      c: { $or: longOrAlternatives },
      d: { $or: longOrAlternatives },
    },
    reasonIncludes: "1000",
  },
];
