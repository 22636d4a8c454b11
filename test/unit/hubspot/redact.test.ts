import { describe, expect, it } from "vitest";
import { redactPath, scrub, secretInPath } from "../../../src/hubspot/redact.js";

describe("redactPath", () => {
  it("replaces the token of an access-token introspection path", () => {
    expect(redactPath("/oauth/v1/access-tokens/CJSP5qf1Kh-abc")).toBe("/oauth/v1/access-tokens/[redacted]");
  });

  it("replaces the token of a refresh-token path and keeps what follows it", () => {
    expect(redactPath("/oauth/v1/refresh-tokens/r-123/extra")).toBe(
      "/oauth/v1/refresh-tokens/[redacted]/extra",
    );
  });

  it("drops the query string", () => {
    expect(redactPath("/crm/v3/properties/0-1?dataSensitivity=sensitive")).toBe("/crm/v3/properties/0-1");
  });

  it("leaves other paths as they are", () => {
    expect(redactPath("/crm/v3/objects/0-1/batch/upsert")).toBe("/crm/v3/objects/0-1/batch/upsert");
  });
});

describe("secretInPath", () => {
  it("finds the token segment of an introspection path", () => {
    expect(secretInPath("/oauth/v1/access-tokens/tok-1?x=1")).toBe("tok-1");
  });

  it("finds nothing in a CRM path", () => {
    expect(secretInPath("/crm/v3/schemas")).toBeUndefined();
  });
});

describe("scrub", () => {
  it("replaces the raw and the URL-encoded forms of a secret", () => {
    expect(scrub("a tok/en b tok%2Fen c", ["tok/en"])).toBe("a [redacted] b [redacted] c");
  });

  it("ignores missing secrets", () => {
    expect(scrub("text", [undefined, ""])).toBe("text");
  });
});
