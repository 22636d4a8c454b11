import { describe, expect, it } from "vitest";
import { ConfigError, SystemError, TransientError } from "../../../src/errors.js";
import {
  HubSpotApiError,
  HubSpotNetworkError,
  HubSpotResponseError,
} from "../../../src/hubspot/api-errors.js";
import { REFRESH_TOKEN_REJECTED_MESSAGE, toConnectorError } from "../../../src/hubspot/classify.js";
import { parseErrorBody } from "../../../src/hubspot/error-body.js";

const apiError = (status: number, body: Record<string, unknown> = {}, retryAfterMs?: number) =>
  new HubSpotApiError({
    method: "GET",
    path: "/crm/v3/properties/0-3",
    status,
    parsed: parseErrorBody(JSON.stringify(body)),
    retryAfterMs,
  });

const context = { operation: "reading the properties of DEAL", objectName: "DEAL", timeZone: "Europe/Paris" };

type Kind = typeof ConfigError | typeof TransientError | typeof SystemError;

describe("toConnectorError", () => {
  const table: [string, unknown, Kind, RegExp][] = [
    [
      "401 INVALID_AUTHENTICATION",
      apiError(401, { category: "INVALID_AUTHENTICATION" }),
      ConfigError,
      /^HubSpot rejected the access token while reading the properties of DEAL \(401 INVALID_AUTHENTICATION\)/,
    ],
    [
      "401 EXPIRED_AUTHENTICATION (after the refresh)",
      apiError(401, { category: "EXPIRED_AUTHENTICATION" }),
      ConfigError,
      /rejected the OAuth access token as expired .* even after the connector renewed it; reconnect/,
    ],
    [
      "403 MISSING_SCOPES",
      apiError(403, {
        category: "MISSING_SCOPES",
        errors: [
          { context: { requiredGranularScopes: ["crm.schemas.deals.read", "crm.objects.deals.read"] } },
        ],
      }),
      ConfigError,
      /HubSpot needs one of these scopes: crm\.schemas\.deals\.read, crm\.objects\.deals\.read\./,
    ],
    [
      "403 without a scope problem (tier-gated)",
      apiError(403, { category: "FORBIDDEN" }),
      ConfigError,
      /\(403 FORBIDDEN\): the account's subscription may not include this feature/,
    ],
    [
      "404",
      apiError(404, { category: "OBJECT_NOT_FOUND" }),
      ConfigError,
      /the object DEAL does not exist in this HubSpot account/,
    ],
    [
      "431 (headers too large: a credential far longer than any token)",
      apiError(431),
      ConfigError,
      /431 Request Header Fields Too Large: the credentials are far longer than any HubSpot token/,
    ],
    [
      "429 DAILY",
      apiError(429, { errorType: "RATE_LIMIT", policyName: "DAILY" }),
      TransientError,
      /daily API request limit .* resets at midnight in the account's time zone \(Europe\/Paris\)/,
    ],
    [
      "429 TEN_SECONDLY_ROLLING",
      apiError(429, { policyName: "TEN_SECONDLY_ROLLING" }),
      TransientError,
      /kept answering 429 Too Many Requests \(TEN_SECONDLY_ROLLING\)/,
    ],
    ["423 Locked", apiError(423), TransientError, /423 Locked/],
    ["477 Migration in Progress", apiError(477, {}, 90_000), TransientError, /waiting 90 s/],
    ["500", apiError(500), TransientError, /answered 500 .* usually temporary/],
    ["502 with an HTML page", apiError(502), TransientError, /answered 502/],
    ["524", apiError(524), TransientError, /answered 524/],
    [
      "501 Not Implemented: a base URL that does not serve the route, named with its URL",
      new HubSpotApiError({
        method: "POST",
        path: "/crm/v3/objects/0-1/batch/upsert",
        url: "http://127.0.0.1:9/not-hubspot/crm/v3/objects/0-1/batch/upsert",
        status: 501,
        parsed: parseErrorBody(""),
      }),
      ConfigError,
      /^The server at the base URL does not implement POST http:\/\/127\.0\.0\.1:9\/not-hubspot\/crm\/v3\/objects\/0-1\/batch\/upsert \(501 Not Implemented\)/,
    ],
    [
      "404 from a route every account has, named with its URL",
      new HubSpotApiError({
        method: "GET",
        path: "/crm/v3/properties/0-1",
        url: "http://127.0.0.1:9/crm/v3/properties/0-1",
        status: 404,
        parsed: parseErrorBody(""),
      }),
      ConfigError,
      /^HubSpot found nothing at GET http:\/\/127\.0\.0\.1:9\/crm\/v3\/properties\/0-1 while/,
    ],
    [
      "a refused connection, named with its URL",
      new HubSpotNetworkError({
        method: "POST",
        path: "/x",
        url: "http://127.0.0.1:9/x",
        cause: Object.assign(new Error("r"), { code: "ECONNREFUSED" }),
      }),
      TransientError,
      /the connection to HubSpot was refused \(POST http:\/\/127\.0\.0\.1:9\/x\)\. Check the network and the base URL/,
    ],
    [
      "a network timeout",
      new HubSpotNetworkError({
        method: "GET",
        path: "/x",
        cause: Object.assign(new Error("t"), { code: "HEADERS_TIMEOUT" }),
      }),
      TransientError,
      /HubSpot did not answer in time/,
    ],
    [
      "400 invalid_grant from the token endpoint",
      apiError(400, { error: "invalid_grant", status: "BAD_REFRESH_TOKEN" }),
      ConfigError,
      /^HubSpot rejected the OAuth refresh token \(invalid, expired or revoked\); reconnect this HubSpot destination/,
    ],
    [
      "400 invalid_client from the token endpoint",
      apiError(400, { error: "invalid_client", status: "BAD_CLIENT_ID" }),
      ConfigError,
      /client id or client secret/,
    ],
    [
      "400 VALIDATION_ERROR",
      apiError(400, { category: "VALIDATION_ERROR", message: "bad" }),
      SystemError,
      /: bad\.$/,
    ],
    ["409 CONFLICT", apiError(409, { category: "CONFLICT" }), SystemError, /with 409 CONFLICT/],
    [
      "a 2xx body that is not JSON",
      new HubSpotResponseError({ method: "GET", path: "/x", status: 200, problem: "not-json" }),
      SystemError,
      /could not be used/,
    ],
    ["an unexpected throwable", new TypeError("boom"), SystemError, /Unexpected internal error: boom/],
  ];

  it.each(table)("classifies %s", (_title, error, kind, message) => {
    const classified = toConnectorError(error, context);
    expect(classified).toBeInstanceOf(kind);
    expect(classified.message).toMatch(message);
  });

  it("keeps the HubSpot error as cause and its technical message as internal message", () => {
    const error = apiError(403, { category: "MISSING_SCOPES", correlationId: "c-1" });
    const classified = toConnectorError(error, context);
    expect(classified.cause).toBe(error);
    expect(classified.internalMessage).toContain("GET /crm/v3/properties/0-3 with 403 MISSING_SCOPES");
    expect(classified.internalMessage).toContain("c-1");
  });

  it("passes a connector error through unchanged", () => {
    const error = new ConfigError("already classified");
    expect(toConnectorError(error, context)).toBe(error);
  });

  it("uses the shared wording for a rejected refresh token", () => {
    const classified = toConnectorError(apiError(400, { error: "invalid_grant" }), context);
    expect(classified.message).toBe(REFRESH_TOKEN_REJECTED_MESSAGE);
  });
});
