import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call } from "./helpers.js";

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    privateAppTokens: [
      {
        token: "pat-all",
        scopes: ["crm.objects.contacts.read", "crm.schemas.contacts.read", "crm.objects.contacts.write"],
      },
    ],
    oauthClients: [
      {
        clientId: "cid",
        clientSecret: "cs",
        refreshTokens: ["rt"],
        scopes: ["oauth", "crm.objects.deals.read"],
      },
    ],
    accessTokenTtlSeconds: 60,
  });
});

afterAll(async () => {
  await sandbox.close();
});

const refresh = (form: Record<string, string>) =>
  fetch(`${sandbox.url}/oauth/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });

describe("sandbox authentication", () => {
  it("answers a missing or unknown token with HubSpot's 401 INVALID_AUTHENTICATION body", async () => {
    for (const token of [null, "pat-unknown"]) {
      const answer = await call(sandbox, "GET", "/crm/v3/properties/contacts", undefined, token);
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
      expect(answer.body.correlationId).toEqual(expect.any(String));
    }
  });

  it("answers a missing scope with 403 MISSING_SCOPES naming the scopes that would do", async () => {
    const answer = await call(sandbox, "GET", "/crm/v3/properties/deals", undefined, "pat-all");
    expect(answer.status).toBe(403);
    expect(answer.body.category).toBe("MISSING_SCOPES");
    expect(JSON.stringify(answer.body.errors)).toContain("crm.schemas.deals.read");
  });

  it("exchanges a refresh token for an expiring access token that introspection describes", async () => {
    const response = await refresh({
      grant_type: "refresh_token",
      client_id: "cid",
      client_secret: "cs",
      refresh_token: "rt",
    });
    expect(response.status).toBe(200);
    const grant = (await response.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(grant).toMatchObject({ token_type: "bearer", expires_in: 60 });
    const info = await call(sandbox, "GET", `/oauth/v1/access-tokens/${grant.access_token}`, undefined, null);
    expect(info.body).toMatchObject({
      hub_id: sandbox.portalId,
      scopes: ["oauth", "crm.objects.deals.read"],
    });
    const read = await call(sandbox, "GET", "/crm/v3/properties/deals", undefined, grant.access_token);
    expect(read.status).toBe(200);
    expect(read.headers.get("x-hubspot-ratelimit-daily")).toBeNull();
  });

  it("refuses a bad refresh token with HubSpot's BAD_REFRESH_TOKEN body", async () => {
    const response = await refresh({
      grant_type: "refresh_token",
      client_id: "cid",
      client_secret: "cs",
      refresh_token: "nope",
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ status: "BAD_REFRESH_TOKEN", error: "invalid_grant" });
  });

  it("answers an expired access token with 401 EXPIRED_AUTHENTICATION", async () => {
    const grant = (await (
      await refresh({
        grant_type: "refresh_token",
        client_id: "cid",
        client_secret: "cs",
        refresh_token: "rt",
      })
    ).json()) as { access_token: string };
    sandbox.auth.expireAll();
    const answer = await call(sandbox, "GET", "/crm/v3/properties/deals", undefined, grant.access_token);
    expect(answer.status).toBe(401);
    expect(answer.body.category).toBe("EXPIRED_AUTHENTICATION");
    expect(String(answer.body.message)).toMatch(/expired \d+ second\(s\) ago/);
  });

  it("does not know private app tokens at the introspection endpoint", async () => {
    const answer = await call(sandbox, "GET", "/oauth/v1/access-tokens/pat-all", undefined, null);
    expect(answer.status).toBe(404);
  });
});
