import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { HubSpotResponseError } from "../../../src/hubspot/api-errors.js";
import { HubSpotClient, type HubSpotClientOptions } from "../../../src/hubspot/client.js";
import { type SeenRequest, type StubServer, sendJson, startStubServer } from "./stub-server.js";

let stub: StubServer;
const clients: HubSpotClient[] = [];

beforeEach(async () => {
  stub = await startStubServer();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await stub.close();
});

const OAUTH = { type: "OAuth", client_id: "cid", client_secret: "csecret", refresh_token: "rtoken" } as const;

function client(options: Partial<HubSpotClientOptions> = {}): HubSpotClient {
  // These cases speak the legacy paths; the dated ones have their own cases below.
  const created = new HubSpotClient({ baseUrl: stub.baseUrl, auth: OAUTH, apiVersion: "legacy", ...options });
  clients.push(created);
  return created;
}

/** A tiny HubSpot: a token endpoint issuing token-1, token-2, … and fixed answers for the other paths. */
function serveHubSpot(answers: Record<string, unknown>, tokenLifetimeSeconds = 1800) {
  let issued = 0;
  stub.handle((request, response) => {
    const path = request.url.split("?")[0] ?? "";
    if (path === "/oauth/v1/token") {
      issued += 1;
      return sendJson(response, 200, {
        token_type: "bearer",
        access_token: `token-${issued}`,
        refresh_token: "rtoken",
        expires_in: tokenLifetimeSeconds,
      });
    }
    if (path in answers) return sendJson(response, 200, answers[path]);
    return sendJson(response, 404, { status: "error", category: "OBJECT_NOT_FOUND", message: "not found" });
  });
}

const apiCalls = (seen: SeenRequest[]) => seen.filter((request) => request.url !== "/oauth/v1/token");

describe("HubSpotClient", () => {
  it("exchanges the refresh token with a form POST and sends the access token as a bearer token", async () => {
    serveHubSpot({ "/account-info/v3/details": { portalId: 123, timeZone: "Europe/Paris" } });
    const details = await client().getAccountDetails();
    expect(details).toMatchObject({ portalId: 123, timeZone: "Europe/Paris" });
    const [token, account] = stub.seen;
    expect(token?.method).toBe("POST");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toEqual({
      grant_type: "refresh_token",
      client_id: "cid",
      client_secret: "csecret",
      refresh_token: "rtoken",
    });
    expect(account?.headers.authorization).toBe("Bearer token-1");
  });

  it("refreshes the access token when the clock passes its renewal time", async () => {
    serveHubSpot({ "/crm/v3/schemas": { results: [] } });
    let now = 0;
    const hubspot = client({ now: () => now });
    await hubspot.listSchemas();
    now = 1740_000;
    await hubspot.listSchemas();
    expect(apiCalls(stub.seen).map((request) => request.headers.authorization)).toEqual([
      "Bearer token-1",
      "Bearer token-2",
    ]);
  });

  it("on a dated API version, refreshes at /oauth/{version}/token and introspects with a form POST", async () => {
    let issued = 0;
    stub.handle((request, response) => {
      if (request.url === "/oauth/2026-09/token") {
        issued += 1;
        return sendJson(response, 200, { access_token: `token-${issued}`, expires_in: 1800 });
      }
      if (request.url === "/oauth/2026-09/token/introspect") {
        return sendJson(response, 200, { active: true, hub_id: 42, scopes: ["oauth"], client_id: "cid" });
      }
      return sendJson(response, 404, { status: "error", message: "not found" });
    });
    const hubspot = client({ apiVersion: "2026-09" });
    const info = await hubspot.getAccessTokenInfo();
    expect(info).toEqual({ active: true, hub_id: 42, scopes: ["oauth"] });
    const introspection = stub.seen.find((request) => request.url.endsWith("/introspect"));
    expect(introspection?.method).toBe("POST");
    expect(new URLSearchParams(introspection?.body).get("token")).toBe("token-1");
    expect(introspection?.headers.authorization).toBeUndefined();
  });

  it("reads a private app token's scopes from access-token-info, sending the token in the body and header", async () => {
    stub.handle((request, response) =>
      request.url === "/oauth/v2/private-apps/get/access-token-info"
        ? sendJson(response, 200, { userId: 1, hubId: 42, appId: 3, scopes: ["crm.objects.contacts.read"] })
        : sendJson(response, 404, {}),
    );
    const hubspot = client({ auth: { type: "Private App", access_token: "pat-na1-x" } });
    expect(await hubspot.getPrivateAppTokenInfo()).toEqual({
      hubId: 42,
      scopes: ["crm.objects.contacts.read"],
      appId: 3,
      userId: 1,
    });
    expect(JSON.parse(stub.seen[0]?.body ?? "{}")).toEqual({ tokenKey: "pat-na1-x" });
    expect(stub.seen[0]?.headers.authorization).toBe("Bearer pat-na1-x");
  });

  it("answers undefined when access-token-info does not know the token, so the caller can fall back", async () => {
    stub.handle((_request, response) =>
      sendJson(response, 401, { status: "error", category: "INVALID_AUTHENTICATION", message: "unknown" }),
    );
    const hubspot = client({ auth: { type: "Private App", access_token: "pat-na2-service-key" } });
    expect(await hubspot.getPrivateAppTokenInfo()).toBeUndefined();
  });

  it("introspects the OAuth access token without keeping the token in the answer", async () => {
    serveHubSpot({
      "/oauth/v1/access-tokens/token-1": {
        token: "token-1",
        hub_id: 42,
        scopes: ["oauth", "crm.objects.contacts.write"],
        app_id: 7,
        expires_in: 1700,
        signed_access_token: { hubId: 42 },
      },
    });
    const hubspot = client();
    const info = await hubspot.getAccessTokenInfo();
    expect(info).toEqual({
      hub_id: 42,
      scopes: ["oauth", "crm.objects.contacts.write"],
      app_id: 7,
      expires_in: 1700,
    });
    expect(stub.seen[1]?.headers.authorization).toBeUndefined();
    expect(hubspot.currentAccessToken).toBe("token-1");
  });

  it("answers no token info for a private app token, without asking HubSpot", async () => {
    const hubspot = client({ auth: { type: "Private App", access_token: "pat-na1-x" } });
    expect(await hubspot.getAccessTokenInfo()).toBeUndefined();
    expect(stub.seen).toHaveLength(0);
    expect(hubspot.authKind).toBe("private-app");
  });

  it("lists properties by type id, treating nulls as absent and dropping entries without a name", async () => {
    serveHubSpot({
      "/crm/v3/properties/0-2": {
        results: [
          { name: "domain", type: "string", hasUniqueValue: true, description: null, options: [] },
          { label: "no name", type: "string" },
          { name: "stage", type: "enumeration", options: [{ value: 1, label: "One", hidden: false }] },
        ],
      },
    });
    const properties = await client({ auth: { type: "Private App", access_token: "pat" } }).listProperties(
      "0-2",
    );
    expect(properties.map((property) => property.name)).toEqual(["domain", "stage"]);
    expect(properties[0]).not.toHaveProperty("description");
    expect(properties[1]?.options?.[0]?.value).toBe("1");
  });

  it("asks for sensitive properties only when told to", async () => {
    serveHubSpot({ "/crm/v3/properties/0-1": { results: [] } });
    const hubspot = client({ auth: { type: "Private App", access_token: "pat" } });
    await hubspot.listProperties("0-1");
    await hubspot.listProperties("0-1", { dataSensitivity: "sensitive" });
    expect(stub.seen.map((request) => request.url)).toEqual([
      "/crm/v3/properties/0-1",
      "/crm/v3/properties/0-1?dataSensitivity=sensitive",
    ]);
  });

  it("lists custom object schemas with their inline properties", async () => {
    serveHubSpot({
      "/crm/v3/schemas": {
        results: [
          {
            id: "123",
            name: "cars",
            objectTypeId: "2-123",
            fullyQualifiedName: "p42_cars",
            requiredProperties: ["vin"],
            properties: [{ name: "vin", type: "string", hasUniqueValue: true }],
          },
          { name: "no_properties", objectTypeId: "2-124" },
        ],
      },
    });
    const schemas = await client().listSchemas();
    expect(schemas.map((schema) => [schema.name, schema.objectTypeId, schema.properties.length])).toEqual([
      ["cars", "2-123", 1],
      ["no_properties", "2-124", 0],
    ]);
  });

  it("throws a HubSpotResponseError when an answer lacks what the client relies on", async () => {
    serveHubSpot({ "/account-info/v3/details": { timeZone: "UTC" } });
    const error = await client()
      .getAccountDetails()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HubSpotResponseError);
    expect(error).toMatchObject({ problem: "unexpected-shape", path: "/account-info/v3/details" });
  });

  it("fails with a ConfigError when HubSpot rejects the refresh token", async () => {
    stub.handle((_request, response) =>
      sendJson(response, 400, {
        error: "invalid_grant",
        error_description: "refresh token is invalid, expired or revoked",
        status: "BAD_REFRESH_TOKEN",
        message: "refresh token is invalid, expired or revoked",
      }),
    );
    const error = await client()
      .listSchemas()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^HubSpot rejected the OAuth refresh token/);
    expect(stub.seen).toHaveLength(1);
  });

  it("posts JSON for the write path and answers status and body", async () => {
    stub.handle((_request, response) => sendJson(response, 207, { status: "COMPLETE", results: [] }));
    const answer = await client({ auth: { type: "Private App", access_token: "pat" } }).postJson(
      "/crm/v3/objects/0-1/batch/upsert",
      { inputs: [] },
    );
    expect(answer).toEqual({ status: 207, body: { status: "COMPLETE", results: [] } });
    expect(stub.seen[0]?.body).toBe('{"inputs":[]}');
  });
});
