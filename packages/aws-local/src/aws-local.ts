import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { startDynalite, type DynaliteServer } from "./dynamodb/dynalite-server";
import { createDynamoDbProxyService } from "./dynamodb/dynamodb-proxy";
import {
  createEventBridgeService,
  LocalEventBridge,
  PendingWork,
  type LocalEventBridgeOptions,
} from "./eventbridge/index";
import { startLocalEndpoint, type LocalEndpoint, type LocalService } from "./http/local-endpoint";
import { LocalAsyncInvocations, type LocalAsyncInvocationsOptions } from "./lambda/async-invocations";
import { createEventInvokeConfigService } from "./lambda/event-invoke-config-service";
import { createGetFunctionService, type LocalFunctionInfo } from "./lambda/get-function-service";
import { createLambdaInvokeService, type LocalFunction } from "./lambda/lambda-invoke-service";
import { createLambdaTargetInvoker } from "./lambda/lambda-target-invoker";
import { DEFAULT_LOCAL_REGION, LOCAL_ACCOUNT } from "./local-account";
import { startLocalSes, type LocalSes, type LocalSesOptions } from "./ses/index";
import { createLocalSns, type LocalSns } from "./sns/index";
import { createLocalStsService, localCallerIdentity } from "./sts/local-sts";

/** The services a caller may wrap (to inject faults, say) before the endpoint serves them. */
export interface AwsLocalServiceWrappers {
  readonly dynamoDb?: (service: LocalService) => LocalService;
  readonly ses?: (ses: LocalSes) => LocalService;
  readonly sns?: (sns: LocalSns) => LocalService;
}

export interface AwsLocalOptions {
  /**
   * The region ARNs name (buses, rules, functions, topics, tables) when a request does not say it in its SigV4
   * scope. Default `ap-southeast-1`, or `eventBridge.region` when that is given.
   */
  readonly region?: string;
  readonly host?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Where dynalite keeps its data; in memory when absent. */
  readonly dynamoDbPath?: string;
  /** Where dynalite runs: `worker` (the default, a second core) or `main` (this thread). See {@link startDynalite}. */
  readonly dynamoDbThread?: "worker" | "main";
  readonly eventBridge?: LocalEventBridgeOptions;
  /** SES settings; `sentEmailsFile` keeps sent emails between runs (in memory when absent). */
  readonly ses?: LocalSesOptions;
  /** In-process functions for Lambda Invoke and rule targets, by name. */
  readonly functions?: ReadonlyMap<string, LocalFunction>;
  /**
   * Asynchronous invocations (`InvocationType: Event`, and every rule target): retry delays, clock (default: the
   * bus's), where kept failures live, where discarded ones are logged, invoke faults.
   */
  readonly lambdaAsync?: Omit<LocalAsyncInvocationsOptions, "region" | "pending">;
  readonly maxBodyBytes?: number;
  readonly wrap?: AwsLocalServiceWrappers;
  /** Services of the caller's own, served after the AWS ones (an admin API, pages). */
  readonly extraServices?: (
    eventBridge: LocalEventBridge,
    lambdaAsync: LocalAsyncInvocations,
  ) => readonly LocalService[];
}

export interface AwsLocal {
  /** The one endpoint for every service, e.g. http://127.0.0.1:4566. */
  readonly url: string;
  readonly endpoint: LocalEndpoint;
  readonly eventBridge: LocalEventBridge;
  readonly dynalite: DynaliteServer;
  /** SES (aws-ses-v2-local behind the endpoint): sent mail, the mail page, fault hooks. */
  readonly ses: LocalSes;
  /** SNS Publish and topics: published messages, fault hooks. */
  readonly sns: LocalSns;
  /** The SES mail page through the shared endpoint. */
  readonly mailPageUrl: string;
  /** Functions served by Lambda Invoke and rule targets; tests may replace one to inject a fault. */
  readonly functions: Map<string, LocalFunction>;
  /** The functions' asynchronous invocations: event-invoke configs and the failures their on-failure destinations hold. */
  readonly lambdaAsync: LocalAsyncInvocations;
  /** What GetFunction answers about a function besides its name (description, tags), by name. */
  readonly functionInfo: Map<string, LocalFunctionInfo>;
  /** A raw DynamoDB client on the endpoint, for set-up. */
  readonly dynamoDb: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts DynamoDB (dynalite), EventBridge, Lambda Invoke, SES (aws-ses-v2-local), SNS and STS
 * GetCallerIdentity offline, behind one HTTP endpoint. The unmodified SDK clients and the AWS CLI
 * reach all of them with `endpoint: awsLocal.url`.
 */
export async function startAwsLocal(options: AwsLocalOptions = {}): Promise<AwsLocal> {
  const dynalite = await startDynalite({
    ...(options.dynamoDbPath ? { path: options.dynamoDbPath } : {}),
    ...(options.dynamoDbThread ? { thread: options.dynamoDbThread } : {}),
  });
  const region = options.region ?? options.eventBridge?.region ?? DEFAULT_LOCAL_REGION;
  // `sts get-caller-identity` names the account the bus writes in its ARNs.
  const account = options.eventBridge?.account ?? LOCAL_ACCOUNT;
  const sns = createLocalSns({ region });
  const functions = new Map<string, LocalFunction>(options.functions ?? []);
  // One count of work in flight for the bus and Lambda: the bus's whenIdle also waits for the functions' runs and
  // retries, since a Lambda target's delivery ends when Lambda queued the event. One clock for both, too.
  const pendingWork = new PendingWork();
  const lambdaAsync = new LocalAsyncInvocations(functions, {
    region,
    pending: pendingWork,
    ...(options.eventBridge?.clock ? { clock: options.eventBridge.clock } : {}),
    ...options.lambdaAsync,
  });
  const functionInfo = new Map<string, LocalFunctionInfo>();
  // Rule targets reach the same in-process functions as Lambda Invoke, asynchronously as on AWS, unless told otherwise.
  const eventBridge: LocalEventBridge = new LocalEventBridge({
    region,
    pendingWork,
    targetInvoker: createLambdaTargetInvoker({ asyncInvocations: lambdaAsync, logger: () => eventBridge.logger }),
    ...options.eventBridge,
  });
  // SES publishes the email events of sends through a configuration set to this EventBridge's default bus.
  let ses: LocalSes;
  try {
    ses = await startLocalSes({
      region,
      account,
      ...(options.eventBridge?.clock ? { clock: options.eventBridge.clock } : {}),
      ...options.ses,
      emailEventSink: (eventBusArn, event) =>
        eventBridge.acceptServiceEvent({
          eventBusName: eventBusArn,
          source: "aws.ses",
          detailType: event.detailType,
          detail: event.detail,
          resources: [],
          time: event.time,
        }),
    });
  } catch (error) {
    await lambdaAsync.close();
    eventBridge.close();
    await Promise.all([dynalite.close(), sns.close()]);
    throw error;
  }
  const wrap = options.wrap ?? {};
  let endpoint: LocalEndpoint;
  try {
    endpoint = await startLocalEndpoint({
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0,
      services: [
        createEventBridgeService(eventBridge),
        (wrap.dynamoDb ?? ((service) => service))(createDynamoDbProxyService(dynalite, { region })),
        createLambdaInvokeService(functions, { region, asyncInvocations: lambdaAsync }),
        createEventInvokeConfigService(functions, lambdaAsync, { region }),
        createGetFunctionService(functions, functionInfo, { region }),
        // SES and SNS share the form-encoded Query protocol; they route by SigV4 signing service.
        wrap.ses ? wrap.ses(ses) : ses.service,
        wrap.sns ? wrap.sns(sns) : sns.service,
        createLocalStsService(localCallerIdentity(account)),
        // After SES: its mail page lives under /_local/ses/.
        ...(options.extraServices?.(eventBridge, lambdaAsync) ?? []),
      ],
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      served: [
        "DynamoDB (dynalite: tables and items, no transactions or PartiQL)",
        "EventBridge",
        "Lambda Invoke",
        "SES (v1 and v2)",
        "SNS (topics and Publish)",
        "STS GetCallerIdentity",
      ],
    });
  } catch (error) {
    await lambdaAsync.close();
    eventBridge.close();
    await Promise.all([dynalite.close(), ses.close(), sns.close()]);
    throw error;
  }
  const dynamoDb = new DynamoDBClient({
    endpoint: endpoint.url,
    region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  return {
    url: endpoint.url,
    endpoint,
    eventBridge,
    dynalite,
    ses,
    sns,
    mailPageUrl: ses.mailPageUrl(endpoint.url),
    functions,
    lambdaAsync,
    functionInfo,
    dynamoDb,
    async close() {
      dynamoDb.destroy();
      await lambdaAsync.close();
      await ses.emailEventsSettled();
      await eventBridge.whenIdle().catch(() => undefined);
      eventBridge.close();
      await endpoint.close();
      await Promise.all([dynalite.close(), ses.close(), sns.close()]);
    },
  };
}
