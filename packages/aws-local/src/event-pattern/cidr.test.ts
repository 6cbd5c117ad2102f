import { describe, expect, it } from "vitest";
import { isInCidrRange, parseCidr, parseIpAddress } from "./cidr";
import { InvalidEventPatternError } from "./invalid-event-pattern-error";

function reasonOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof InvalidEventPatternError) return error.reason;
    throw error;
  }
  throw new Error("expected an InvalidEventPatternError");
}

describe("parseIpAddress", () => {
  it.each([
    ["10.0.0.1", { version: 4, value: 0x0a000001 }],
    ["010.000.0.1", { version: 4, value: 0x0a000001 }],
    ["::", { version: 6, value: 0n }],
    ["2001:DB8::1", { version: 6, value: 0x20010db8000000000000000000000001n }],
    ["2001:0db8:0:0:0:0:0:1", { version: 6, value: 0x20010db8000000000000000000000001n }],
    ["::ffff:a00:1", { version: 4, value: 0x0a000001 }],
  ])("reads %s", (text, expected) => {
    // Act
    const ip = parseIpAddress(text);

    // Assert
    expect(ip).toEqual(expected);
  });

  it.each(["10.0.0.256", "10.0.0", "10.0.0.1.", "1:2:3:4:5:6:7", "1::2::3", "12345::", "::ffff:10.0.0.1", "host", ""])(
    "refuses %s",
    (text) => {
      // Act
      const ip = parseIpAddress(text);

      // Assert
      expect(ip).toBeUndefined();
    },
  );
});

describe("parseCidr", () => {
  it("floors host bits: 220.160.153.171/31 covers .170 and .171 only", () => {
    // Prepare
    const range = parseCidr("220.160.153.171/31");

    // Act
    const covered = ["220.160.153.169", "220.160.153.170", "220.160.153.171", "220.160.153.172"].map((ip) =>
      isInCidrRange(range, ip),
    );

    // Assert
    expect(covered).toEqual([false, true, true, false]);
  });

  it("covers a whole IPv6 /64", () => {
    // Prepare
    const range = parseCidr("2001:db8:1234:1a00:9::/64");

    // Act
    const covered = ["2001:db8:1234:1a00::", "2001:db8:1234:1a00:ffff:ffff:ffff:ffff", "2001:db8:1234:1a01::"].map(
      (ip) => isInCidrRange(range, ip),
    );

    // Assert
    expect(covered).toEqual([true, true, false]);
  });

  it("accepts /0 as every address of the family", () => {
    // Prepare
    const range = parseCidr("1.2.3.4/0");

    // Act
    const covered = [isInCidrRange(range, "255.255.255.255"), isInCidrRange(range, "::1")];

    // Assert
    expect(covered).toEqual([true, false]);
  });

  it("drops a trailing empty part like Java's String.split", () => {
    // Prepare
    const text = "10.0.0.0/8/";

    // Act
    const range = parseCidr(text);

    // Assert
    expect(isInCidrRange(range, "10.255.0.1")).toBe(true);
  });

  it.each([
    ["10.0.0.0", "Malformed CIDR, one '/' required"],
    ["10.0.0.0/8/1", "Malformed CIDR, one '/' required"],
    ["10.0.0.0/x", "Malformed CIDR, mask bits must be an integer"],
    ["10.0.0.0/-1", "Malformed CIDR, mask bits must not be negative"],
    ["10.0.0.0/32", "IPv4 mask bits must be < 32"],
    ["::/128", "IPv6 mask bits must be < 128"],
    ["my-host/24", "Nonstandard IP address: my-host"],
    ["1::2::3/64", "Invalid IP address: 1::2::3"],
  ])("rejects %s", (text, expected) => {
    // Act
    const reason = reasonOf(() => parseCidr(text));

    // Assert
    expect(reason).toBe(expected);
  });
});
