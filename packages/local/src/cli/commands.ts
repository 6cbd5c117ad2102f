import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { BUSINESS_METRICS_NAMESPACE, createAwsClients, defaultResourceNames } from "@payment3/core";
import {
  createLocalOperatorClient,
  listAwsDeadLetters,
  listDeadLetterQueues,
  progressBar,
  parseTimeArgument,
  readBusStatus,
  redriveAwsDeadLetters,
  resolveRuleArns,
  startArchiveReplay,
  TimeArgumentError,
  UnknownRuleError,
  waitForReplay,
} from "../operator/index";
import { businessMetricsLines, cloudWatchMetricsLine } from "./business-metrics-lines";
import type { CliContext } from "./cli-context";
import { CliError } from "./cli-error";
import type { ParsedOptions } from "./main";
import { formatTable as formatPlainTable } from "./text-table";

function table(context: CliContext, rows: readonly Record<string, string | number>[]) {
  return formatPlainTable(rows, { style: context.style });
}

/** status, replay and dlq: the commands that need the bus's operator APIs. */
export async function runOperatorCommand(
  command: string,
  rest: readonly string[],
  values: ParsedOptions,
  context: CliContext,
): Promise<number> {
  switch (command) {
    case "status":
      await statusCommand(context);
      return 0;
    case "replay":
      return replayCommand(context, values);
    case "dlq":
      return dlqCommand(context, rest[0], values);
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}; see payment3 --help`, 2);
  }
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

const clientOptions = (context: CliContext) => ({
  region: context.config.region,
  ...(context.endpoint ? { endpoint: context.endpoint } : {}),
});

async function statusCommand(context: CliContext) {
  const { eventBridge } = createAwsClients({ region: context.config.region, endpoint: context.endpoint });
  const status = await readBusStatus(eventBridge, context.config.eventBusName);
  const deadLetters = context.endpoint
    ? countByQueue(await createLocalOperatorClient(context.endpoint).deadLetters())
    : (await listDeadLetterQueues(new SQSClient(clientOptions(context)), context.config.stage)).map(
        ({ queueName, messages }) => ({ queueName, messages }),
      );
  const statistics = context.endpoint ? await createLocalOperatorClient(context.endpoint).statistics() : undefined;
  const businessMetrics = context.endpoint
    ? await createLocalOperatorClient(context.endpoint).businessMetrics()
    : undefined;
  if (context.json) {
    context.out(
      JSON.stringify({
        ...status,
        deadLetters,
        ...(statistics ? { statistics } : {}),
        businessMetrics: businessMetrics ?? {
          namespace: BUSINESS_METRICS_NAMESPACE,
          dashboard: defaultResourceNames(context.config.stage).opsDashboardName,
        },
      }),
    );
    return;
  }
  context.out(
    `bus ${status.bus.name} (${status.bus.arn})${statistics ? `: ${statistics.acceptedEventsByBus[status.bus.name] ?? 0} events accepted` : ""}`,
  );
  const otherBuses = Object.entries(statistics?.acceptedEventsByBus ?? {}).filter(([bus]) => bus !== status.bus.name);
  if (otherBuses.length)
    context.out(`  events accepted on other buses: ${otherBuses.map(([bus, n]) => `${bus} ${n}`).join(", ")}`);
  const dropped = Object.entries(statistics?.droppedEventsByBus ?? {});
  if (dropped.length)
    context.out(`  events dropped for buses that do not exist: ${dropped.map(([bus, n]) => `${bus} ${n}`).join(", ")}`);
  context.out("\nrules");
  context.out(
    table(
      context,
      status.rules.flatMap((rule) =>
        rule.targets.map((t) => ({
          rule: rule.name,
          state: rule.state,
          target: t.id,
          arn: t.arn,
          retries: t.maximumRetryAttempts ?? "-",
          "dead-letter queue": t.deadLetterQueue ?? "-",
        })),
      ),
    ),
  );
  context.out("\narchives");
  context.out(
    status.archives.length
      ? table(
          context,
          status.archives.map((a) => ({
            archive: a.name,
            state: a.state,
            events: a.eventCount,
            bytes: a.sizeBytes,
            "retention days": a.retentionDays || "forever",
          })),
        )
      : "  (none)",
  );
  context.out("\nreplays");
  context.out(
    status.replays.length
      ? table(
          context,
          status.replays.map((r) => ({ replay: r.name, state: r.state, from: r.from ?? "", to: r.to ?? "" })),
        )
      : "  (none)",
  );
  context.out("\ndead letters");
  context.out(
    deadLetters.length
      ? table(
          context,
          deadLetters.map((d) => ({ queue: d.queueName, messages: d.messages })),
        )
      : "  (none)",
  );
  context.out("");
  for (const line of businessMetrics
    ? businessMetricsLines(businessMetrics)
    : [cloudWatchMetricsLine(context.config.stage)])
    context.out(line);
}

function timeWindow(values: ParsedOptions): { from: Date; to: Date } {
  if (!values.from || !values.to)
    throw new CliError('replay needs --from <time> and --to <time> (ISO-8601, now, -2h, or "30m ago")', 2);
  try {
    const now = new Date();
    const from = parseTimeArgument(values.from, now, "--from");
    const to = parseTimeArgument(values.to, now, "--to");
    if (from >= to) throw new CliError(`--from (${from.toISOString()}) must be before --to (${to.toISOString()})`, 2);
    return { from, to };
  } catch (error) {
    if (error instanceof TimeArgumentError) throw new CliError(error.message, 2);
    throw error;
  }
}

async function replayCommand(context: CliContext, values: ParsedOptions): Promise<number> {
  const { from, to } = timeWindow(values);
  const { eventBridge } = createAwsClients({ region: context.config.region, endpoint: context.endpoint });
  const busName = context.config.eventBusName;
  const archiveName = values.archive ?? defaultResourceNames(context.config.stage).archiveName;
  let ruleArns: string[];
  try {
    ruleArns = await resolveRuleArns(eventBridge, busName, values.rule ?? []);
  } catch (error) {
    if (error instanceof UnknownRuleError) throw new CliError(error.message, 2);
    throw error;
  }
  const target = ruleArns.length ? `rules ${values.rule!.join(", ")}` : `every rule of ${busName}`;

  if (values["dry-run"]) {
    if (!context.endpoint) {
      throw new CliError(
        "AWS has no API that reads archived events, so --dry-run works against the local endpoint only; on AWS, DescribeArchive gives the event count",
      );
    }
    const items = await createLocalOperatorClient(context.endpoint).previewReplay({
      archiveName,
      start: from.toISOString(),
      end: to.toISOString(),
      ...(ruleArns.length ? { ruleArns } : {}),
    });
    const delivered = items.filter((item) => item.rules.length > 0);
    if (context.json) {
      context.out(
        JSON.stringify({
          archiveName,
          from: from.toISOString(),
          to: to.toISOString(),
          archived: items.length,
          wouldDeliver: delivered,
        }),
      );
      return 0;
    }
    context.out(
      `dry run: ${items.length} archived events between ${from.toISOString()} and ${to.toISOString()}; ${delivered.length} would reach ${target}`,
    );
    if (delivered.length)
      context.out(
        table(
          context,
          delivered.map((i) => ({
            time: i.time,
            event: i.detailType,
            order: i.orderId ?? "-",
            payment: i.paymentId ?? "-",
            rules: i.rules.join(" "),
          })),
        ),
      );
    return 0;
  }

  // Locally the preview says which events will reach which rules, so the summary can count them.
  const preview = context.endpoint
    ? (
        await createLocalOperatorClient(context.endpoint).previewReplay({
          archiveName,
          start: from.toISOString(),
          end: to.toISOString(),
          ...(ruleArns.length ? { ruleArns } : {}),
        })
      ).filter((item) => item.rules.length > 0)
    : undefined;
  const replayName = `payment3-${context.config.stage}-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, "")
    .slice(0, 14)}-${Math.random().toString(36).slice(2, 6)}`;
  const started = Date.now();
  await startArchiveReplay(eventBridge, { eventBusName: busName, archiveName, from, to, ruleArns, replayName });
  context.progress(
    `replaying ${archiveName} ${from.toISOString()} .. ${to.toISOString()} to ${target} as ${replayName}`,
  );
  const interactive = process.stderr.isTTY && !context.json;
  const ended = await waitForReplay(eventBridge, replayName, {
    pollMs: context.endpoint ? 200 : 2000,
    onProgress: (fraction, replay) => {
      if (interactive) process.stderr.write(`\r${progressBar(fraction)} ${replay.State}   `);
    },
  });
  if (interactive) process.stderr.write("\n");
  const completed = ended.State === "COMPLETED";
  const reachedRules = preview ? [...new Set(preview.flatMap((item) => item.rules))].sort() : undefined;
  const summary = {
    replayName,
    state: ended.State,
    stateReason: ended.StateReason ?? null,
    from: from.toISOString(),
    to: to.toISOString(),
    rules: values.rule ?? [],
    // Counted locally only: AWS has no API that says how many events a replay sent.
    eventsReplayed: preview && completed ? preview.length : null,
    rulesReached: reachedRules && completed ? reachedRules : null,
    lastReplayedEventTime: ended.EventLastReplayedTime?.toISOString() ?? null,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  if (context.json) context.out(JSON.stringify(summary));
  else if (!completed)
    context.out(
      `replay ${replayName} ${summary.state}${summary.stateReason ? ` (${summary.stateReason})` : ""} after ${summary.seconds} s; last event replayed: ${summary.lastReplayedEventTime ?? "none"}`,
    );
  else if (preview && reachedRules)
    context.out(
      `replayed ${plural(preview.length, "event")} to ${plural(reachedRules.length, "rule")}${reachedRules.length ? ` (${reachedRules.join(", ")})` : ""} in ${summary.seconds} s; replay ${replayName}`,
    );
  else
    context.out(
      `replay ${replayName} completed in ${summary.seconds} s: events up to ${summary.lastReplayedEventTime ?? "(none)"} replayed to ${target} (AWS does not count replayed events)`,
    );
  return completed ? 0 : 1;
}

async function dlqCommand(context: CliContext, action: string | undefined, values: ParsedOptions): Promise<number> {
  if (action !== "list" && action !== "show" && action !== "redrive")
    throw new CliError("usage: payment3 dlq list|show|redrive [--id <id>]... [--rule <name>]", 2);
  const rule = values.rule?.[0];
  if (context.endpoint) {
    const local = createLocalOperatorClient(context.endpoint);
    if (action === "show") {
      if (!values.id?.length) throw new CliError("usage: payment3 dlq show --id <id>", 2);
      for (const id of values.id)
        context.out(JSON.stringify(await local.deadLetter(id), null, context.json ? undefined : 2));
      return 0;
    }
    if (action === "list") {
      const letters = await local.deadLetters(rule);
      if (context.json) context.out(JSON.stringify(letters));
      else
        context.out(
          letters.length
            ? table(
                context,
                letters.map((l) => ({
                  id: l.id,
                  rule: l.ruleName,
                  target: l.targetId,
                  event: l.detailType,
                  order: l.orderId ?? "-",
                  payment: l.paymentId ?? "-",
                  error: l.error,
                })),
              )
            : "no dead letters",
        );
      return 0;
    }
    const report = await local.redrive({ ...(values.id ? { ids: values.id } : {}), ...(rule ? { rule } : {}) });
    if (context.json) context.out(JSON.stringify(report));
    else if (report.results.length === 0) context.out("no dead letters to redrive");
    else
      context.out(
        `redrove ${report.delivered} of ${plural(report.results.length, "dead letter")}${report.failed ? `; ${report.failed} failed again and stay dead-lettered` : ""}${report.results
          .filter((r) => r.status !== "delivered")
          .map((r) => `\n  ${r.deadLetterId}: ${r.status}${r.errorMessage ? ` (${r.errorMessage})` : ""}`)
          .join("")}`,
      );
    return report.failed === 0 ? 0 : 1;
  }
  const sqs = new SQSClient(clientOptions(context));
  const letters = (await listAwsDeadLetters(sqs, context.config.stage)).filter(
    (l) => (!rule || l.queueName.includes(`-${rule}-`)) && (!values.id || values.id.includes(l.messageId)),
  );
  if (action === "list" || action === "show") {
    if (context.json || action === "show")
      context.out(
        JSON.stringify(
          letters.map(({ receiptHandle: _r, ...letter }) => letter),
          null,
          context.json ? undefined : 2,
        ),
      );
    else
      context.out(
        letters.length
          ? table(
              context,
              letters.map((l) => ({
                id: l.messageId,
                queue: l.queueName,
                function: l.functionArn?.split(":").at(-1) ?? "-",
                error: l.error,
              })),
            )
          : "no dead letters",
      );
    return 0;
  }
  const results = await redriveAwsDeadLetters({ sqs, lambda: new LambdaClient(clientOptions(context)) }, letters);
  if (context.json) context.out(JSON.stringify(results));
  else if (results.length === 0) context.out("no dead letters to redrive");
  else {
    const redelivered = results.filter((r) => r.status === "redelivered").length;
    context.out(`redrove ${redelivered} of ${plural(results.length, "dead letter")}`);
    if (redelivered < results.length)
      context.out(
        table(
          context,
          results
            .filter((r) => r.status !== "redelivered")
            .map((r) => ({ id: r.messageId, queue: r.queueName, status: r.status, detail: r.detail })),
        ),
      );
  }
  return results.every((r) => r.status === "redelivered") ? 0 : 1;
}

/** The local dead letters counted per queue, in the order the queues first appear. */
function countByQueue(letters: readonly { readonly queue: string }[]): { queueName: string; messages: number }[] {
  const counts = new Map<string, number>();
  for (const letter of letters) counts.set(letter.queue, (counts.get(letter.queue) ?? 0) + 1);
  return [...counts].map(([queueName, messages]) => ({ queueName, messages }));
}
