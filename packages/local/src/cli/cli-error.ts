/** A mistake in how the command was called, or a failure to report in one line. Exit code 2 for usage, 1 otherwise. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}
