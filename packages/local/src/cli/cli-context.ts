import { loadConfig, type Config } from "@payment3/core";
import { PLAIN_STYLE, type TerminalStyle } from "./terminal-style";

/** Where a command sends its requests, and how it prints. */
export interface CliContext {
  /** The local endpoint, or undefined for real AWS (region and credentials from the usual AWS settings). */
  readonly endpoint: string | undefined;
  readonly config: Config;
  readonly json: boolean;
  readonly out: (text: string) => void;
  /** Progress lines (stderr), never mixed into --json output. */
  readonly progress: (text: string) => void;
  /** Colours for standard output (plain in a pipe or with NO_COLOR). */
  readonly style: TerminalStyle;
}

export interface GlobalOptions {
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  readonly profile?: string | undefined;
  readonly bus?: string | undefined;
  readonly stage?: string | undefined;
  readonly json?: boolean | undefined;
}

/**
 * Builds the context from the global flags and the environment: `--endpoint` (or
 * AWS_ENDPOINT_URL) points at the local runtime; without it the SDK goes to AWS with the
 * usual credential chain (AWS_PROFILE / --profile, AWS_REGION / --region).
 */
export function createCliContext(
  options: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
  io: { out: (t: string) => void; progress: (t: string) => void; style?: TerminalStyle } = {
    out: (t) => console.log(t),
    progress: (t) => console.error(t),
  },
): CliContext {
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL;
  if (options.profile) env.AWS_PROFILE = options.profile;
  if (endpoint) {
    // The local endpoint accepts any signature; the SDK still needs some credentials.
    env.AWS_ACCESS_KEY_ID ??= "local";
    env.AWS_SECRET_ACCESS_KEY ??= "local";
  }
  const config = loadConfig({
    ...env,
    ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
    ...(options.region ? { AWS_REGION: options.region } : {}),
    ...(options.stage ? { BRANCH: options.stage } : {}),
    ...(options.bus ? { EVENT_BUS_NAME: options.bus } : {}),
  });
  return {
    endpoint,
    config,
    json: options.json ?? false,
    out: io.out,
    progress: io.progress,
    style: io.style ?? PLAIN_STYLE,
  };
}
