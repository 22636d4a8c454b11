import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, upsert } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});

afterEach(async () => {
  await sandbox.close();
});

const car = (id: string, properties: Record<string, string>, trace?: string) => ({
  id,
  idProperty: "car_id",
  properties,
  ...(trace ? { objectWriteTraceId: trace } : {}),
});

describe("sandbox CRM batches", () => {
  it("creates and then updates on upsert, saying which with `new`", async () => {
    const first = await upsert(sandbox, "cars", [car("V1", { make: "Saab" }, "t1")]);
    expect(first.status).toBe(200);
    expect(first.body.results?.[0]).toMatchObject({ new: true, objectWriteTraceId: "t1" });
    const second = await upsert(sandbox, "2-3465404", [car("V1", { model: "900" }, "t2")]);
    expect(second.body.results?.[0]).toMatchObject({
      new: false,
      properties: { car_id: "V1", make: "Saab", model: "900" },
    });
    expect(sandbox.store.listRecords("cars")).toHaveLength(1);
  });

  it("answers 207 with each bad input named by its trace id, writing the good ones", async () => {
    const answer = await upsert(sandbox, "cars", [
      car("V1", { year: "1999" }, "good"),
      car("V2", { year: "nineteen" }, "bad"),
      car("V3", { color: "green" }, "worse"),
    ]);
    expect(answer.status).toBe(207);
    expect(answer.body.numErrors).toBe(2);
    const named = answer.body.errors?.map((error) => error.context?.objectWriteTraceId?.[0]).sort();
    expect(named).toEqual(["bad", "worse"]);
    expect(JSON.stringify(answer.body.errors)).toContain("INVALID_OPTION");
    expect(sandbox.store.findRecord("cars", "car_id", "V1")).toBeDefined();
    expect(sandbox.store.findRecord("cars", "car_id", "V2")).toBeUndefined();
  });

  it("refuses the whole batch with 400 when an input has no trace id", async () => {
    const answer = await upsert(sandbox, "cars", [car("V1", { make: "Saab" }), car("V2", { nope: "x" })]);
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe("VALIDATION_ERROR");
    expect(String(answer.body.message)).toContain("PROPERTY_DOESNT_EXIST");
    expect(sandbox.store.listRecords("cars")).toHaveLength(0);
  });

  it("cannot upsert contacts by email in part: one bad email fails the batch even with trace ids", async () => {
    const answer = await upsert(sandbox, "contacts", [
      { id: "a@x.co", idProperty: "email", properties: {}, objectWriteTraceId: "1" },
      { id: "broken@", idProperty: "email", properties: {}, objectWriteTraceId: "2" },
    ]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("INVALID_EMAIL");
    expect(sandbox.store.listRecords("contacts")).toHaveLength(0);
  });

  it("stores emails lower-cased", async () => {
    await upsert(sandbox, "contacts", [
      { id: "Ada@Example.COM", idProperty: "email", properties: {}, objectWriteTraceId: "1" },
    ]);
    expect(sandbox.store.findRecord("contacts", "email", "ada@example.com")).toBeDefined();
  });

  it.each([
    ["duplicate ids", [car("V1", {}), car("V1", {})], /Duplicate IDs found in batch input: \[V1\]/],
    ["more than 100 inputs", Array.from({ length: 101 }, (_, i) => car(`V${i}`, {})), /limit of 100/],
    [
      "a non-unique idProperty",
      [{ id: "Saab", idProperty: "make", properties: {} }],
      /non-unique 2-3465404 property make/,
    ],
    ["a read-only property", [car("V1", { hs_object_id: "1" })], /read-only/],
  ])("refuses %s with 400", async (_case, inputs, message) => {
    const answer = await upsert(sandbox, "cars", inputs);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(message);
  });

  it("rejects a non-midnight timestamp for a date property with HubSpot's INVALID_DATE message", async () => {
    const answer = await upsert(sandbox, "contacts", [
      { id: "a@x.co", idProperty: "email", properties: { date_of_birth: "1521225089103" } },
    ]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("is at 18:31:29.103 UTC, not midnight!");
  });

  it("updates existing records and names the missing ones OBJECT_NOT_FOUND", async () => {
    await upsert(sandbox, "cars", [car("V1", { make: "Saab" }, "t")]);
    const answer = await call(sandbox, "POST", "/crm/v3/objects/cars/batch/update", {
      inputs: [car("V1", { make: "Volvo" }, "a"), car("V9", { make: "Fiat" }, "b")],
    });
    expect(answer.status).toBe(207);
    expect(answer.body.errors?.[0]).toMatchObject({
      category: "OBJECT_NOT_FOUND",
      context: { ids: ["V9"], objectWriteTraceId: ["b"] },
    });
    expect(sandbox.store.findRecord("cars", "car_id", "V1")?.properties.make).toBe("Volvo");
  });

  it("reads by key and archives by record id with 204", async () => {
    await upsert(sandbox, "cars", [car("V1", {}, "t")]);
    const read = await call(sandbox, "POST", "/crm/v3/objects/cars/batch/read", {
      idProperty: "car_id",
      properties: ["car_id"],
      inputs: [{ id: "V1" }, { id: "V2" }],
    });
    expect(read.status).toBe(207);
    const id = String(read.body.results?.[0]?.id);
    const archived = await call(sandbox, "POST", "/crm/v3/objects/cars/batch/archive", {
      inputs: [{ id }, { id: "404" }],
    });
    expect(archived.status).toBe(204);
    expect(sandbox.store.findRecord("cars", "car_id", "V1")).toBeUndefined();
  });

  it("serves custom objects only on Enterprise portals", async () => {
    const professional = await startSandbox({ tier: "professional" });
    try {
      expect((await call(professional, "GET", "/crm/v3/schemas")).status).toBe(403);
      expect((await call(professional, "GET", "/crm/v3/properties/contacts")).status).toBe(200);
    } finally {
      await professional.close();
    }
  });
});
