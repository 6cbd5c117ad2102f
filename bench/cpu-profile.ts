import { Session } from "node:inspector/promises";
import { roundTo } from "./statistics";

/** Self time of one group of code in a CPU profile. */
export interface CpuShare {
  readonly group: string;
  readonly ms: number;
  readonly percent: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Emulators: a sample with one of these anywhere on its stack is theirs, whatever library it is in. */
const EMULATORS: readonly (readonly [string, RegExp])[] = [
  [
    "dynalite + LevelDB (emulated DynamoDB)",
    /node_modules\/(dynalite|level|classic-level|memory-level|abstract-level|lazy)\//,
  ],
  ["aws-ses-v2-local (emulated SES)", /node_modules\/aws-ses-v2-local\//],
];

/** The other groups, first match wins, by the script URL of the sampled function. */
const GROUPS: readonly (readonly [string, RegExp])[] = [
  ["AWS SDK clients (build, sign, send, parse)", /node_modules\/(@smithy|@aws-sdk|@aws-crypto|@aws\/)/],
  ["zod (contract parsing)", /node_modules\/zod\//],
  ["Powertools (logger, idempotency, jmespath)", /node_modules\/@aws-lambda-powertools\//],
  ["local EventBridge, endpoint, Lambda, SNS (packages/local)", /\/packages\/local\//],
  ["our code (events, core, functions)", /\/(events|packages\/core|packages\/functions)\/src\//],
  ["bench harness", /\/bench\//],
  [
    "Node HTTP, sockets, streams, events",
    /^node:(_http|net|internal\/(streams|stream_base|http|net|timers|url)|events|stream|http|url|timers)/,
  ],
  ["Node crypto (hashing, HMAC, UUIDs)", /^node:(internal\/crypto|crypto)/],
  ["other node_modules", /node_modules\//],
];

function groupOf(url: string, functionName: string): string | undefined {
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(idle)") return "idle (waiting for I/O)";
  if (functionName === "(program)") return "V8 and native code not attributed to a script";
  if (!url) return undefined;
  for (const [group, pattern] of GROUPS) if (pattern.test(url)) return group;
  return "other (promise and microtask machinery, Node internals)";
}

/**
 * Self time per group. A sample under an emulator is the emulator's. A sample in native code without a script (a syscall, a builtin) is
 * charged to the nearest caller that has one, so `writev` counts as Node HTTP.
 */
export function summarizeProfile(profile: Profile): CpuShare[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const emulatorCache = new Map<number, string | null>();
  const emulatorOf = (id: number): string | null => {
    const cached = emulatorCache.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id)!;
    const own = EMULATORS.find(([, pattern]) => pattern.test(node.callFrame.url))?.[0];
    const parent = parentOf.get(id);
    const found = own ?? (parent === undefined ? null : emulatorOf(parent));
    emulatorCache.set(id, found);
    return found;
  };
  const groupCache = new Map<number, string>();
  const resolveGroup = (id: number): string => {
    const cached = groupCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const own = groupOf(node.callFrame.url, node.callFrame.functionName);
    const parent = parentOf.get(id);
    const group =
      own ?? (parent === undefined ? "other (promise and microtask machinery, Node internals)" : resolveGroup(parent));
    groupCache.set(id, group);
    return group;
  };
  const totals = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    total += delta;
    const name = byId.get(id)!.callFrame.functionName;
    const group =
      name === "(idle)" || name === "(garbage collector)" ? resolveGroup(id) : (emulatorOf(id) ?? resolveGroup(id));
    totals.set(group, (totals.get(group) ?? 0) + delta);
  });
  return [...totals]
    .map(([group, micros]) => ({ group, ms: Math.round(micros / 1000), percent: roundTo((micros / total) * 100, 1) }))
    .sort((a, b) => b.ms - a.ms);
}

/** Runs `work` under the V8 CPU profiler of this process and returns its result with the time per group. */
export async function profileCpu<T>(
  work: () => Promise<T>,
): Promise<{ readonly result: T; readonly shares: CpuShare[] }> {
  const session = new Session();
  session.connect();
  try {
    await session.post("Profiler.enable");
    await session.post("Profiler.setSamplingInterval", { interval: 500 });
    await session.post("Profiler.start");
    const result = await work();
    const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
    return { result, shares: summarizeProfile(profile) };
  } finally {
    session.disconnect();
  }
}
