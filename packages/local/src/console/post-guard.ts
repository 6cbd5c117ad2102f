import type { LocalRequest, LocalResponse } from "@payment3/aws-local";

/** Host names a page of the local runtime may be reached by: loopback only, so a rebound DNS name gets nothing. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

const refusal = (message: string): LocalResponse => ({
  status: 403,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ message }),
});

function hostnameOf(host: string | undefined): string {
  if (!host) return "";
  return host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":")[0] ?? "");
}

/**
 * Why the operator API refuses this request, or undefined when it may go on. A page of another site may make the
 * browser send requests here; it must not change anything, nor read the flow:
 *
 * - the Host header must name loopback or the host the endpoint was started on (DNS rebinding);
 * - a POST must carry `content-type: application/json` (a cross-site form or `no-cors` fetch cannot, without a
 *   CORS preflight this endpoint never grants), and an `Origin`, when the browser sends one, must be the
 *   endpoint's own.
 */
export function refuseUnsafeRequest(
  request: LocalRequest,
  extraHosts: readonly string[] = [],
): LocalResponse | undefined {
  const host = request.headers.host;
  const hostname = hostnameOf(host);
  if (host && !LOOPBACK_HOSTS.has(hostname) && !extraHosts.includes(hostname))
    return refusal(`the local operator API answers only on loopback, not on host ${JSON.stringify(host)}`);
  if (request.method !== "POST") return undefined;
  const contentType = String(request.headers["content-type"] ?? "");
  if (!/^application\/json\b/i.test(contentType))
    return refusal(
      `a POST to the local operator API must send content-type application/json, got ${JSON.stringify(contentType)}`,
    );
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`)
    return refusal(
      `cross-origin POST from ${JSON.stringify(origin)} refused: only pages of http://${host} may change state`,
    );
  return undefined;
}
