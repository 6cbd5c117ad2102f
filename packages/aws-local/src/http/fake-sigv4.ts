/**
 * For tests that send raw HTTP: an `Authorization` header shaped like SigV4 for `service`. The
 * local endpoint routes on the credential scope and never checks the signature.
 */
export function fakeSigV4Authorization(service: string, region = "ap-southeast-1"): string {
  return `AWS4-HMAC-SHA256 Credential=local/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}
