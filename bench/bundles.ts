import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type BuildOptions, type Metafile, type Plugin } from "esbuild";
import { SUBSCRIPTIONS } from "@payment3/functions";
import { roundTo } from "./statistics";

export type SdkPackaging = "bundled" | "external";

/** One esbuild output: a function's handler or its bare counterpart. */
export interface BuiltBundle {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Bytes in the output per npm package (or `our code`), largest first. */
  readonly byPackage: readonly { readonly name: string; readonly bytes: number }[];
}

export interface FunctionBundles {
  readonly name: string;
  /** `as built`; a what-if that changes one thing at build time; or a diagnostic bundle of one part of the functions. */
  readonly variant: "as built" | "zod namespace import (what-if)" | "diagnostic";
  /** The handler as the registry names it (SST path.export). */
  readonly handler: string;
  /** The SDK client packages the function's bundle contains; the bare handler imports the same. */
  readonly sdkClients: readonly string[];
  readonly sdk: SdkPackaging;
  readonly bundle: BuiltBundle;
  readonly bare: BuiltBundle;
  readonly ratio: number;
  /** The packages that make up most of the difference to the bare handler, largest first. */
  readonly extraByPackage: readonly { readonly name: string; readonly bytes: number }[];
}

export interface BundleSizeResult {
  /** esbuild options, as the stacks bundle (SST v2 `nodejs: { format: "esm", minify: true }`). */
  readonly esbuild: string;
  readonly goalRatio: number;
  readonly functions: readonly FunctionBundles[];
  /**
   * The same bundles (SDK bundled) if the event contracts imported zod as a namespace
   * (`import * as z from "zod"` instead of `import { z } from "zod"`), which lets esbuild drop
   * the parts of zod they do not use. Simulated by rewriting that import line at build time.
   */
  readonly withZodNamespaceImport: readonly FunctionBundles[];
  /**
   * The event contracts alone (what every handler imports from `events/`: the three contracts,
   * and zod), as built and with the namespace import, against an empty module: how much of a
   * function's extra import time is the contracts. Cold-started, not judged.
   */
  readonly diagnostics: readonly FunctionBundles[];
  /** The goal is judged on the SDK-bundled bundles, which are what the stacks deploy. */
  readonly met: boolean;
}

export const BUNDLE_GOAL_RATIO = 1.2;

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Each SDK client package and how a handler builds its client once per cold start. */
const SDK_CLIENTS: Readonly<Record<string, { readonly imports: string; readonly construct: string }>> = {
  "@aws-sdk/client-dynamodb": { imports: `import { DynamoDBClient } from "@aws-sdk/client-dynamodb";`, construct: "new DynamoDBClient({})" },
  "@aws-sdk/lib-dynamodb": { imports: `import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";`, construct: "DynamoDBDocumentClient.from(new DynamoDBClient({}))" },
  "@aws-sdk/client-eventbridge": { imports: `import { EventBridgeClient } from "@aws-sdk/client-eventbridge";`, construct: "new EventBridgeClient({})" },
  "@aws-sdk/client-lambda": { imports: `import { LambdaClient } from "@aws-sdk/client-lambda";`, construct: "new LambdaClient({})" },
  "@aws-sdk/client-ses": { imports: `import { SESClient } from "@aws-sdk/client-ses";`, construct: "new SESClient({})" },
  "@aws-sdk/client-sns": { imports: `import { SNSClient } from "@aws-sdk/client-sns";`, construct: "new SNSClient({})" },
};

/** What SST v2 gives esbuild for `nodejs: { format: "esm", minify: true }`, with target node22 (the functions' runtime). */
function esbuildOptions(sdk: SdkPackaging, outfile: string): BuildOptions {
  return {
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    minify: true,
    keepNames: true,
    mainFields: ["module", "main"],
    banner: { js: "import { createRequire as topLevelCreateRequire } from 'module';\nconst require = topLevelCreateRequire(import.meta.url);" },
    external: sdk === "external" ? ["@aws-sdk/*"] : [],
    metafile: true,
    outfile,
    logLevel: "silent",
  };
}

/** `@scope/name` or `name` of a node_modules path; `our code` for the repository's own sources. */
function packageOf(inputPath: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(inputPath);
  return match ? match[1]! : "our code";
}

function describeOutput(file: string, metafile: Metafile): BuiltBundle {
  const output = Object.values(metafile.outputs)[0]!;
  const byPackage = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) byPackage.set(packageOf(path), (byPackage.get(packageOf(path)) ?? 0) + input.bytesInOutput);
  return {
    file,
    bytes: output.bytes,
    gzipBytes: gzipSync(readFileSync(file)).byteLength,
    byPackage: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

async function buildEntry(entry: string, sdk: SdkPackaging, outfile: string, plugins: Plugin[] = []): Promise<BuiltBundle> {
  const result = await build({ ...esbuildOptions(sdk, outfile), entryPoints: [entry], plugins });
  return describeOutput(outfile, result.metafile!);
}

async function buildBare(sdkClients: readonly string[], sdk: SdkPackaging, outfile: string): Promise<BuiltBundle> {
  const clients = sdkClients.map((name) => SDK_CLIENTS[name]!);
  const needsDynamoDb = sdkClients.includes("@aws-sdk/lib-dynamodb") && !sdkClients.includes("@aws-sdk/client-dynamodb");
  const contents = [
    ...(needsDynamoDb ? [SDK_CLIENTS["@aws-sdk/client-dynamodb"]!.imports] : []),
    ...clients.map((client) => client.imports),
    `const clients = [${clients.map((client) => client.construct).join(", ")}];`,
    "/** Does nothing: the bare handler that only imports and builds the same SDK clients. */",
    "export const handler = async () => clients.length;",
  ].join("\n");
  const result = await build({ ...esbuildOptions(sdk, outfile), stdin: { contents, resolveDir: ROOT, sourcefile: "bare-handler.mjs", loader: "js" } });
  return describeOutput(outfile, result.metafile!);
}

/** Bundles `contents` (an ES module resolved from the repository root) as the functions are bundled. */
async function buildSource(contents: string, sourcefile: string, outfile: string, plugins: Plugin[] = []): Promise<BuiltBundle> {
  const result = await build({ ...esbuildOptions("bundled", outfile), stdin: { contents, resolveDir: ROOT, sourcefile, loader: "ts" }, plugins });
  return describeOutput(outfile, result.metafile!);
}

const CONTRACTS_ONLY = [
  'import { OrderPaidContract, OrderPaymentFailedContract, WalletPaymentConfirmedContract } from "@payment3/events";',
  "export const contracts = [WalletPaymentConfirmedContract, OrderPaidContract, OrderPaymentFailedContract];",
].join("\n");

/** Rewrites `import { z } from "zod"` to a namespace import in the event contracts (a what-if, nothing on disk changes). */
const zodNamespaceImport: Plugin = {
  name: "zod-namespace-import",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]events[\\/]src[\\/].*\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, "utf8")).replace(/import \{ z \} from "zod";/g, 'import * as z from "zod";'),
      loader: "ts",
    }));
  },
};

function handlerFile(handler: string): string {
  return join(ROOT, `${handler.slice(0, handler.lastIndexOf("."))}.ts`);
}

/**
 * Bundles each function of the registry as the stacks do (SDK bundled, as deployed, and SDK
 * external, as the Lambda runtime could provide it) next to a bare handler importing the same
 * SDK clients, into `outputDirectory`.
 */
export async function measureBundleSizes(outputDirectory: string, log: (message: string) => void): Promise<BundleSizeResult> {
  const functions: FunctionBundles[] = [];
  const whatIf: FunctionBundles[] = [];
  for (const subscription of SUBSCRIPTIONS) {
    log(`bundles: ${subscription.name}`);
    const entry = handlerFile(subscription.handler);
    let sdkClients: string[] = [];
    for (const sdk of ["bundled", "external"] as const) {
      const bundle = await buildEntry(entry, sdk, join(outputDirectory, `${subscription.name}.${sdk}.mjs`));
      if (sdk === "bundled") sdkClients = Object.keys(SDK_CLIENTS).filter((name) => bundle.byPackage.some((p) => p.name === name));
      const bare = await buildBare(sdkClients, sdk, join(outputDirectory, `${subscription.name}.bare.${sdk}.mjs`));
      const compare = (variant: FunctionBundles["variant"], built: BuiltBundle): FunctionBundles => {
        const bareBytes = new Map(bare.byPackage.map((p) => [p.name, p.bytes]));
        return {
          name: subscription.name,
          variant,
          handler: subscription.handler,
          sdkClients,
          sdk,
          bundle: built,
          bare,
          ratio: roundTo(built.bytes / bare.bytes, 3),
          extraByPackage: built.byPackage
            .map((p) => ({ name: p.name, bytes: p.bytes - (bareBytes.get(p.name) ?? 0) }))
            .filter((p) => p.bytes > 0)
            .sort((a, b) => b.bytes - a.bytes)
            .slice(0, 6),
        };
      };
      functions.push(compare("as built", bundle));
      if (sdk === "bundled") {
        const rewritten = await buildEntry(entry, sdk, join(outputDirectory, `${subscription.name}.zod-namespace.bundled.mjs`), [zodNamespaceImport]);
        whatIf.push(compare("zod namespace import (what-if)", rewritten));
      }
    }
  }
  log("bundles: event contracts alone (diagnostic)");
  const empty = await buildSource("export const handler = async () => 0;", "empty-handler.mjs", join(outputDirectory, "empty.mjs"));
  const diagnostic = (name: string, built: BuiltBundle): FunctionBundles => ({
    name,
    variant: "diagnostic",
    handler: "(none)",
    sdkClients: [],
    sdk: "bundled",
    bundle: built,
    bare: empty,
    ratio: roundTo(built.bytes / empty.bytes, 3),
    extraByPackage: built.byPackage.slice(0, 6),
  });
  const diagnostics = [
    diagnostic("event contracts", await buildSource(CONTRACTS_ONLY, "contracts.ts", join(outputDirectory, "contracts.mjs"))),
    diagnostic("event contracts, zod namespace import", await buildSource(CONTRACTS_ONLY, "contracts.ts", join(outputDirectory, "contracts.zod-namespace.mjs"), [zodNamespaceImport])),
  ];
  return {
    esbuild: "bundle, platform node, format esm, target node22, minify, keepNames, mainFields module,main, createRequire banner (SST v2 ESM defaults); no source map",
    goalRatio: BUNDLE_GOAL_RATIO,
    functions,
    withZodNamespaceImport: whatIf,
    diagnostics,
    met: functions.filter((f) => f.sdk === "bundled").every((f) => f.ratio <= BUNDLE_GOAL_RATIO),
  };
}
