import type { LocalRequest, LocalResponse } from "../http/local-endpoint";
import { pathOf } from "../http/aws-query-protocol";
import { requestAwsSesV2Local } from "./aws-ses-v2-local-server";

/** Where the shared endpoint serves aws-ses-v2-local's web UI (its `/`), e.g. http://127.0.0.1:4566/_local/ses/. */
export const SES_MAIL_PAGE_PATH = "/_local/ses/";

/** The routes of aws-ses-v2-local that the web UI uses; its API routes stay behind the SES service. */
const MAIL_PAGE_ROUTES: ReadonlyMap<string, string> = new Map([
  ["GET /", "/"],
  ["GET /store", "/store"],
  ["GET /get-emlContent", "/get-emlContent"],
  ["GET /health-check", "/health-check"],
  ["POST /clear-store", "/clear-store"],
]);

/** The mail page on a given shared endpoint URL. */
export function mailPageUrlOn(endpointUrl: string): string {
  return new URL(SES_MAIL_PAGE_PATH, endpointUrl).href;
}

export function isMailPageRequest(request: Pick<LocalRequest, "url">): boolean {
  const path = pathOf(request);
  return path === SES_MAIL_PAGE_PATH.slice(0, -1) || path.startsWith(SES_MAIL_PAGE_PATH);
}

/**
 * The page's script fetches `/store`, `/clear-store` and `/get-emlContent` from the root; served
 * under a prefix, those must point under the prefix too.
 */
export function rewriteMailPageHtml(html: string): string {
  return html.replace(
    /(["'`])\/(store|clear-store|get-emlContent)\b/g,
    (_match, quote: string, route: string) => `${quote}${SES_MAIL_PAGE_PATH}${route}`,
  );
}

/**
 * Serves aws-ses-v2-local's web UI and its read/clear routes under {@link SES_MAIL_PAGE_PATH}.
 * Note `clear-store` empties the store of every local SES in this process (it is module-global).
 */
export async function serveMailPage(request: LocalRequest, upstreamUrl: string): Promise<LocalResponse> {
  const path = pathOf(request);
  if (path === SES_MAIL_PAGE_PATH.slice(0, -1))
    return { status: 302, headers: { location: SES_MAIL_PAGE_PATH }, body: "" };
  const route = MAIL_PAGE_ROUTES.get(`${request.method} ${path.slice(SES_MAIL_PAGE_PATH.length - 1)}`);
  if (route === undefined) {
    return {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: `The local SES mail page has no ${request.method} ${path}; open ${SES_MAIL_PAGE_PATH} in a browser.`,
    };
  }
  const query = request.url.slice(path.length);
  const upstream = await requestAwsSesV2Local(upstreamUrl, { method: request.method, url: `${route}${query}` });
  const isPage = route === "/" && upstream.status === 200;
  return {
    status: upstream.status,
    headers: { "content-type": upstream.contentType, "cache-control": "no-store" },
    body: isPage ? rewriteMailPageHtml(upstream.body.toString("utf8")) : upstream.body,
  };
}
