import {
  DescribeTableCommand,
  GetItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { GetFunctionCommand, InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { GetIdentityVerificationAttributesCommand, GetSendQuotaCommand, type SESClient } from "@aws-sdk/client-ses";
import {
  describeError,
  legacyInvokeResourceNames,
  ORDER_TABLE_KEYS,
  PAYMENT_HEADER_ATTRIBUTE,
  processPaidOrderTableKeys,
  type Config,
  type TableKeySchema,
} from "@payment3/core";

/** ok: nothing to do; warning: look at it; blocker: the deploy or the cut-over must wait for it. */
export type CheckStatus = "ok" | "warning" | "blocker";

/** One line of the checklist: what was checked, what was found and, unless ok, what to do. */
export interface PreflightCheck {
  readonly name: string;
  readonly status: CheckStatus;
  readonly found: string;
  readonly fix?: string;
}

/** What the stage is about to be deployed with: the same settings `sst deploy` reads. */
export interface PreflightTarget {
  readonly config: Pick<
    Config,
    | "stage"
    | "region"
    | "orderTableName"
    | "auditLogTableName"
    | "auditCreatedAtFormat"
    | "calculateCostFunction"
    | "senderEmail"
  >;
  /** `LEGACY_INVOKE_ADAPTER=on`: the adapter is to take the legacy function's name. */
  readonly legacyInvokeAdapter: boolean;
  /** `ADOPT_PROCESS_PAID_ORDER_TABLE`. */
  readonly adoptedProcessPaidOrderTableName: string | undefined;
  readonly opsAlarmEmail: string | undefined;
  /** `OPS_ALARM_TOPIC_ARN`: an existing topic every alarm also notifies (enough on its own). */
  readonly opsAlarmTopicArn?: string | undefined;
  /** Orders whose `payment` to check (`--order-id`); otherwise a scan of `sampleSize` orders. */
  readonly orderIds?: readonly string[];
  readonly sampleSize?: number;
  /** A production stage needs a real sender and an alarm address; elsewhere their absence is a warning. */
  readonly production: boolean;
}

export interface PreflightClients {
  readonly dynamoDb: DynamoDBClient;
  readonly lambda: LambdaClient;
  readonly ses: SESClient;
}

/** SES's daily quota in the sandbox: an account still at it has no production access. */
const SANDBOX_DAILY_QUOTA = 200;

/** The sender address the config falls back to: fine locally, never for customers. */
export const PLACEHOLDER_SENDER = "payments@payment3.example";
const DEFAULT_SAMPLE_SIZE = 25;

/**
 * Checks the target account before a deploy or a cut-over, read-only: the shared order table
 * and the shape of its payment headers, the ProcessPaidOrderTable against the adopt and
 * created_at settings, calculate-cost (a DryRun invocation), the legacy function's name, the
 * SES sender identity and sandbox, and the settings a production stage needs. Every answer is
 * a check; no call throws out of here.
 */
export async function runPreflight(target: PreflightTarget, clients: PreflightClients): Promise<PreflightCheck[]> {
  return [
    ...(await checkOrderTable(target, clients)),
    await checkProcessPaidOrderTable(target, clients),
    await checkCalculateCost(target, clients),
    await checkLegacyFunctionName(target, clients),
    ...checkProductionSettings(target),
    await checkSenderIdentity(target, clients),
    await checkSesSandbox(target, clients),
  ];
}

/** True when some check must be fixed first (the command then exits non-zero). */
export function hasBlocker(checks: readonly PreflightCheck[]): boolean {
  return checks.some((check) => check.status === "blocker");
}

async function describeTable(dynamoDb: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/** `orderId (S)`, `orderId (S) + created_at (N)`: a table's key as this project writes it. */
function keyText(keys: TableKeySchema): string {
  return [keys.partitionKey, keys.sortKey].flatMap((key) => (key ? [`${key.name} (${key.type})`] : [])).join(" + ");
}

/** The table's actual key in the same form, read from DescribeTable. */
function actualKeyText(table: TableDescription): string {
  const typeOf = (name: string) =>
    table.AttributeDefinitions?.find((definition) => definition.AttributeName === name)?.AttributeType ?? "?";
  const ordered = [...(table.KeySchema ?? [])].sort((a, b) =>
    a.KeyType === "HASH" ? -1 : b.KeyType === "HASH" ? 1 : 0,
  );
  return ordered.map((key) => `${key.AttributeName} (${typeOf(key.AttributeName!)})`).join(" + ");
}

async function checkOrderTable(target: PreflightTarget, { dynamoDb }: PreflightClients): Promise<PreflightCheck[]> {
  const name = "order table";
  const tableName = target.config.orderTableName;
  let table: TableDescription | undefined;
  try {
    table = await describeTable(dynamoDb, tableName);
  } catch (error) {
    return [
      {
        name,
        status: "blocker",
        found: `${tableName} could not be described: ${describeError(error)}`,
        fix: "run preflight with credentials that may call dynamodb:DescribeTable on it",
      },
    ];
  }
  if (!table) {
    return [
      {
        name,
        status: "blocker",
        found: `${tableName} does not exist`,
        fix: "set ORDER_TABLE_NAME to the table the order service writes (the legacy function reads order-table-dev)",
      },
    ];
  }
  const expected = keyText(ORDER_TABLE_KEYS);
  const actual = actualKeyText(table);
  if (actual !== expected) {
    return [
      {
        name,
        status: "blocker",
        found: `${tableName}'s key is ${actual}, not ${expected}`,
        fix: "ORDER_TABLE_NAME must name the order service's table, keyed by orderId (a string)",
      },
    ];
  }
  return [{ name, status: "ok", found: `${tableName}, key ${actual}` }, await checkPaymentHeaders(target, dynamoDb)];
}

/** Why a stored `payment` attribute cannot be read as a payment header, or undefined when it can. */
function paymentHeaderProblem(payment: AttributeValue): string | undefined {
  if (!payment.M) return `is not a map (${Object.keys(payment)[0] ?? "?"})`;
  const isPaid = payment.M.isPaid;
  if (isPaid !== undefined && isPaid.BOOL === undefined)
    return `has isPaid of type ${Object.keys(isPaid)[0] ?? "?"}, not a boolean`;
  const paymentId = payment.M.paymentId;
  if (paymentId !== undefined && paymentId.S === undefined && paymentId.NULL === undefined)
    return `has paymentId of type ${Object.keys(paymentId)[0] ?? "?"}, not a string`;
  return undefined;
}

async function checkPaymentHeaders(target: PreflightTarget, dynamoDb: DynamoDBClient): Promise<PreflightCheck> {
  const name = "payment headers";
  const tableName = target.config.orderTableName;
  let items: Record<string, AttributeValue>[];
  try {
    items = target.orderIds?.length
      ? (
          await Promise.all(
            target.orderIds.map((orderId) =>
              dynamoDb.send(new GetItemCommand({ TableName: tableName, Key: { orderId: { S: orderId } } })),
            ),
          )
        ).flatMap((answer) => (answer.Item ? [answer.Item] : []))
      : ((
          await dynamoDb.send(
            new ScanCommand({ TableName: tableName, Limit: target.sampleSize ?? DEFAULT_SAMPLE_SIZE }),
          )
        ).Items ?? []);
  } catch (error) {
    return {
      name,
      status: "blocker",
      found: `orders of ${tableName} could not be read: ${describeError(error)}`,
      fix: "run preflight with credentials that may read the table (dynamodb:Scan / GetItem)",
    };
  }
  const missing = (target.orderIds ?? []).filter((orderId) => !items.some((item) => item.orderId?.S === orderId));
  const withHeader = items.filter((item) => item[PAYMENT_HEADER_ATTRIBUTE] !== undefined);
  const problems = withHeader.flatMap((item) => {
    const problem = paymentHeaderProblem(item[PAYMENT_HEADER_ATTRIBUTE]!);
    return problem ? [`order ${item.orderId?.S ?? "?"}: ${PAYMENT_HEADER_ATTRIBUTE} ${problem}`] : [];
  });
  const sampled = `${items.length} order${items.length === 1 ? "" : "s"} read, ${withHeader.length} with a ${PAYMENT_HEADER_ATTRIBUTE} header`;
  if (problems.length > 0) {
    return {
      name,
      status: "blocker",
      found: `${sampled}; ${problems.join("; ")}`,
      fix: `every flow must write ${PAYMENT_HEADER_ATTRIBUTE} as a map with a boolean isPaid (see docs/legacy-contract.md); fix these orders or the flow that wrote them`,
    };
  }
  if (missing.length > 0)
    return {
      name,
      status: "warning",
      found: `${sampled}; no order ${missing.join(", ")}`,
      fix: "check the --order-id values",
    };
  return { name, status: "ok", found: `${sampled}, all of the shape payment3 reads` };
}

async function checkProcessPaidOrderTable(
  target: PreflightTarget,
  { dynamoDb }: PreflightClients,
): Promise<PreflightCheck> {
  const name = "ProcessPaidOrderTable";
  const adopted = target.adoptedProcessPaidOrderTableName;
  const tableName = adopted ?? target.config.auditLogTableName;
  let table: TableDescription | undefined;
  try {
    table = await describeTable(dynamoDb, tableName);
  } catch (error) {
    return {
      name,
      status: "blocker",
      found: `${tableName} could not be described: ${describeError(error)}`,
      fix: "run preflight with credentials that may call dynamodb:DescribeTable",
    };
  }
  if (!table) {
    return adopted
      ? {
          name,
          status: "blocker",
          found: `ADOPT_PROCESS_PAID_ORDER_TABLE names ${adopted}, which does not exist`,
          fix: "set it to the legacy deployment's ProcessPaidOrderTable, or unset it to have the stack create one",
        }
      : { name, status: "ok", found: `${tableName} does not exist yet: the stack creates it` };
  }
  const expected = keyText(processPaidOrderTableKeys(target.config.auditCreatedAtFormat));
  const actual = actualKeyText(table);
  if (actual !== expected) {
    return {
      name,
      status: "blocker",
      found: `${tableName}'s key is ${actual}; AUDIT_CREATED_AT_FORMAT=${target.config.auditCreatedAtFormat} writes ${expected}`,
      fix: "set AUDIT_CREATED_AT_FORMAT to the format the table's created_at holds (epoch-millis or epoch-seconds for N, iso-8601 for S)",
    };
  }
  if (!adopted) {
    return {
      name,
      status: "warning",
      found: `${tableName} exists, key ${actual}`,
      fix: `if this stage's stack created it (a redeploy), nothing to do; otherwise the deploy fails creating it: set ADOPT_PROCESS_PAID_ORDER_TABLE=${tableName}`,
    };
  }
  return { name, status: "ok", found: `${tableName} exists and is adopted, key ${actual}` };
}

async function checkCalculateCost(target: PreflightTarget, { lambda }: PreflightClients): Promise<PreflightCheck> {
  const name = "calculate-cost";
  const functionName = target.config.calculateCostFunction;
  try {
    // DryRun: checks the function and the permission to invoke it, and runs nothing.
    await lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: "DryRun" }));
    return { name, status: "ok", found: `${functionName} can be invoked (DryRun)` };
  } catch (error) {
    return {
      name,
      status: "blocker",
      found: `${functionName} cannot be invoked: ${describeError(error)}`,
      fix: "set CALCULATE_COST_FUNCTION to the function's name or ARN, in this account and region (or give it a resource policy for the processor)",
    };
  }
}

async function checkLegacyFunctionName(target: PreflightTarget, { lambda }: PreflightClients): Promise<PreflightCheck> {
  const name = "legacy function name";
  const names = legacyInvokeResourceNames(target.config.stage);
  let tags: Record<string, string> | undefined;
  try {
    tags = (await lambda.send(new GetFunctionCommand({ FunctionName: names.functionName }))).Tags ?? {};
  } catch (error) {
    if ((error as { name?: string }).name !== "ResourceNotFoundException") {
      return {
        name,
        status: "blocker",
        found: `${names.functionName} could not be looked up: ${describeError(error)}`,
        fix: "run preflight with credentials that may call lambda:GetFunction",
      };
    }
  }
  if (tags === undefined) {
    return target.legacyInvokeAdapter
      ? { name, status: "ok", found: `no function named ${names.functionName}: the adapter takes the name` }
      : {
          name,
          status: "warning",
          found: `no function named ${names.functionName}`,
          fix: "callbacks that still invoke it fail: deploy with LEGACY_INVOKE_ADAPTER=on, or switch them to publishWalletPaymentConfirmed",
        };
  }
  if (tags[names.tag.key] === names.tag.value)
    return { name, status: "ok", found: `${names.functionName} is the legacy invoke adapter` };
  const callers =
    "its callers are not listed by Lambda: look for Invoke calls on it in CloudTrail, or its Invocations metric";
  return target.legacyInvokeAdapter
    ? {
        name,
        status: "blocker",
        found: `${names.functionName} exists and is not the adapter (the legacy function); ${callers}`,
        fix: `remove it before deploying with LEGACY_INVOKE_ADAPTER=on (aws lambda delete-function --function-name ${names.functionName}); callbacks invoking it fail until the deploy ends, so do both in one window. Or deploy with the adapter off first`,
      }
    : {
        name,
        status: "ok",
        found: `${names.functionName} is the legacy function, left in place (LEGACY_INVOKE_ADAPTER off); ${callers}`,
      };
}

function checkProductionSettings(target: PreflightTarget): PreflightCheck[] {
  const missing: CheckStatus = target.production ? "blocker" : "warning";
  const sender: PreflightCheck =
    target.config.senderEmail === PLACEHOLDER_SENDER
      ? {
          name: "SENDER_EMAIL",
          status: missing,
          found: `unset: customer emails would come from ${PLACEHOLDER_SENDER}`,
          fix: "set SENDER_EMAIL to an address (or domain) verified in SES in the stage's region",
        }
      : { name: "SENDER_EMAIL", status: "ok", found: target.config.senderEmail };
  const alarmDestination = target.opsAlarmEmail ?? target.opsAlarmTopicArn;
  const alarms: PreflightCheck = alarmDestination
    ? { name: "OPS_ALARM_EMAIL", status: "ok", found: alarmDestination }
    : {
        name: "OPS_ALARM_EMAIL",
        status: missing,
        found: "unset, and no OPS_ALARM_TOPIC_ARN: alarms reach nobody",
        fix: "set OPS_ALARM_EMAIL to the on-call address (it must confirm the subscription), or OPS_ALARM_TOPIC_ARN to an existing on-call topic",
      };
  return [sender, alarms];
}

async function checkSenderIdentity(target: PreflightTarget, { ses }: PreflightClients): Promise<PreflightCheck> {
  const name = "SES sender identity";
  const sender = target.config.senderEmail;
  const domain = sender.slice(sender.lastIndexOf("@") + 1);
  try {
    const answer = await ses.send(new GetIdentityVerificationAttributesCommand({ Identities: [sender, domain] }));
    const status = (identity: string) => answer.VerificationAttributes?.[identity]?.VerificationStatus;
    const verified = [sender, domain].find((identity) => status(identity) === "Success");
    if (verified) return { name, status: "ok", found: `${verified} is verified in ${target.config.region}` };
    return {
      name,
      status: "blocker",
      found: `neither ${sender} nor ${domain} is verified in ${target.config.region} (${status(sender) ?? "unknown"} / ${status(domain) ?? "unknown"})`,
      fix: `verify one in SES in ${target.config.region} (aws ses verify-email-identity --email-address ${sender}, or the domain), or set SENDER_EMAIL to a verified address`,
    };
  } catch (error) {
    return {
      name,
      status: "blocker",
      found: `SES could not be asked: ${describeError(error)}`,
      fix: "run preflight with credentials that may call ses:GetIdentityVerificationAttributes",
    };
  }
}

async function checkSesSandbox(target: PreflightTarget, { ses }: PreflightClients): Promise<PreflightCheck> {
  const name = "SES sandbox";
  try {
    const quota = await ses.send(new GetSendQuotaCommand({}));
    if ((quota.Max24HourSend ?? 0) > SANDBOX_DAILY_QUOTA)
      return { name, status: "ok", found: `production access (${quota.Max24HourSend} emails a day)` };
    return {
      name,
      status: target.production ? "blocker" : "warning",
      found: `the account is in the SES sandbox (${quota.Max24HourSend ?? 0} emails a day): mail reaches verified recipients only`,
      fix: "request production access for SES in this region (SES console, Account dashboard)",
    };
  } catch (error) {
    return {
      name,
      status: "warning",
      found: `SES could not be asked: ${describeError(error)}`,
      fix: "run preflight with credentials that may call ses:GetSendQuota",
    };
  }
}
