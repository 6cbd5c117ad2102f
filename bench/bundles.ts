import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Metafile } from "esbuild";
import { FUNCTION_ESBUILD_OVERRIDES } from "../stacks/function-bundling";
import { DEPLOYED_FUNCTIONS } from "./deployed-functions";
import { roundTo } from "./statistics";

export type SdkPackaging = "bundled" | "external";

/** One esbuild output: a function's handler or its bare counterpart. */
export interface BuiltBundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output per npm package (or `our code`), largest first. */
  readonly byPackage: readonly { readonly name: string; readonly bytes: number }[];
  /** `our code` by source file, relative to the repository (`packages/core/src/config/config.ts`), largest first. */
  readonly ourCodeByFile: readonly { readonly name: string; readonly bytes: number }[];
}

export interface FunctionBundles {
  readonly name: string;
  /** `as built`: a function of the registry; `diagnostic`: one part of the functions bundled alone. */
  readonly variant: "as built" | "diagnostic";
  /** The handler as the registry names it (SST path.export); for a diagnostic, what it imports. */
  readonly handler: string;
  /** The SDK client packages the function's bundle contains; the bare handler imports the same. */
  readonly sdkClients: readonly string[];
  readonly sdk: SdkPackaging;
  readonly bundle: BuiltBundle;
  readonly bare: BuiltBundle;
  readonly ratio: number;
  /** Every package the bundle has more of than the bare handler, largest first. */
  readonly extraByPackage: readonly { readonly name: string; readonly bytes: number }[];
}

export interface BundleSizeResult {
  /** esbuild options, as the stacks bundle (SST v2 `nodejs: { format: "esm", minify: true }`). */
  readonly esbuild: string;
  readonly goalRatio: number;
  readonly functions: readonly FunctionBundles[];
  /**
   * Parts of the functions bundled alone (SDK bundled), each against a bare module with the
   * same SDK clients (none: an empty module): the event contracts (zod/mini), the Powertools
   * Logger, the Thai baht formatter (built at import here; the email templates build it on
   * first use until issue 19; `formatBaht` now writes the format without it). How much of a function's extra size and import time each
   * part is. Cold-started, not judged.
   */
  readonly diagnostics: readonly FunctionBundles[];
  /** The goal is judged on the SDK-bundled bundles, which are what the stacks deploy. */
  readonly met: boolean;
}

export const BUNDLE_GOAL_RATIO = 1.2;

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Each SDK client package and how a handler builds its client once per cold start. */
const SDK_CLIENTS: Readonly<Record<string, { readonly imports: string; readonly construct: string }>> = {
  "@aws-sdk/client-dynamodb": {
    imports: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";`,
    construct: "new DynamoDBClient({})",
  },
  "@aws-sdk/lib-dynamodb": {
    imports: `import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";`,
    construct: "DynamoDBDocumentClient.from(new DynamoDBClient({}))",
  },
  "@aws-sdk/client-eventbridge": {
    imports: `import { EventBridgeClient } from "@aws-sdk/client-eventbridge";`,
    construct: "new EventBridgeClient({})",
  },
  "@aws-sdk/client-lambda": {
    imports: `import { LambdaClient } from "@aws-sdk/client-lambda";`,
    construct: "new LambdaClient({})",
  },
  "@aws-sdk/client-ses": {
    imports: `import { SESClient } from "@aws-sdk/client-ses";`,
    construct: "new SESClient({})",
  },
  "@aws-sdk/client-sns": {
    imports: `import { SNSClient } from "@aws-sdk/client-sns";`,
    construct: "new SNSClient({})",
  },
};

/**
 * What SST v2 gives esbuild for `nodejs: { format: "esm", minify: true }`, with target node24 (the functions' runtime,
 * stacks/subscription-resources.ts), and the stacks' own `nodejs.esbuild` overrides (stacks/function-bundling.ts).
 */
export function esbuildOptions(sdk: SdkPackaging, outfile: string): BuildOptions {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    minify: true,
    keepNames: true,
    mainFields: ["module", "main"],
    banner: {
      js: "import { createRequire as topLevelCreateRequire } from 'module';\nconst require = topLevelCreateRequire(import.meta.url);",
    },
    external: sdk === "external" ? ["@aws-sdk/*"] : [],
    metafile: true,
    outfile,
    logLevel: "silent",
    ...FUNCTION_ESBUILD_OVERRIDES,
  };
}

/** `@scope/name` or `name` of a node_modules path; `our code` for the repository's own sources. */
function packageOf(inputPath: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  return match ? match[1]! : "our code";
}

/** A source of the repository relative to its root (`events/src/envelope.ts`); `(generated)` for a bundle's stdin. */
function sourceFileOf(inputPath: string): string {
  const match = /(?:^|\/)((?:events|packages\/[^/]+)\/src\/.*|bench\/[^/]+)$/.exec(inputPath);
  return match ? match[1]! : "(generated)";
}

const sortedBytes = (sizes: Map<string, number>) =>
  [...sizes].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);

function describeOutput(file: string, metafile: Metafile): BuiltBundle {
  const output = Object.values(metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  const ourCode = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const name = packageOf(path);
    byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    if (name === "our code" && input.bytesInOutput > 0)
      ourCode.set(sourceFileOf(path), (ourCode.get(sourceFileOf(path)) ?? 0) + input.bytesInOutput);
  }
  return {
    file,
    bytes: output.bytes,
    gzipBytes: gzipSync(readFileSync(file)).byteLength,
    byPackage: sortedBytes(byPackage),
    ourCodeByFile: sortedBytes(ourCode),
  };
}

async function buildEntry(entry: string, sdk: SdkPackaging, outfile: string): Promise<BuiltBundle> {
  const result = await build({ ...esbuildOptions(sdk, outfile), entryPoints: [entry] });
  return describeOutput(outfile, result.metafile!);
}

async function buildBare(sdkClients: readonly string[], sdk: SdkPackaging, outfile: string): Promise<BuiltBundle> {
  const clients = sdkClients.map((name) => SDK_CLIENTS[name]!);
  const needsDynamoDb =
    sdkClients.includes("@aws-sdk/lib-dynamodb") && !sdkClients.includes("@aws-sdk/client-dynamodb");
  const contents = [
    ...(needsDynamoDb ? [SDK_CLIENTS["@aws-sdk/client-dynamodb"]!.imports] : []),
    ...clients.map((client) => client.imports),
    `const clients = [${clients.map((client) => client.construct).join(", ")}];`,
    "/** Does nothing: the bare handler that only imports and builds the same SDK clients. */",
    "export const handler = async () => clients.length;",
  ].join("\n");
  const result = await build({
    ...esbuildOptions(sdk, outfile),
    stdin: { contents, resolveDir: ROOT, sourcefile: "bare-handler.mjs", loader: "js" },
  });
  return describeOutput(outfile, result.metafile!);
}

/** Bundles `contents` (an ES module resolved from the repository root) as the functions are bundled. */
async function buildSource(contents: string, sourcefile: string, outfile: string): Promise<BuiltBundle> {
  const result = await build({
    ...esbuildOptions("bundled", outfile),
    stdin: { contents, resolveDir: ROOT, sourcefile, loader: "ts" },
  });
  return describeOutput(outfile, result.metafile!);
}

/** The module that builds the Thai baht formatter when it is imported (the email templates). */
export const BAHT_FORMATTER_SOURCE = "packages/core/src/notify/email-templates.ts";

/** The parts of the functions measured alone: what each imports and builds in module scope, as the handlers do. */
const DIAGNOSTIC_PARTS: readonly { readonly name: string; readonly imports: string; readonly contents: string }[] = [
  {
    name: "event contracts",
    imports: "@payment3/events: the three contracts (zod/mini)",
    contents: [
      'import { OrderPaidContract, OrderPaymentFailedContract, WalletPaymentConfirmedContract } from "@payment3/events";',
      "export const contracts = [WalletPaymentConfirmedContract, OrderPaidContract, OrderPaymentFailedContract];",
    ].join("\n"),
  },
  {
    name: "Powertools Logger",
    imports: "@aws-lambda-powertools/logger: one Logger, as each handler builds it",
    contents: [
      'import { Logger } from "@aws-lambda-powertools/logger";',
      'export const logger = new Logger({ serviceName: "payment3-bench" });',
    ].join("\n"),
  },
  {
    name: "Thai baht formatter",
    imports: `Intl.NumberFormat("th-TH", currency THB), built at import (what ${BAHT_FORMATTER_SOURCE} no longer builds: formatBaht writes the format itself)`,
    contents: 'export const baht = new Intl.NumberFormat("th-TH", { style: "currency", currency: "THB" });',
  },
];

function compareToBare(
  name: string,
  variant: FunctionBundles["variant"],
  handler: string,
  sdkClients: readonly string[],
  sdk: SdkPackaging,
  built: BuiltBundle,
  bare: BuiltBundle,
): FunctionBundles {
  const bareBytes = new Map(bare.byPackage.map((p) => [p.name, p.bytes]));
  return {
    name,
    variant,
    handler,
    sdkClients,
    sdk,
    bundle: built,
    bare,
    ratio: roundTo(built.bytes / bare.bytes, 3),
    extraByPackage: built.byPackage
      .map((p) => ({ name: p.name, bytes: p.bytes - (bareBytes.get(p.name) ?? 0) }))
      .filter((p) => p.bytes > 0)
      .sort((a, b) => b.bytes - a.bytes),
  };
}

/** The SDK client packages a bundle contains. */
const sdkClientsIn = (bundle: BuiltBundle) =>
  Object.keys(SDK_CLIENTS).filter((name) => bundle.byPackage.some((p) => p.name === name));

function handlerFile(handler: string): string {
  return join(ROOT, `${handler.slice(0, handler.lastIndexOf("."))}.ts`);
}

/**
 * Bundles each function the stacks deploy ({@link DEPLOYED_FUNCTIONS}) as the stacks do (SDK bundled, as deployed, and SDK
 * external, as the Lambda runtime could provide it) next to a bare handler importing the same
 * SDK clients, into `outputDirectory`.
 */
export async function measureBundleSizes(
  outputDirectory: string,
  log: (message: string) => void,
): Promise<BundleSizeResult> {
  const functions: FunctionBundles[] = [];
  for (const fn of DEPLOYED_FUNCTIONS) {
    log(`bundles: ${fn.name}`);
    const entry = handlerFile(fn.handler);
    let sdkClients: string[] = [];
    for (const sdk of ["bundled", "external"] as const) {
      const bundle = await buildEntry(entry, sdk, join(outputDirectory, `${fn.name}.${sdk}.mjs`));
      if (sdk === "bundled") sdkClients = sdkClientsIn(bundle);
      const bare = await buildBare(sdkClients, sdk, join(outputDirectory, `${fn.name}.bare.${sdk}.mjs`));
      functions.push(compareToBare(fn.name, "as built", fn.handler, sdkClients, sdk, bundle, bare));
    }
  }
  const diagnostics: FunctionBundles[] = [];
  for (const [index, part] of DIAGNOSTIC_PARTS.entries()) {
    log(`bundles: ${part.name} alone (diagnostic)`);
    const built = await buildSource(part.contents, `part-${index}.ts`, join(outputDirectory, `part-${index}.mjs`));
    const sdkClients = sdkClientsIn(built);
    // No SDK client: the bare module builds none, so it is an empty module.
    const bare = await buildBare(sdkClients, "bundled", join(outputDirectory, `part-${index}.bare.mjs`));
    diagnostics.push(compareToBare(part.name, "diagnostic", part.imports, sdkClients, "bundled", built, bare));
  }
  return {
    esbuild:
      "bundle, platform node, format esm, target node24, minify, keepNames, mainFields module,main, createRequire banner (SST v2 ESM defaults), charset utf8 (the stacks' override); no source map",
    goalRatio: BUNDLE_GOAL_RATIO,
    functions,
    diagnostics,
    met: functions.filter((f) => f.sdk === "bundled").every((f) => f.ratio <= BUNDLE_GOAL_RATIO),
  };
}
