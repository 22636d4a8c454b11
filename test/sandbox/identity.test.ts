/**
 * Identity over HTTP: contacts' secondary addresses, unique values that collide, two inputs naming one record, and
 * the record id as a key. Each refusal is checked to have written nothing, by the store and the ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { batch, call, paths, upsert, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

async function contact(properties: Record<string, string>): Promise<string> {
  const answer = await call(sandbox, "POST", "/crm/v3/objects/contacts", { properties });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return String(answer.body.id);
}

const updates = (objectType: string) => sandbox.ledger.totals(objectType).updates;

describe.each(VERSIONS)("secondary email addresses at version %s", (version) => {
  const contacts = paths.objects(version, "contacts");

  it("takes them on create and finds the contact by them on GET, batch/read and batch/upsert", async () => {
    const id = await contact({
      email: "ada@example.com",
      hs_additional_emails: "Ada@Work.example.com; ada@home.example.com",
    });
    expect(sandbox.store.findRecord("contacts", "hs_object_id", id)?.properties.hs_additional_emails).toBe(
      "ada@work.example.com;ada@home.example.com",
    );
    const got = await call(
      sandbox,
      "GET",
      `${contacts}/ADA@work.example.com?idProperty=email&properties=email`,
    );
    expect(got.body).toMatchObject({ id, properties: { email: "ada@example.com" } });
    const read = await batch(sandbox, version, "contacts", "read", {
      idProperty: "email",
      inputs: [{ id: "ada@home.example.com" }],
      properties: ["email"],
      propertiesWithHistory: [],
    });
    expect(read.body.results?.map((result) => result.id)).toEqual([id]);
    const upserted = await batch(sandbox, version, "contacts", "upsert", {
      inputs: [{ id: "ada@work.example.com", idProperty: "email", properties: { firstname: "Ada" } }],
    });
    expect(upserted.body.results?.[0]).toMatchObject({
      id,
      new: false,
      properties: { email: "ada@example.com", firstname: "Ada" },
    });
    expect(sandbox.store.listRecords("contacts")).toHaveLength(1);
  });

  it("keeps them read-only after the create, and checks each address", async () => {
    const definition = await call(
      sandbox,
      "GET",
      `${paths.properties(version, "contacts")}/hs_additional_emails`,
    );
    expect(definition.body.modificationMetadata).toMatchObject({ readOnlyValue: true });
    const id = await contact({ email: "ada@example.com" });
    const patched = await call(sandbox, "PATCH", `${contacts}/${id}`, {
      properties: { hs_additional_emails: "ada@work.example.com" },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.errors?.[0]).toMatchObject({
      code: "READ_ONLY_VALUE",
      context: { propertyName: ["hs_additional_emails"] },
    });
    const bad = await call(sandbox, "POST", contacts, {
      properties: { email: "bob@example.com", hs_additional_emails: "ok@example.com;not-an-email" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toMatchObject({
      code: "INVALID_EMAIL",
      context: { propertyName: ["hs_additional_emails"] },
    });
    expect(sandbox.store.listRecords("contacts")).toHaveLength(1);
  });

  it("refuses a new contact whose email is another contact's secondary address with 409", async () => {
    const id = await contact({ email: "ada@example.com", hs_additional_emails: "ada@work.example.com" });
    const answer = await call(sandbox, "POST", contacts, { properties: { email: "Ada@Work.example.com" } });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({
      error: "CONTACT_EXISTS",
      message: `Contact already exists. Existing ID: ${id}`,
    });
  });

  it("refuses secondary addresses another contact holds, or another input of the batch claims, with 409", async () => {
    const id = await contact({ email: "ada@example.com" });
    const taken = await call(sandbox, "POST", contacts, {
      properties: { email: "bob@example.com", hs_additional_emails: "ADA@example.com" },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe(`Contact already exists. Existing ID: ${id}`);
    const claimed = await batch(sandbox, version, "contacts", "create", {
      inputs: [
        {
          properties: { email: "carol@example.com", hs_additional_emails: "shared@example.com" },
          objectWriteTraceId: "1",
        },
        { properties: { email: "shared@example.com" }, objectWriteTraceId: "2" },
      ],
    });
    expect(claimed.status).toBe(409);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(1);
  });
});

describe.each(VERSIONS)("unique values that collide at version %s", (version) => {
  it("names a batch update's input that takes another company's unique value, and writes the others (trace ids)", async () => {
    const create = (name: string, key: string) =>
      call(sandbox, "POST", paths.objects(version, "companies"), {
        properties: { name, company_external_id: key },
      });
    const [a, b] = [String((await create("A", "C1")).body.id), String((await create("B", "C2")).body.id)];
    const answer = await batch(sandbox, version, "companies", "update", {
      inputs: [
        { id: b, properties: { company_external_id: "C1" }, objectWriteTraceId: "taker" },
        { id: a, properties: { name: "A2" }, objectWriteTraceId: "fine" },
      ],
    });
    expect(answer.status).toBe(version === "2026-09" ? 200 : 207);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        category: "VALIDATION_ERROR",
        context: { objectWriteTraceId: ["taker"] },
        errors: [
          expect.objectContaining({
            code: "DUPLICATE_UNIQUE_PROPERTY_VALUE",
            context: { propertyName: ["company_external_id"] },
          }),
        ],
      }),
    ]);
    expect(String(answer.body.errors?.[0]?.message)).toMatch(
      /already has that value for company_external_id/,
    );
    expect(sandbox.store.findRecord("companies", "hs_object_id", b)?.properties.company_external_id).toBe(
      "C2",
    );
    expect(sandbox.store.findRecord("companies", "hs_object_id", a)?.properties.name).toBe("A2");
  });

  it("refuses the whole batch without trace ids, and a single create or update with 400, writing nothing", async () => {
    const companies = paths.objects(version, "companies");
    const a = await call(sandbox, "POST", companies, {
      properties: { name: "A", company_external_id: "C1" },
    });
    const b = await call(sandbox, "POST", companies, { properties: { name: "B" } });
    const whole = await batch(sandbox, version, "companies", "update", {
      inputs: [
        { id: String(b.body.id), properties: { company_external_id: "C1" } },
        { id: String(a.body.id), properties: { name: "A2" } },
      ],
    });
    expect(whole.status).toBe(400);
    const single = await call(sandbox, "POST", companies, {
      properties: { name: "C", company_external_id: "C1" },
    });
    expect(single.status).toBe(400);
    expect(single.body.errors?.[0]).toMatchObject({ code: "DUPLICATE_UNIQUE_PROPERTY_VALUE" });
    const patched = await call(sandbox, "PATCH", `${companies}/${String(b.body.id)}`, {
      properties: { company_external_id: "C1" },
    });
    expect(patched.status).toBe(400);
    expect(updates("companies")).toBe(0);
    expect(sandbox.store.listRecords("companies")).toHaveLength(2);
  });

  it("names the second of two creates in one batch that claim the same unique value", async () => {
    const answer = await batch(sandbox, version, "companies", "create", {
      inputs: [
        { properties: { name: "A", company_external_id: "C1" }, objectWriteTraceId: "first" },
        { properties: { name: "B", company_external_id: "C1" }, objectWriteTraceId: "second" },
      ],
    });
    expect(answer.body.errors?.map((item) => item.context?.objectWriteTraceId?.[0])).toEqual(["second"]);
    expect(sandbox.store.listRecords("companies").map((record) => record.properties.name)).toEqual(["A"]);
  });

  it("refuses a whole batch with 409 when a contact's email would become another contact's address", async () => {
    const ada = await contact({ email: "ada@example.com", hs_additional_emails: "ada@work.example.com" });
    const bob = await contact({ email: "bob@example.com" });
    const carol = await contact({ email: "carol@example.com" });
    for (const taken of ["ada@example.com", "ADA@work.example.com"]) {
      const answer = await batch(sandbox, version, "contacts", "update", {
        inputs: [
          { id: bob, properties: { email: taken }, objectWriteTraceId: "1" },
          { id: carol, properties: { firstname: "Carol" }, objectWriteTraceId: "2" },
        ],
      });
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({
        category: "OBJECT_ALREADY_EXISTS",
        error: "CONTACT_EXISTS",
        message: `Contact already exists. Existing ID: ${ada}`,
      });
    }
    const upserted = await batch(sandbox, version, "contacts", "upsert", {
      inputs: [
        { id: "bob@example.com", idProperty: "email", properties: { email: "ada@example.com" } },
        { id: "dan@example.com", idProperty: "email", properties: { firstname: "Dan" } },
      ],
    });
    expect(upserted.status).toBe(409);
    expect(updates("contacts")).toBe(0);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(3);
  });

  it("refuses with 501 an email set to the contact's own secondary address, whose outcome HubSpot does not document", async () => {
    const ada = await contact({ email: "ada@example.com", hs_additional_emails: "ada@work.example.com" });
    const answer = await call(sandbox, "PATCH", `${paths.objects(version, "contacts")}/${ada}`, {
      properties: { email: "ada@work.example.com" },
    });
    expect(answer.status).toBe(501);
    expect(String(answer.body.message)).toMatch(/own secondary addresses/);
  });
});

describe.each(VERSIONS)("two inputs naming one record at version %s", (version) => {
  it("refuses a batch holding a contact's primary and secondary address with 400, writing neither", async () => {
    await contact({ email: "ada@example.com", hs_additional_emails: "ada@work.example.com" });
    const answer = await batch(sandbox, version, "contacts", "upsert", {
      inputs: [
        { id: "ada@example.com", idProperty: "email", properties: { firstname: "Ada" } },
        { id: "ada@work.example.com", idProperty: "email", properties: { lastname: "Lovelace" } },
      ],
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      category: "VALIDATION_ERROR",
      message:
        "Duplicate IDs found in batch input: [ada@example.com, ada@work.example.com]. IDs must be unique",
      context: { ids: ["ada@example.com", "ada@work.example.com"] },
    });
    expect(updates("contacts")).toBe(0);
  });

  it("refuses the same key twice, whatever its case", async () => {
    const answer = await upsert(sandbox, "contacts", [
      { id: "ada@example.com", idProperty: "email", properties: {} },
      { id: "ADA@example.com", idProperty: "email", properties: {} },
    ]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(/^Duplicate IDs found in batch input/);
    expect(sandbox.store.listRecords("contacts")).toHaveLength(0);
  });
});

describe.each(VERSIONS)("the record id as a key at version %s", (version) => {
  it("refuses hs_object_id as an upsert's or update's idProperty with HubSpot's message", async () => {
    const id = await contact({ email: "ada@example.com" });
    for (const operation of ["upsert", "update"]) {
      const answer = await batch(sandbox, version, "contacts", operation, {
        inputs: [{ id, idProperty: "hs_object_id", properties: { firstname: "Ada" } }],
      });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        category: "VALIDATION_ERROR",
        message: `Unable to perform update/upsert by non-unique 0-1 property hs_object_id in portal ID ${sandbox.portalId}`,
      });
    }
    expect(updates("contacts")).toBe(0);
  });

  it("refuses an upsert without idProperty, and updates by plain record ids, as strings or numbers", async () => {
    const id = await contact({ email: "ada@example.com" });
    const noKey = await batch(sandbox, version, "contacts", "upsert", {
      inputs: [{ id, properties: { firstname: "A" } }],
    });
    expect(noKey.status).toBe(400);
    expect(noKey.body.message).toBe(
      "Upserts in a single batch must specify its unique property using idProperty",
    );
    const updated = await batch(sandbox, version, "contacts", "update", {
      inputs: [{ id, properties: { firstname: "Ada" } }],
    });
    expect(updated.status).toBe(200);
    const read = await batch(sandbox, version, "contacts", "read", {
      idProperty: "hs_object_id",
      inputs: [{ id }],
      properties: ["firstname"],
      propertiesWithHistory: [],
    });
    expect(read.body.results?.[0]?.properties).toMatchObject({ firstname: "Ada" });
  });
});
