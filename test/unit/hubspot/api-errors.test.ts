import { describe, expect, it } from "vitest";
import { HubSpotApiError, HubSpotNetworkError, networkErrorKind } from "../../../src/hubspot/api-errors.js";
import { parseErrorBody } from "../../../src/hubspot/error-body.js";

const MISSING_SCOPES = JSON.stringify({
  status: "error",
  message: "This app hasn't been granted all required scopes to make this call.",
  correlationId: "c-scopes",
  errors: [
    {
      message: "One or more of the following scopes are required.",
      context: { requiredGranularScopes: ["crm.schemas.deals.read", "crm.objects.deals.read"] },
    },
  ],
  category: "MISSING_SCOPES",
});

describe("HubSpotApiError", () => {
  const error = (body: string, status = 403) =>
    new HubSpotApiError({
      method: "GET",
      path: "/crm/v3/properties/0-3",
      status,
      parsed: parseErrorBody(body),
    });

  it("names the request, status, category and correlation id in its message", () => {
    expect(error(MISSING_SCOPES).message).toBe(
      "HubSpot answered GET /crm/v3/properties/0-3 with 403 MISSING_SCOPES: This app hasn't been granted all required scopes to make this call. (correlation id c-scopes)",
    );
  });

  it("collects the required scopes from the error details", () => {
    expect(error(MISSING_SCOPES).requiredScopes).toEqual([
      "crm.schemas.deals.read",
      "crm.objects.deals.read",
    ]);
  });

  it("collects scopes given as missingScopes, the key HubSpot's spec example uses", () => {
    const body = JSON.stringify({
      category: "MISSING_SCOPES",
      errors: [{ context: { missingScopes: ["oauth"] } }],
    });
    expect(error(body).requiredScopes).toEqual(["oauth"]);
  });

  it("keeps the JSON body for the per-record batch parsing", () => {
    expect(error(JSON.stringify({ category: "EXPIRED_AUTHENTICATION" }), 401).body).toMatchObject({
      category: "EXPIRED_AUTHENTICATION",
    });
  });

  it("has a literal name", () => {
    expect(error("<html>502</html>", 502).name).toBe("HubSpotApiError");
  });
});

describe("networkErrorKind", () => {
  const withCode = (code: string, name = "Error") => Object.assign(new Error("x"), { code, name });
  const cases: [string, unknown, string][] = [
    ["a headers timeout", withCode("HEADERS_TIMEOUT"), "timeout"],
    ["a connect timeout", withCode("CONNECT_TIMEOUT"), "timeout"],
    ["a body timeout", withCode("BODY_TIMEOUT"), "timeout"],
    ["a reset connection", withCode("ECONNRESET"), "reset"],
    ["a pool closed under the request", withCode("POOL_CLOSED"), "reset"],
    ["a refused connection", withCode("ECONNREFUSED"), "refused"],
    ["an unknown host", withCode("ENOTFOUND"), "dns"],
    ["a certificate problem", withCode("CERT_HAS_EXPIRED"), "tls"],
    ["an aborted request", withCode("ABORT_ERR", "AbortError"), "aborted"],
    [
      "a cause two levels down",
      new Error("outer", { cause: new Error("inner", { cause: withCode("ECONNREFUSED") }) }),
      "refused",
    ],
    ["something else", new Error("??"), "other"],
  ];

  it.each(cases)("recognises %s", (_title, error, kind) => {
    expect(networkErrorKind(error).kind).toBe(kind);
  });

  it("keeps the cause on a HubSpotNetworkError", () => {
    const cause = withCode("ECONNRESET");
    const error = new HubSpotNetworkError({
      method: "POST",
      path: "/crm/v3/objects/0-1/batch/upsert",
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      "HubSpot request POST /crm/v3/objects/0-1/batch/upsert failed: the connection was closed or reset (ECONNRESET)",
    );
  });
});
