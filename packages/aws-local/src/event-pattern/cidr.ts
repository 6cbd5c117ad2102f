import { InvalidEventPatternError } from "./invalid-event-pattern-error";

/** An IP address as a number: IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint. */
export type IpAddress =
  | { readonly version: 4; readonly value: number }
  | { readonly version: 6; readonly value: bigint };

/** An inclusive address range compiled from a `cidr` operand. */
export type CidrRange =
  | { readonly version: 4; readonly low: number; readonly high: number }
  | { readonly version: 6; readonly low: bigint; readonly high: bigint };

// event-ruler decides "is this an IP literal" with these two shapes before asking InetAddress to parse it;
// anything else is a "Nonstandard IP address" [ER CIDR.java, Constants.IPv4_REGEX/IPv6_REGEX].
const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;

/**
 * Parses an IPv4 dotted quad or an IPv6 literal (hex groups, optional `::`) into a number. Returns
 * undefined for anything else, including hostnames, zone ids and dotted IPv4-in-IPv6 forms, which
 * event-ruler does not treat as IP addresses. Octets with leading zeros are read as decimal, as
 * Java's InetAddress does. An IPv4-mapped IPv6 address (`::ffff:a00:1`) is returned as IPv4,
 * because InetAddress converts it.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const ipv4 = parseIpv4(text);
  if (ipv4 !== undefined) return { version: 4, value: ipv4 };
  const ipv6 = parseIpv6(text);
  if (ipv6 === undefined) return undefined;
  if (ipv6 >> 32n === 0xffffn) return { version: 4, value: Number(ipv6 & 0xffffffffn) };
  return { version: 6, value: ipv6 };
}

function parseIpv4(text: string): number | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      octet = octet * 10 + (code - 48);
      if (octet > 255) return undefined;
      digits++;
    } else if (code === 46) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else {
      return undefined;
    }
  }
  if (dots !== 3 || digits === 0) return undefined;
  return value * 256 + octet;
}

function parseIpv6(text: string): bigint | undefined {
  if (text.length < 2 || text.indexOf(":") === -1) return undefined;
  const gap = text.indexOf("::");
  if (gap !== -1 && text.indexOf("::", gap + 1) !== -1) return undefined;
  const head = parseHexGroups(gap === -1 ? text : text.slice(0, gap));
  const tail = gap === -1 ? [] : parseHexGroups(text.slice(gap + 2));
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (gap === -1 ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of head) value = (value << 16n) | BigInt(group);
  value <<= BigInt(16 * missing);
  for (const group of tail) value = (value << 16n) | BigInt(group);
  return value;
}

function parseHexGroups(part: string): number[] | undefined {
  if (part === "") return [];
  const groups: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= part.length; i++) {
    const code = i < part.length ? part.charCodeAt(i) : 58;
    if (code === 58) {
      if (digits === 0) return undefined;
      groups.push(value);
      value = 0;
      digits = 0;
      continue;
    }
    const digit = hexDigitValue(code);
    if (digit < 0 || ++digits > 4) return undefined;
    value = value * 16 + digit;
  }
  return groups;
}

function hexDigitValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Compiles a `cidr` operand into an inclusive range, rejecting it with event-ruler's reasons.
 * Host bits are floored: `220.160.153.171/31` covers .170–.171 [ER MachineTest, LS-AWS].
 * event-ruler rejects /32 for IPv4 and /128 for IPv6 ("mask bits must be < 32") [ER CIDR.java].
 */
export function parseCidr(cidr: string): CidrRange {
  const parts = splitLikeJava(cidr, "/");
  const address = parts[0];
  const mask = parts[1];
  if (parts.length !== 2 || address === undefined || mask === undefined) {
    throw new InvalidEventPatternError("Malformed CIDR, one '/' required");
  }
  const maskBits = parseIntLikeJava(mask);
  if (maskBits === undefined) throw new InvalidEventPatternError("Malformed CIDR, mask bits must be an integer");
  if (maskBits < 0) throw new InvalidEventPatternError("Malformed CIDR, mask bits must not be negative");
  if (!IPV4_SHAPE.test(address) && !IPV6_SHAPE.test(address)) {
    throw new InvalidEventPatternError(`Nonstandard IP address: ${address}`);
  }
  const ip = parseIpAddress(address);
  if (ip === undefined) throw new InvalidEventPatternError(`Invalid IP address: ${address}`);
  if (ip.version === 4) {
    if (maskBits > 31) throw new InvalidEventPatternError("IPv4 mask bits must be < 32");
    const hostBits = 32 - maskBits;
    const size = 2 ** hostBits;
    const low = Math.floor(ip.value / size) * size;
    return { version: 4, low, high: low + size - 1 };
  }
  if (maskBits > 127) throw new InvalidEventPatternError("IPv6 mask bits must be < 128");
  const hostMask = (1n << BigInt(128 - maskBits)) - 1n;
  const low = ip.value & ~hostMask;
  return { version: 6, low, high: low | hostMask };
}

/** True when `value` is a string holding an IP address inside `range`; any other value is no match. */
export function isInCidrRange(range: CidrRange, value: unknown): boolean {
  if (typeof value !== "string") return false;
  const ip = parseIpAddress(value);
  if (ip === undefined || ip.version !== range.version) return false;
  return ip.value >= range.low && ip.value <= range.high;
}

/** True when both are the same IP address (`2001:db8::1` equals `2001:0DB8:0:0:0:0:0:1`). */
export function isSameIpAddress(a: IpAddress, b: IpAddress): boolean {
  return a.version === b.version && a.value === b.value;
}

/** String.split as Java does it: trailing empty strings are dropped ("10.0.0.0/24/" has two parts). */
function splitLikeJava(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** Integer.parseInt: an optional sign, ASCII digits, within int32; undefined otherwise. */
function parseIntLikeJava(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= -2147483648 && value <= 2147483647 ? value : undefined;
}
