/** The `payment3 --help` text. */
export const USAGE = `payment3 — operate the wallet payment events flow, locally or on AWS

usage: payment3 <command> [options]        payment3 <command> --help for one command

commands
  publish            publish a WalletPaymentConfirmed (as the callbacks do), --wait for its outcome
  orders show <id>   an order's payment header, payment outcomes, audit rows and emails
  test-pattern <pattern.json> <event.json>
                     does the pattern match the event, and if not, which field (offline)
  status             bus, rules and targets, archive, replays, dead-letter depths, business counts
  replay             replay the bus archive for a time window to chosen rules
  dlq list|show|redrive
                     dead-lettered events: list, show one in full, deliver again
  preflight          before a deploy or a cut-over: check the account, print a checklist

options
  --endpoint <url>   the local endpoint, e.g. http://127.0.0.1:4566 (default AWS_ENDPOINT_URL;
                     unset = real AWS)
  --region <r>       AWS region (default AWS_REGION, else ap-southeast-1)
  --profile <p>      AWS profile for real AWS
  --stage <s>        stage / branch whose resources to use (default BRANCH, else dev)
  --bus <name>       event bus (default payment3-<stage>)
  --json             machine-readable output
  -h, --help         this text

exit status: 0 done, 1 it did not work (or: no match, an outcome not recorded in time),
2 a usage mistake (unknown command or flag, a missing or invalid value). Errors are one line
on stderr. Colour only on a terminal, never with NO_COLOR set.`;

/** `payment3 <command> --help`: one command's flags and examples. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  publish: `usage: payment3 publish --order-id <id> --payment-id <id> --success true|false [--amount <THB>]
                       [--channel wallet|bank-app] [--confirmed-at <ISO>] [--wait [--timeout <s>]]
       payment3 publish --file <file.json> [--wait [--timeout <s>]]

Publishes a WalletPaymentConfirmed through the callbacks' typed publisher.
  --amount <THB>     what the provider captured; left out = not reported (recorded as 0)
  --file <file>      a callback's JSON (order_id / payment_id aliases accepted), an EventBridge
                     event of WalletPaymentConfirmed (events/examples/), or a PutEvents entry
                     ({"Source","DetailType","Detail"}, one entry, or {"Entries":[one]})
  --wait             wait for the processor's outcome of this payment and print it
  --timeout <s>      how long --wait waits (default 30 s); exit 1 when nothing was recorded
Locally the bus must exist (--bus / --stage); a typo exits 2 and publishes nothing.

example: payment3 publish --order-id 492500005644 --payment-id pay_try_1 --success true --amount 490 --wait`,
  orders: `usage: payment3 orders show <orderId> [--json]

The order's payment header (paid, paymentId, method, total paid, overpaid, amount reported,
paidAt), its recalculated totals, each payment's recorded outcome, its audit rows
(ProcessPaidOrderTable) oldest first, and the customer emails.`,
  "test-pattern": `usage: payment3 test-pattern <pattern.json> <event.json> [--json]

Does the event pattern match the event, and if not, which field keeps it from matching.
Offline, with the same matcher as the local bus.
exit 0 match, 1 no match, 2 a file that cannot be read, is not JSON, or an invalid pattern.`,
  status: `usage: payment3 status [--json]

The bus, its rules with their targets (retries, dead-letter queue), the archive's event
count and size, replays, and the dead-letter depths. Locally also the business counts since
the runtime started (confirmations, outcomes by reason, emails, SNS, redeliveries,
calculate-cost calls, failures and latency); against AWS, where they are in CloudWatch.`,
  replay: `usage: payment3 replay --from <time> --to <time> [--rule <name>]... [--archive <name>] [--dry-run]

Replays the archive's events of the window to the given rules (default: every rule of the
bus), with a progress bar, and says how many events went to how many rules.
  times: ISO-8601 (2026-11-29T10:00:00Z), now, -2h, "30m ago" (--from -2h works)
  --dry-run          list what the rules would receive; nothing is delivered (local only)

example: payment3 replay --from -1h --to now --rule audit-log --dry-run`,
  preflight: `usage: payment3 preflight [--stage <s>] [--order-id <id>] [--production] [--json]

Checks the target account before a deploy or a cut-over, read-only, against the settings the
deploy reads from the environment (ORDER_TABLE_NAME, AUDIT_CREATED_AT_FORMAT,
CALCULATE_COST_FUNCTION, SENDER_EMAIL, OPS_ALARM_EMAIL, LEGACY_INVOKE_ADAPTER,
ADOPT_PROCESS_PAID_ORDER_TABLE): the order table and its orders' payment headers (a sample, or
--order-id), the ProcessPaidOrderTable, calculate-cost (a DryRun invocation), the legacy
function's name, the sender and alarm settings, the sender's SES identity and the SES sandbox.
Prints ✓ / ! / ✗ with what to do.
  --production       a missing SENDER_EMAIL / OPS_ALARM_EMAIL is a blocker (always for prod,
                     production, master)
exit 0 ready (warnings allowed), 1 a blocker.

example: LEGACY_INVOKE_ADAPTER=on ADOPT_PROCESS_PAID_ORDER_TABLE=ProcessPaidOrderTable-prod payment3 preflight --stage prod`,
  dlq: `usage: payment3 dlq list [--rule <name>]
       payment3 dlq show --id <id>
       payment3 dlq redrive [--id <id>]... [--rule <name>]

Dead-lettered events: locally the runtime's store, on AWS the stage's SQS dead-letter queues.
redrive delivers each again to the same target once and says how many were redriven;
exit 1 when any still fails.`,
};
