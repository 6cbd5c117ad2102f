import { describe, expect, it } from "vitest";
import type { LocalRequest } from "@payment3/aws-local";
import { refuseUnsafeRequest } from "./post-guard";

const request = (method: string, headers: Record<string, string>): LocalRequest => ({
  method,
  url: "/_local/dead-letters/redrive",
  headers,
  body: Buffer.from("{}"),
});

describe("refuseUnsafeRequest", () => {
  it("lets a same-origin JSON POST and any loopback GET through", () => {
    expect(
      refuseUnsafeRequest(
        request("POST", {
          host: "127.0.0.1:4566",
          origin: "http://127.0.0.1:4566",
          "content-type": "application/json",
        }),
      ),
    ).toBeUndefined();
    expect(
      refuseUnsafeRequest(
        request("POST", { host: "localhost:4566", "content-type": "application/json; charset=utf-8" }),
      ),
    ).toBeUndefined();
    expect(refuseUnsafeRequest(request("GET", { host: "[::1]:4566" }))).toBeUndefined();
  });

  it("refuses a POST that is not JSON: what a cross-site form or no-cors fetch sends", () => {
    const answer = refuseUnsafeRequest(
      request("POST", { host: "127.0.0.1:4566", "content-type": "application/x-www-form-urlencoded" }),
    );
    expect(answer?.status).toBe(403);
    expect(String(answer?.body)).toContain("must send content-type application/json");
  });

  it("refuses a POST from another origin, a sandboxed page's null origin included", () => {
    for (const origin of ["http://evil.example", "null", "http://127.0.0.1:9999"]) {
      const answer = refuseUnsafeRequest(
        request("POST", { host: "127.0.0.1:4566", origin, "content-type": "application/json" }),
      );
      expect(answer?.status, origin).toBe(403);
    }
  });

  it("refuses any request whose Host is not loopback (DNS rebinding), unless it is the host the endpoint was started on", () => {
    expect(refuseUnsafeRequest(request("GET", { host: "evil.example:4566" }))?.status).toBe(403);
    expect(refuseUnsafeRequest(request("GET", { host: "10.0.0.5:4566" }), ["10.0.0.5"])).toBeUndefined();
  });
});
