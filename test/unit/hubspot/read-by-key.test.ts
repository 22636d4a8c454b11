import { describe, expect, it } from "vitest";
import { lookupIds } from "../../../src/associations/lookups.js";
import { apiPaths } from "../../../src/hubspot/api-paths.js";
import { readByKey, UNCONFIRMED_READ } from "../../../src/hubspot/read-by-key.js";
import { resolveRecordIds } from "../../../src/targets/list/record-ids.js";

interface ReadBody {
  idProperty?: string;
  properties: string[];
  inputs: { id: string }[];
}

type Answer = { status: number; body: unknown } | Error;

/** A batch read answered by `answer`, with every request body kept. */
function fakeReads(answer: (body: ReadBody) => Answer) {
  const bodies: ReadBody[] = [];
  return {
    bodies,
    transport: {
      async postJson<T>(_path: string, body: unknown): Promise<{ status: number; body: T }> {
        bodies.push(body as ReadBody);
        const answered = answer(body as ReadBody);
        if (answered instanceof Error) throw answered;
        return answered as { status: number; body: T };
      },
    },
  };
}

const contacts = { objectType: "0-1", idProperty: "email" };
const ids = (body: ReadBody) => body.inputs.map((input) => input.id);
const result = (id: string, email: string) => ({ id, properties: { email } });
const notFound = (keys: string[]) => ({
  category: "OBJECT_NOT_FOUND",
  message: "not found",
  context: { ids: keys },
});

describe("readByKey", () => {
  it("reads 100 keys a request and matches HubSpot's lower-cased emails to the keys as given", async () => {
    const { transport, bodies } = fakeReads((body) => ({
      status: 200,
      body: { results: ids(body).map((key, index) => result(`${index}`, key.toLowerCase())) },
    }));
    const keys = Array.from({ length: 150 }, (_, i) => `P${i}@X.co`);
    const read = await readByKey(transport, apiPaths(), contacts, keys);
    expect(bodies.map((body) => body.inputs.length)).toEqual([100, 50]);
    expect(bodies[0]).toMatchObject({ idProperty: "email", properties: ["email", "hs_additional_emails"] });
    expect(read.found.size).toBe(150);
    expect(read.found.get("P149@X.co")).toEqual({ id: "49", properties: { email: "p149@x.co" } });
  });

  it("finds a contact by a secondary address, which HubSpot answers with the primary one", async () => {
    const { transport } = fakeReads(() => ({
      status: 200,
      body: {
        results: [
          { id: "7", properties: { email: "ada@home.co", hs_additional_emails: "x@y.co;Ada@Work.co" } },
        ],
      },
    }));
    const read = await readByKey(transport, apiPaths(), contacts, [
      "ada@work.co",
      "ada@home.co",
      "other@x.co",
    ]);
    expect(read.found.get("ada@work.co")).toEqual({ id: "7", properties: { email: "ada@home.co" } });
    expect(read.found.get("ada@home.co")?.id).toBe("7");
    expect([...read.absent.keys()]).toEqual(["other@x.co"]);
  });

  it("takes a key as absent when HubSpot names it OBJECT_NOT_FOUND, or answers without any error and leaves it out", async () => {
    const named = fakeReads(() => ({
      status: 207,
      body: { results: [result("1", "a@x.co")], errors: [notFound(["b@x.co"])] },
    }));
    const read = await readByKey(named.transport, apiPaths(), contacts, ["a@x.co", "b@x.co"]);
    expect([...read.absent.keys()]).toEqual(["b@x.co"]);
    expect(read.absent.get("b@x.co")).toMatchObject({ code: "OBJECT_NOT_FOUND" });
    const silent = fakeReads(() => ({ status: 200, body: { results: [result("1", "a@x.co")] } }));
    const quiet = await readByKey(silent.transport, apiPaths(), contacts, ["a@x.co", "b@x.co"]);
    expect([...quiet.absent.keys()]).toEqual(["b@x.co"]);
    expect(silent.bodies).toHaveLength(1);
  });

  it("never takes an error that names no key for a missing record: the keys it may concern are read again alone", async () => {
    const { transport, bodies } = fakeReads((body) =>
      body.inputs.length > 1
        ? {
            status: 207,
            body: { results: [result("1", "a@x.co")], errors: [{ category: "OBJECT_NOT_FOUND" }] },
          }
        : ids(body)[0] === "b@x.co"
          ? { status: 207, body: { results: [], errors: [notFound(["b@x.co"])] } }
          : { status: 200, body: { results: [result("3", "c@x.co")] } },
    );
    const read = await readByKey(transport, apiPaths(), contacts, ["a@x.co", "b@x.co", "c@x.co"]);
    expect(bodies.map(ids)).toEqual([["a@x.co", "b@x.co", "c@x.co"], ["b@x.co"], ["c@x.co"]]);
    expect(read.found.get("a@x.co")?.id).toBe("1");
    expect(read.found.get("c@x.co")?.id).toBe("3");
    expect([...read.absent.keys()]).toEqual(["b@x.co"]);
    expect(read.unaccounted.size).toBe(0);
  });

  it("leaves a key unaccounted, never absent, when HubSpot answers its own read with an unnamed OBJECT_NOT_FOUND", async () => {
    const answer = () => ({ status: 207, body: { results: [], errors: [{ category: "OBJECT_NOT_FOUND" }] } });
    const { transport, bodies } = fakeReads(answer);
    const read = await readByKey(transport, apiPaths(), contacts, ["a@x.co"]);
    expect(bodies).toHaveLength(2);
    expect([...read.unaccounted]).toEqual(["a@x.co"]);
    expect(read.absent.size).toBe(0);
    // The callers reject it: a link's target and a list member are neither missing nor created.
    const looked = await lookupIds(
      fakeReads(answer).transport,
      apiPaths(),
      { objectType: "0-1", property: "email" },
      ["a@x.co"],
    );
    expect(looked.get("a@x.co")).toMatchObject({ status: "refused", rejection: { code: UNCONFIRMED_READ } });
    const members = await resolveRecordIds(fakeReads(answer).transport, apiPaths(), contacts, ["a@x.co"]);
    expect(members.refused.get("a@x.co")).toMatchObject({ code: UNCONFIRMED_READ });
  });

  it("takes an unnamed refusal in a read of one key as that key's refusal", async () => {
    const { transport } = fakeReads(() => ({
      status: 207,
      body: { results: [], errors: [{ category: "VALIDATION_ERROR", message: "bad key" }] },
    }));
    const read = await readByKey(transport, apiPaths(), contacts, ["odd"]);
    expect(read.refused.get("odd")).toMatchObject({ code: "VALIDATION_ERROR", message: "bad key" });
    expect(read.absent.size + read.unaccounted.size).toBe(0);
  });

  it("lets a refusal outweigh an absence of the same key", async () => {
    const { transport } = fakeReads(() => ({
      status: 207,
      body: {
        results: [],
        errors: [
          notFound(["odd"]),
          { category: "VALIDATION_ERROR", message: "bad key", context: { ids: ["odd"] } },
        ],
      },
    }));
    const read = await readByKey(transport, apiPaths(), contacts, ["odd", "ann"]);
    expect(read.refused.get("odd")).toMatchObject({ code: "VALIDATION_ERROR" });
    expect(read.absent.has("odd")).toBe(false);
  });

  it("refuses the key a whole-request 400 names and reads the others again", async () => {
    const { transport, bodies } = fakeReads((body) =>
      ids(body).includes("bad")
        ? Object.assign(new Error("400"), {
            status: 400,
            body: { category: "VALIDATION_ERROR", message: "no", context: { ids: ["bad"] } },
          })
        : { status: 200, body: { results: ids(body).map((key) => result("9", key)) } },
    );
    let extra = 0;
    const read = await readByKey(transport, apiPaths(), contacts, ["a@x.co", "bad"], {
      onExtraRequest: () => (extra += 1),
    });
    expect(read.refused.get("bad")).toMatchObject({ code: "VALIDATION_ERROR", httpStatus: 400 });
    expect(read.found.get("a@x.co")?.id).toBe("9");
    expect(bodies).toHaveLength(2);
    expect(extra).toBe(1);
  });

  it("reads by record id without idProperty when the keys are ids", async () => {
    const { transport, bodies } = fakeReads((body) => ({
      status: 200,
      body: { results: ids(body).map((id) => ({ id, properties: { email: `${id}@x.co` } })) },
    }));
    const read = await readByKey(
      transport,
      apiPaths(),
      { objectType: "0-1", idProperty: undefined, properties: ["email"] },
      ["11"],
    );
    expect(bodies[0]?.idProperty).toBeUndefined();
    expect(read.found.get("11")?.properties.email).toBe("11@x.co");
  });
});
