/** Lambda returns at most the last 4 KB of the invocation's log with `LogType: Tail`. */
export const LOG_TAIL_BYTES = 4096;

type Write = typeof process.stdout.write;

const active = new Set<string[]>();
let originals: readonly [Write, Write] | undefined;

/**
 * Runs `run` while copying what the process writes to stdout and stderr (where in-process functions log, as on
 * Lambda) into a buffer; the writes still go through. The whole process writes there, so anything else printed
 * during the invocation is in the tail too: locally that is close enough, and it is only done when asked for.
 */
export async function captureFunctionOutput<T>(
  run: () => Promise<T>,
): Promise<{ readonly result: PromiseSettledResult<T>; readonly output: string }> {
  const chunks: string[] = [];
  active.add(chunks);
  if (!originals) installCapture();
  try {
    const result = await run().then(
      (value): PromiseSettledResult<T> => ({ status: "fulfilled", value }),
      (reason: unknown): PromiseSettledResult<T> => ({ status: "rejected", reason }),
    );
    return { result, output: chunks.join("") };
  } finally {
    active.delete(chunks);
    if (active.size === 0) removeCapture();
  }
}

/**
 * The `X-Amz-Log-Result` header: base64 of the last 4 KB of the invocation's log, framed by the START, END and
 * REPORT lines Lambda writes.
 */
export function logResultHeader(requestId: string, output: string, durationMs: number, memoryMb = 1024): string {
  const duration = durationMs.toFixed(2);
  const log =
    `START RequestId: ${requestId} Version: $LATEST\n${output}` +
    `END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\tDuration: ${duration} ms\t` +
    `Billed Duration: ${Math.max(1, Math.ceil(durationMs))} ms\tMemory Size: ${memoryMb} MB\t\n`;
  const bytes = Buffer.from(log, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - LOG_TAIL_BYTES)).toString("base64");
}

function installCapture(): void {
  const streams = [process.stdout, process.stderr] as const;
  originals = [process.stdout.write, process.stderr.write];
  streams.forEach((stream, index) => {
    const original = originals![index]!;
    stream.write = function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      for (const chunks of active) chunks.push(text);
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as Write;
  });
}

function removeCapture(): void {
  if (!originals) return;
  process.stdout.write = originals[0];
  process.stderr.write = originals[1];
  originals = undefined;
}
