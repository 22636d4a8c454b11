import { describe, expect, it } from "vitest";
import { apiPaths } from "../../../../src/hubspot/api-paths.js";
import { KnownIds, resolveRecordIds } from "../../../../src/targets/list/record-ids.js";

/** A CRM batch read answered from a map of email → id, with HubSpot's OBJECT_NOT_FOUND item for the rest. */
function fakeReads(records: Record<string, string>, extraError?: Record<string, unknown>) {
  const bodies: { inputs: { id: string }[]; idProperty: string }[] = [];
  return {
    bodies,
    transport: {
      async postJson<T>(_path: string, body: unknown) {
        const request = body as { inputs: { id: string }[]; idProperty: string };
        bodies.push(request);
        const keys = request.inputs.map((input) => input.id);
        const found = keys.filter((key) => records[key.toLowerCase()] !== undefined);
        const missing = keys.filter((key) => records[key.toLowerCase()] === undefined);
        const errors = [
          ...(missing.length > 0 ? [{ category: "OBJECT_NOT_FOUND", context: { ids: missing } }] : []),
          ...(extraError ? [extraError] : []),
        ];
        const results = found.map((key) => ({
          id: records[key.toLowerCase()],
          properties: { email: key.toLowerCase() },
        }));
        return { status: errors.length > 0 ? 207 : 200, body: { results, errors } as T };
      },
    },
  };
}

const contacts = { objectType: "0-1", idProperty: "email" };

describe("resolveRecordIds", () => {
  it("reads keys 100 a request and matches HubSpot's lower-cased emails to the keys as given", async () => {
    const records = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}@x.co`, `${1000 + i}`]));
    const { transport, bodies } = fakeReads(records);
    const keys = [...Array.from({ length: 149 }, (_, i) => `p${i}@x.co`), "P149@X.CO", "nobody@x.co"];
    const resolved = await resolveRecordIds(transport, apiPaths(), contacts, keys);
    expect(bodies.map((body) => body.inputs.length)).toEqual([100, 51]);
    expect(bodies[0]?.idProperty).toBe("email");
    expect(resolved.found.get("P149@X.CO")).toBe("1149");
    expect(resolved.found.has("nobody@x.co")).toBe(false);
    expect(resolved.refused.size).toBe(0);
  });

  it("asks nothing for ids a run already knows", async () => {
    const { transport, bodies } = fakeReads({});
    const known = new KnownIds();
    known.want("0-1", "email");
    known.remember("0-1", "email", "Ann@x.co", "77");
    expect(
      (await resolveRecordIds(transport, apiPaths(), contacts, ["ann@x.co"], known)).found.get("ann@x.co"),
    ).toBe("77");
    expect(bodies).toEqual([]);
  });

  it("reads record ids too, and takes a merged id's answer (another id, naming it in hs_merged_object_ids) for its survivor", async () => {
    const bodies: unknown[] = [];
    const transport = {
      async postJson<T>(_path: string, body: unknown) {
        bodies.push(body);
        const results = [
          { id: "42", properties: { hs_object_id: "42", hs_merged_object_ids: null } },
          { id: "900", properties: { hs_object_id: "900", hs_merged_object_ids: "7;8" } },
        ];
        return { status: 200, body: { results } as T };
      },
    };
    const byId = { objectType: "0-1", idProperty: "hs_object_id" };
    const resolved = await resolveRecordIds(transport, apiPaths(), byId, ["42", "7"]);
    expect([...resolved.found]).toEqual([
      ["42", "42"],
      ["7", "900"],
    ]);
    expect(bodies).toEqual([
      {
        properties: ["hs_merged_object_ids"],
        propertiesWithHistory: [],
        inputs: [{ id: "42" }, { id: "7" }],
      },
    ]);
  });

  it("rejects the keys an error item other than OBJECT_NOT_FOUND names", async () => {
    const refusal = { category: "VALIDATION_ERROR", message: "bad key", context: { ids: ["odd@x.co"] } };
    const { transport } = fakeReads({ "ann@x.co": "1" }, refusal);
    const resolved = await resolveRecordIds(transport, apiPaths(), contacts, ["ann@x.co", "odd@x.co"]);
    expect(resolved.found.get("ann@x.co")).toBe("1");
    expect(resolved.refused.get("odd@x.co")).toMatchObject({ code: "VALIDATION_ERROR", message: "bad key" });
  });
});

describe("KnownIds", () => {
  it("keeps only the objects and keys it was asked for, and forgets the oldest past its bound", () => {
    const known = new KnownIds(2);
    known.want("0-1", "email");
    known.remember("0-2", "domain", "x.co", "9");
    expect(known.get("0-2", "domain", "x.co")).toBeUndefined();
    known.remember("0-1", "email", "a@x.co", "1");
    known.remember("0-1", "email", "b@x.co", "2");
    known.remember("0-1", "email", "c@x.co", "3");
    expect(known.get("0-1", "email", "a@x.co")).toBeUndefined();
    expect(known.get("0-1", "email", "C@X.CO")).toBe("3");
  });
});
