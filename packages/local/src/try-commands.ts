/** What the printed commands need to know about the running runtime. */
export interface TryCommandTarget {
  /** The shared endpoint, e.g. http://127.0.0.1:4566. */
  readonly url: string;
  readonly region: string;
  readonly eventBusName: string;
}

/**
 * The shell line that lets the AWS CLI and the SDK talk to the local endpoint. It takes any
 * credentials, but every client insists on having some. Both region variables, because AWS CLI
 * v1 reads only `AWS_DEFAULT_REGION` and the SDK for JavaScript only `AWS_REGION`. `AWS_PAGER=`
 * stops CLI v2 from paging short answers through `less`. No `AWS_ENDPOINT_URL`: CLI v1 and v2
 * before 2.13 ignore it and would call real AWS, so every command names its endpoint instead.
 */
export function localCredentialsExport(region: string): string {
  return `export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=${region} AWS_REGION=${region} AWS_PAGER=`;
}

/**
 * The commands `npm start` prints for a newcomer to paste into another shell at the repository
 * root, in order. Each works as pasted with AWS CLI v1 and v2 (the documented-commands test runs
 * them with every `aws` on PATH).
 */
export function tryCommands(target: TryCommandTarget): string[] {
  return [
    localCredentialsExport(target.region),
    `aws --endpoint-url ${target.url} events list-rules --event-bus-name ${target.eventBusName} --query 'Rules[].Name'`,
    `npx payment3 publish --order-id 492500005644 --payment-id pay_try_1 --success true --amount 490 --endpoint ${target.url}`,
    `npx payment3 status --endpoint ${target.url}`,
  ];
}

/** The try-commands as `npm start` prints them: a heading, then one indented command a line. */
export function formatTryCommands(target: TryCommandTarget): string {
  return [
    "  try, in another shell at the repository root:",
    ...tryCommands(target).map((command) => `    ${command}`),
  ].join("\n");
}
