import { describe, expect, it } from "vitest";
import { parseErrorBody, parseRetryAfter } from "../../../src/hubspot/error-body.js";

/**
 * Bodies as HubSpot documents or was seen to send them
 * (https://developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines,
 * https://developers.hubspot.com/docs/api-reference/error-handling).
 */
const BODIES = {
  daily: JSON.stringify({
    status: "error",
    message: "You have reached your daily limit.",
    errorType: "RATE_LIMIT",
    correlationId: "c-daily",
    policyName: "DAILY",
    requestId: "r-1",
  }),
  tenSecondly: JSON.stringify({
    status: "error",
    message: "You have reached your ten_secondly_rolling limit.",
    category: "RATE_LIMITS",
    policyName: "TEN_SECONDLY_ROLLING",
    correlationId: "c-ten",
  }),
  missingScopes: JSON.stringify({
    status: "error",
    message: "This app hasn't been granted all required scopes to make this call.",
    correlationId: "c-scopes",
    errors: [
      {
        message: "One or more of the following scopes are required.",
        context: { requiredGranularScopes: ["crm.schemas.deals.read", "crm.objects.deals.read"] },
      },
    ],
    links: { scopes: "https://developers.hubspot.com/scopes" },
    category: "MISSING_SCOPES",
  }),
  expired: JSON.stringify({
    status: "error",
    message: "The OAuth token used to make this call expired 75 second(s) ago.",
    correlationId: "c-expired",
    category: "EXPIRED_AUTHENTICATION",
    context: { "expire time": ["2022-06-21T10:37:52.040Z"] },
  }),
  badRefreshToken: JSON.stringify({
    error: "invalid_grant",
    error_description: "refresh token is invalid, expired or revoked",
    status: "BAD_REFRESH_TOKEN",
    message: "refresh token is invalid, expired or revoked",
  }),
  html502: "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
} as const;

describe("parseErrorBody", () => {
  it("reads the policy name and the 429's errorType as category from a DAILY rate-limit body", () => {
    expect(parseErrorBody(BODIES.daily)).toMatchObject({
      message: "You have reached your daily limit.",
      category: "RATE_LIMIT",
      policyName: "DAILY",
      correlationId: "c-daily",
    });
  });

  it("prefers category over errorType on a ten-secondly rate-limit body", () => {
    expect(parseErrorBody(BODIES.tenSecondly)).toMatchObject({
      category: "RATE_LIMITS",
      policyName: "TEN_SECONDLY_ROLLING",
    });
  });

  it("reads the required scopes of a 403 MISSING_SCOPES body from errors[].context", () => {
    const parsed = parseErrorBody(BODIES.missingScopes);
    expect(parsed.category).toBe("MISSING_SCOPES");
    expect(parsed.errors[0]?.context?.requiredGranularScopes).toEqual([
      "crm.schemas.deals.read",
      "crm.objects.deals.read",
    ]);
  });

  it("reads category and context of a 401 EXPIRED_AUTHENTICATION body", () => {
    const parsed = parseErrorBody(BODIES.expired);
    expect(parsed.category).toBe("EXPIRED_AUTHENTICATION");
    expect(parsed.context).toEqual({ "expire time": ["2022-06-21T10:37:52.040Z"] });
  });

  it("reads an OAuth error's error as code and its status as category", () => {
    expect(parseErrorBody(BODIES.badRefreshToken)).toMatchObject({
      code: "invalid_grant",
      category: "BAD_REFRESH_TOKEN",
      message: "refresh token is invalid, expired or revoked",
    });
  });

  it("does not take the generic status 'error' for a category", () => {
    expect(parseErrorBody(JSON.stringify({ status: "error", message: "x" })).category).toBeUndefined();
  });

  it("takes the first errors[].code as code when there is no top-level error", () => {
    const body = JSON.stringify({
      category: "VALIDATION_ERROR",
      errors: [{ message: "a" }, { code: "INVALID_EMAIL" }],
    });
    expect(parseErrorBody(body).code).toBe("INVALID_EMAIL");
  });

  it("yields no fields for an HTML 502 page", () => {
    expect(parseErrorBody(BODIES.html502)).toEqual({ errors: [] });
  });

  it("yields no fields for an empty body", () => {
    expect(parseErrorBody("")).toEqual({ errors: [] });
  });

  it("ignores fields of the wrong type instead of failing", () => {
    const body = JSON.stringify({
      category: 42,
      message: ["no"],
      errors: "nope",
      context: { ids: [1, "7"] },
    });
    expect(parseErrorBody(body)).toMatchObject({ errors: [], context: { ids: ["7"] } });
    expect(parseErrorBody(body).category).toBeUndefined();
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds as milliseconds", () => {
    expect(parseRetryAfter("12")).toBe(12_000);
  });

  it("reads an HTTP date relative to now", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
  });

  it("ignores a missing or unreadable value", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
