import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { batch, call, paths, postForm, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const car = (id: string, properties: Record<string, string>, trace: string) => ({
  id,
  idProperty: "car_id",
  properties,
  objectWriteTraceId: trace,
});

describe.each(VERSIONS)("sandbox paths at version %s", (version) => {
  it("upserts on the object path of this version", async () => {
    const answer = await batch(sandbox, version, "cars", "upsert", {
      inputs: [car("V1", { make: "Saab" }, "t1")],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results?.[0]).toMatchObject({ new: true, properties: { car_id: "V1", make: "Saab" } });
    expect(sandbox.store.findRecord("cars", "car_id", "V1")).toBeDefined();
  });

  it("reports a partly failed upsert as 207 on legacy and 2026-03 paths and as 200 with errors on 2026-09", async () => {
    const answer = await batch(sandbox, version, "cars", "upsert", {
      inputs: [car("V1", { year: "1999" }, "good"), car("V2", { year: "nineteen" }, "bad")],
    });
    expect(answer.status).toBe(version === "2026-09" ? 200 : 207);
    expect(answer.body.numErrors).toBe(1);
    expect(answer.body.errors?.[0]?.context?.objectWriteTraceId).toEqual(["bad"]);
    expect(answer.body.results).toHaveLength(1);
  });

  it("reports a partly failed batch create as 207, or as 201 with errors on 2026-09", async () => {
    const answer = await batch(sandbox, version, "cars", "create", {
      inputs: [
        { properties: { car_id: "V1" }, objectWriteTraceId: "good" },
        { properties: { car_id: "V2", color: "green" }, objectWriteTraceId: "bad" },
      ],
    });
    expect(answer.status).toBe(version === "2026-09" ? 201 : 207);
    expect(answer.body.numErrors).toBe(1);
  });

  it("reports ids a batch read did not find as 207, or as 200 with errors on 2026-09", async () => {
    await batch(sandbox, version, "cars", "upsert", { inputs: [car("V1", {}, "t")] });
    const answer = await batch(sandbox, version, "cars", "read", {
      idProperty: "car_id",
      inputs: [{ id: "V1" }, { id: "V9" }],
    });
    expect(answer.status).toBe(version === "2026-09" ? 200 : 207);
    expect(answer.body.errors?.[0]).toMatchObject({ category: "OBJECT_NOT_FOUND", context: { ids: ["V9"] } });
  });

  it("archives a batch with 204 and no body, as every version's spec declares", async () => {
    const created = await batch(sandbox, version, "cars", "upsert", { inputs: [car("V1", {}, "t")] });
    const answer = await batch(sandbox, version, "cars", "archive", {
      inputs: [{ id: String(created.body.results?.[0]?.id) }],
    });
    expect(answer.status).toBe(204);
    expect(sandbox.store.listRecords("cars")).toHaveLength(0);
  });

  it("serves properties, schemas and account details", async () => {
    const properties = await call(sandbox, "GET", paths.properties(version, "contacts"));
    expect(properties.body.results?.map((property) => property.name)).toContain("email");
    const schemas = await call(sandbox, "GET", paths.schemas(version));
    expect(schemas.body.results?.map((schema) => schema.name)).toEqual(["cars", "pets"]);
    const account = await call(sandbox, "GET", paths.account(version));
    expect(account.body.portalId).toBe(sandbox.portalId);
  });

  it("sends custom events and reads event definitions", async () => {
    const send = await call(sandbox, "POST", `${paths.events(version)}/send/batch`, {
      inputs: [{ eventName: `pe${sandbox.portalId}_signed_up`, email: "a@x.co", uuid: `u-${version}` }],
    });
    expect(send.status).toBe(204);
    expect(sandbox.store.events.list("signed_up")).toHaveLength(1);
    const definitions = await call(sandbox, "GET", `${paths.events(version)}/event-definitions`);
    expect(definitions.body.results?.map((definition) => definition.name)).toContain("signed_up");
  });

  it("exchanges a refresh token for an access token that works on this version's paths", async () => {
    const grant = await postForm(sandbox, paths.token(version), {
      grant_type: "refresh_token",
      client_id: "sandbox-client-id",
      client_secret: "sandbox-client-secret",
      refresh_token: "sandbox-refresh-token",
    });
    expect(grant.status).toBe(200);
    expect(grant.body.token_use).toBe(version === "legacy" ? undefined : "access_token");
    const read = await call(
      sandbox,
      "GET",
      paths.properties(version, "deals"),
      undefined,
      String(grant.body.access_token),
    );
    expect(read.status).toBe(200);
  });

  it("answers an implemented route with an unknown object type as HubSpot does, with 400", async () => {
    const answer = await batch(sandbox, version, "spaceships", "upsert", { inputs: [] });
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toBe("Unable to infer object type from: spaceships");
  });

  it.each([
    ["POST", "/gdpr-delete"],
    ["POST", "/batch/frobnicate"],
  ])("answers %s …%s, which it does not implement, with a clear 501", async (method, suffix) => {
    const path = `${paths.objects(version, "contacts")}${suffix}`;
    const answer = await call(sandbox, method, path, {});
    expect(answer.status).toBe(501);
    expect(answer.body).toMatchObject({
      status: "error",
      category: "NOT_IMPLEMENTED",
      message: `The sandbox does not implement ${method} ${path}`,
    });
  });
});

describe("sandbox paths of unknown versions and families", () => {
  it.each([
    "/crm/objects/2025-01/contacts/batch/upsert",
    "/crm/properties/2025-09/contacts",
    "/events/2027-03/send",
  ])("answers a date version it does not know (%s) with 501, not a 404", async (path) => {
    const answer = await call(sandbox, "POST", path, { inputs: [] });
    expect(answer.status).toBe(501);
    expect(answer.body.category).toBe("NOT_IMPLEMENTED");
    expect(String(answer.body.message)).toMatch(/^API version \d{4}-\d{2} is not implemented by the sandbox/);
  });

  it("points 2026-09 event calls that miss the /events/custom/ prefix at HubSpot's path", async () => {
    const answer = await call(sandbox, "POST", "/events/2026-09/send/batch", { inputs: [] });
    expect(answer.status).toBe(501);
    expect(String(answer.body.message)).toContain("under /events/custom/2026-09/");
  });

  it("answers a path of no known family with 501 after authenticating the caller", async () => {
    expect((await call(sandbox, "GET", "/cms/v3/pages", undefined, null)).status).toBe(401);
    const answer = await call(sandbox, "GET", "/cms/v3/pages");
    expect(answer.status).toBe(501);
    expect(answer.body.message).toBe("The sandbox does not implement GET /cms/v3/pages");
  });

  it("serves schemas on the legacy /crm/v3/schemas path the SDKs use", async () => {
    const answer = await call(sandbox, "GET", "/crm/v3/schemas");
    expect(answer.body.results).toHaveLength(2);
  });

  it("sends the same rate-limit headers on dated and legacy paths", async () => {
    const legacy = await call(sandbox, "GET", paths.properties("legacy", "contacts"));
    const dated = await call(sandbox, "GET", paths.properties("2026-09", "contacts"));
    for (const name of [
      "x-hubspot-ratelimit-max",
      "x-hubspot-ratelimit-interval-milliseconds",
      "x-hubspot-ratelimit-daily",
    ]) {
      expect(dated.headers.get(name)).toBe(legacy.headers.get(name));
    }
    expect(Number(dated.headers.get("x-hubspot-ratelimit-remaining"))).toBe(
      Number(legacy.headers.get("x-hubspot-ratelimit-remaining")) - 1,
    );
  });
});
