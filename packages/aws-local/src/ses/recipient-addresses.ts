/**
 * The recipients of an SES send request in each of its wire shapes, as bare addresses
 * (`Somchai <somchai@example.com>` becomes `somchai@example.com`), so a rejection rule can see
 * them. aws-ses-v2-local validates none of them.
 */

const ADDRESS_IN_TEXT = /[^\s<>,;:"()[\]]+@[^\s<>,;:"()[\]]+/g;

/** The bare address of `addr-spec` or `Display Name <addr-spec>`. */
export function bareAddress(address: string): string {
  const angle = /<([^<>]+)>\s*$/.exec(address);
  return (angle ? angle[1]! : address).trim();
}

/** Values of a Query-protocol list such as `Destination.ToAddresses.member.N`, in N order. */
export function queryListValues(parameters: URLSearchParams, prefix: string): string[] {
  const entries: { index: number; value: string }[] = [];
  for (const [key, value] of parameters) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(key.slice(prefix.length));
    if (Number.isInteger(index) && index >= 1) entries.push({ index, value });
  }
  return entries.sort((a, b) => a.index - b.index).map((entry) => entry.value);
}

/** To, Cc and Bcc of a v1 `SendEmail` form. */
export function recipientsOfSendEmailForm(parameters: URLSearchParams): string[] {
  return ["To", "Cc", "Bcc"]
    .flatMap((kind) => queryListValues(parameters, `Destination.${kind}Addresses.member.`))
    .map(bareAddress);
}

/**
 * The recipients of a raw MIME message: its To, Cc and Bcc headers (folded lines joined). SES uses
 * these when the request lists no explicit destinations.
 */
export function recipientsOfRawMessage(mime: Buffer): string[] {
  const text = mime.toString("utf8");
  const headerEnd = text.search(/\r?\n\r?\n/);
  const headerBlock = (headerEnd < 0 ? text : text.slice(0, headerEnd)).replace(/\r?\n[ \t]+/g, " ");
  const recipients: string[] = [];
  for (const line of headerBlock.split(/\r?\n/)) {
    const header = /^(to|cc|bcc)\s*:(.*)$/i.exec(line);
    if (header) recipients.push(...(header[2]!.match(ADDRESS_IN_TEXT) ?? []));
  }
  return recipients;
}

/** Recipients of a v1 `SendRawEmail` form: `Destinations.member.N` when given, else the MIME headers. */
export function recipientsOfSendRawEmailForm(parameters: URLSearchParams): string[] {
  const explicit = queryListValues(parameters, "Destinations.member.");
  if (explicit.length > 0) return explicit.map(bareAddress);
  const data = parameters.get("RawMessage.Data");
  return data === null ? [] : recipientsOfRawMessage(Buffer.from(data, "base64"));
}

/**
 * Recipients of an SES v2 JSON request (`/v2/email/outbound-emails` and `outbound-bulk-emails`):
 * its Destination, each bulk entry's Destination, and the headers of Raw content.
 */
export function recipientsOfV2Request(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const recipients = destinationAddresses(body.Destination);
  if (Array.isArray(body.BulkEmailEntries)) {
    for (const entry of body.BulkEmailEntries)
      if (isRecord(entry)) recipients.push(...destinationAddresses(entry.Destination));
  }
  const raw = isRecord(body.Content) && isRecord(body.Content.Raw) ? body.Content.Raw.Data : undefined;
  if (typeof raw === "string") recipients.push(...recipientsOfRawMessage(Buffer.from(raw, "base64")));
  return recipients;
}

function destinationAddresses(destination: unknown): string[] {
  if (!isRecord(destination)) return [];
  return ["ToAddresses", "CcAddresses", "BccAddresses"]
    .flatMap((key) => {
      const list = destination[key];
      return Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [];
    })
    .map(bareAddress);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
