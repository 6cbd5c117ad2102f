/**
 * Runs `run` with everything written to stdout and stderr (Powertools writes there) appended to
 * `into` instead of printed, for tests that assert on log output.
 */
export async function captureProcessOutput(into: string[], run: () => Promise<void>): Promise<void> {
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((stream) => stream.write);
  for (const stream of streams) {
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      (rest.find((argument) => typeof argument === "function") as (() => void) | undefined)?.();
      return true;
    }) as typeof stream.write;
  }
  try {
    await run();
  } finally {
    streams.forEach((stream, index) => {
      stream.write = originals[index]!;
    });
  }
}
