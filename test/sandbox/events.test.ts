import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const event = (extra: Record<string, unknown> = {}) => ({
  eventName: "pe12345678_signed_up", // the default portal id
  email: "a@x.co",
  properties: { plan: "pro" },
  ...extra,
});
const sendBatch = (inputs: unknown[]) => call(sandbox, "POST", "/events/v3/send/batch", { inputs });

describe("sandbox custom events", () => {
  it("answers 204 and stores the occurrences of a valid batch", async () => {
    const answer = await sendBatch([event({ uuid: "u1" }), event({ uuid: "u2", occurredAt: 0 })]);
    expect(answer.status).toBe(204);
    expect(sandbox.store.events.list("signed_up").map((occurrence) => occurrence.occurredAt)[1]).toBe(
      "1970-01-01T00:00:00.000Z",
    );
  });

  it.each([
    ["an unknown event", event({ eventName: "pe1_nope" }), /does not exist/],
    ["no identifier", event({ email: undefined }), /One of email, utk or objectId/],
    ["an undefined property", event({ properties: { color: "red" } }), /Property color does not exist/],
    ["a value over 256 characters", event({ properties: { source: "x".repeat(257) } }), /limit is 256/],
    [
      "an option that does not exist",
      event({ properties: { plan: "gold" } }),
      /not one of the allowed options/,
    ],
    [
      "more than 50 properties",
      event({ properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, "x"])) }),
      /at most 50/,
    ],
  ])("refuses a batch holding %s, storing nothing", async (_case, bad, message) => {
    const answer = await sendBatch([event({ uuid: "fine" }), bad]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(message);
    expect(sandbox.store.events.list()).toHaveLength(0);
  });

  it("refuses more than 500 events in a batch", async () => {
    const answer = await sendBatch(Array.from({ length: 501 }, () => event()));
    expect(answer.status).toBe(400);
  });

  it("keeps only the first occurrence of a uuid", async () => {
    await sendBatch([event({ uuid: "same" })]);
    await sendBatch([event({ uuid: "same", properties: { plan: "free" } })]);
    expect(sandbox.store.events.list().map((occurrence) => occurrence.properties.plan)).toEqual(["pro"]);
    expect(sandbox.store.events.duplicates).toBe(1);
  });

  it("sends no burst rate-limit headers for the exempt send endpoint", async () => {
    const answer = await sendBatch([event()]);
    expect(answer.headers.get("x-hubspot-ratelimit-max")).toBeNull();
  });

  it("creates definitions and properties with HubSpot's name rules", async () => {
    const created = await call(sandbox, "POST", "/events/v3/event-definitions", {
      label: "Trial started",
      name: "trial_started",
      propertyDefinitions: [{ name: "days", label: "Days", type: "number" }],
    });
    expect(created.status).toBe(201);
    expect(created.body.fullyQualifiedName).toBe(`pe${sandbox.portalId}_trial_started`);
    const added = await call(sandbox, "POST", "/events/v3/event-definitions/trial_started/property", {
      name: "plan",
      label: "Plan",
      type: "string",
    });
    expect(added.status).toBe(201);
    const bad = await call(sandbox, "POST", "/events/v3/event-definitions", {
      label: "Bad",
      name: "Bad Name",
    });
    expect(bad.status).toBe(400);
    const again = await call(sandbox, "POST", "/events/v3/event-definitions", {
      label: "Again",
      name: "trial_started",
    });
    expect(again.status).toBe(409);
    const listed = await call(sandbox, "GET", "/events/v3/event-definitions");
    expect((listed.body.results ?? []).map((definition) => definition.name)).toContain("trial_started");
  });

  it("needs the send scope and an Enterprise portal", async () => {
    const noScope = await startSandbox({
      privateAppTokens: [{ token: "pat-crm", scopes: ["crm.objects.contacts.read"] }],
    });
    const professional = await startSandbox({ tier: "professional" });
    try {
      const missing = await call(noScope, "POST", "/events/v3/send/batch", { inputs: [] }, "pat-crm");
      expect(missing.status).toBe(403);
      expect(missing.body.category).toBe("MISSING_SCOPES");
      const gated = await call(professional, "GET", "/events/v3/event-definitions");
      expect(gated.status).toBe(403);
      expect(String(gated.body.message)).toMatch(/Enterprise/);
    } finally {
      await noScope.close();
      await professional.close();
    }
  });
});

describe("sandbox event definitions", () => {
  const definitions = "/events/v3/event-definitions";
  const create = (name: string, extra: Record<string, unknown> = {}) =>
    call(sandbox, "POST", definitions, { label: name, name, propertyDefinitions: [], ...extra });

  it("adds HubSpot's default event properties unless told not to, and takes them on sends", async () => {
    await create("with_defaults");
    await create("without_defaults", { includeDefaultProperties: false });
    const names = (name: string) =>
      sandbox.store.events.definitions.get(name)?.properties.map((property) => property.name) ?? [];
    expect(names("with_defaults")).toHaveLength(32);
    expect(names("with_defaults")).toContain("hs_page_url");
    expect(names("without_defaults")).toEqual([]);
    const sent = await sendBatch([
      event({
        eventName: "pe12345678_with_defaults",
        properties: { hs_page_url: "https://x.co/a", hs_screen_width: "1440" },
      }),
    ]);
    expect(sent.status).toBe(204);
  });

  it("pages definitions with limit and after, filters them by searchString, and shows properties only when asked", async () => {
    for (const name of ["alpha_one", "alpha_two", "beta_one"]) await create(name);
    const first = await call(sandbox, "GET", `${definitions}?searchString=alpha&limit=1`);
    expect(first.body.total).toBe(2);
    expect(first.body.results?.map((result) => [result.name, result.properties])).toEqual([
      ["alpha_one", []],
    ]);
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const second = await call(
      sandbox,
      "GET",
      `${definitions}?searchString=alpha&limit=1&after=${after}&includeProperties=true`,
    );
    expect(second.body.results?.map((result) => result.name)).toEqual(["alpha_two"]);
    expect((second.body.results?.[0]?.properties as unknown[] | undefined)?.length).toBe(32);
    expect(second.body.paging).toBeUndefined();
  });

  it("refuses customMatchingId and a sortOrder with a 501 naming them, since it does not implement them", async () => {
    const matching = await create("matched", {
      customMatchingId: {
        primaryObjectRule: { targetObjectPropertyName: "email", eventPropertyName: "mail" },
      },
    });
    expect(matching.status).toBe(501);
    expect(matching.body.message).toContain("field customMatchingId");
    expect(sandbox.store.events.definitions.has("matched")).toBe(false);
    const sorted = await call(sandbox, "GET", `${definitions}?sortOrder=DESC`);
    expect(sorted.status).toBe(501);
    expect(sorted.body.message).toContain("query parameter sortOrder");
  });
});
