/** An SES API error with the v1 (Query) code and the v2 (REST JSON) type AWS answers for the same fault. */
export class SesConfigurationSetError extends Error {
  override readonly name = "SesConfigurationSetError";
  constructor(
    readonly v1Code: string,
    readonly v2Type: string,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
