import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ALL_SCOPES,
  READ_ONLY_PRIVATE_APP_TOKEN,
  READ_ONLY_SCOPES,
  type Sandbox,
  startSandbox,
} from "../../src/sandbox/server.js";
import { batch, call, paths, postForm } from "./helpers.js";

let sandbox: Sandbox;
let seeded: Sandbox;

const TOKEN_INFO = "/oauth/v2/private-apps/get/access-token-info";

beforeAll(async () => {
  sandbox = await startSandbox({
    privateAppTokens: [
      { token: "pat-na1-known", scopes: ["crm.objects.contacts.read"], appId: 303, userId: 101 },
      { token: "pat-na2-service-key", scopes: ["crm.objects.contacts.read"], introspectable: false },
      { token: "pat-eu1-europe", scopes: ["oauth"] },
    ],
  });
  seeded = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  await seeded.close();
});

const client = { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" };

describe("private-app token info", () => {
  it("describes a configured token with its user, hub, app and scopes, without an Authorization header", async () => {
    const answer = await call(sandbox, "POST", TOKEN_INFO, { tokenKey: "pat-na1-known" }, null);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      userId: 101,
      hubId: sandbox.portalId,
      appId: 303,
      scopes: ["crm.objects.contacts.read"],
    });
  });

  it.each([
    ["an unknown token", "pat-na1-unknown"],
    ["a credential marked not introspectable (a service key it does not know)", "pat-na2-service-key"],
  ])("answers %s with 401 INVALID_AUTHENTICATION", async (_case, tokenKey) => {
    const answer = await call(sandbox, "POST", TOKEN_INFO, { tokenKey }, null);
    expect(answer.status).toBe(401);
    expect(answer.body.category).toBe("INVALID_AUTHENTICATION");
  });

  it("still lets a token it does not introspect call the API", async () => {
    const answer = await call(
      sandbox,
      "GET",
      paths.properties("legacy", "contacts"),
      undefined,
      "pat-na2-service-key",
    );
    expect(answer.status).toBe(200);
  });

  it("describes an EU token only when it is also the bearer token", async () => {
    const without = await call(sandbox, "POST", TOKEN_INFO, { tokenKey: "pat-eu1-europe" }, null);
    expect(without.status).toBe(401);
    const withBearer = await call(
      sandbox,
      "POST",
      TOKEN_INFO,
      { tokenKey: "pat-eu1-europe" },
      "pat-eu1-europe",
    );
    expect(withBearer.status).toBe(200);
  });

  it("refuses a body without tokenKey with 400", async () => {
    const answer = await call(sandbox, "POST", TOKEN_INFO, {}, null);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("[tokenKey]");
  });
});

describe("the seeded read-only token", () => {
  it("has every scope but the CRM write scopes", async () => {
    const answer = await call(seeded, "POST", TOKEN_INFO, { tokenKey: READ_ONLY_PRIVATE_APP_TOKEN }, null);
    expect(answer.body.scopes).toEqual(READ_ONLY_SCOPES);
    expect(READ_ONLY_SCOPES).toContain("crm.objects.contacts.read");
    expect(READ_ONLY_SCOPES).toContain("analytics.behavioral_events.send");
    expect(ALL_SCOPES.filter((scope) => !READ_ONLY_SCOPES.includes(scope))).toEqual(
      expect.arrayContaining(["crm.objects.contacts.write", "crm.objects.custom.write", "e-commerce"]),
    );
  });

  it("reads but may not write", async () => {
    const read = await call(
      seeded,
      "GET",
      paths.properties("2026-03", "contacts"),
      undefined,
      READ_ONLY_PRIVATE_APP_TOKEN,
    );
    expect(read.status).toBe(200);
    const write = await batch(
      seeded,
      "2026-03",
      "contacts",
      "upsert",
      { inputs: [] },
      READ_ONLY_PRIVATE_APP_TOKEN,
    );
    expect(write.status).toBe(403);
    expect(write.body.category).toBe("MISSING_SCOPES");
  });
});

describe.each(["2026-03", "2026-09"])("OAuth introspection at version %s", (version) => {
  const introspect = (form: Record<string, string>) =>
    postForm(seeded, `/oauth/${version}/token/introspect`, form);

  it("describes an access token it issued as active, with hub, scopes, expiry and client", async () => {
    const grant = await postForm(seeded, paths.token(version as "2026-03"), {
      ...client,
      grant_type: "refresh_token",
      refresh_token: "sandbox-refresh-token",
    });
    const answer = await introspect({ ...client, token: String(grant.body.access_token) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      active: true,
      hub_id: seeded.portalId,
      client_id: "sandbox-client-id",
      scopes: [...ALL_SCOPES],
      token_use: "access_token",
    });
    expect(answer.body.expires_in).toBeGreaterThan(1790);
  });

  it("answers a token it does not know with active false, and a bad client secret with 400", async () => {
    expect((await introspect({ ...client, token: "nope" })).body).toEqual({ active: false });
    const bad = await introspect({ ...client, client_secret: "wrong", token: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.status).toBe("BAD_CLIENT_SECRET");
  });

  it("does not know private-app tokens, which are not OAuth tokens", async () => {
    const answer = await introspect({ ...client, token: "sandbox-private-app-token" });
    expect(answer.body.active).toBe(false);
  });
});
