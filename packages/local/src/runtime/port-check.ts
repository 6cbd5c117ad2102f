import { createServer } from "node:net";

/** The port is taken by another process (another `npm start`, most likely). */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`port ${port} on ${host} is already in use (is another 'npm start' running?); stop it, or pass --port <n>`);
  }
}

/**
 * Fails fast when the port is taken, before anything opens the data directory (a second
 * runtime on the same `.local/` would otherwise fail on dynalite's lock with a murkier error).
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "EADDRINUSE" ? new PortInUseError(host, port) : error),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
