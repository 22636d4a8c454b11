import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";
import { ASSOCIATION_APIS, call, makeRecords, tokenWithout } from "./helpers.js";

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.close();
});

const spec = (associationTypeId: number, associationCategory = "HUBSPOT_DEFINED") => ({
  associationCategory,
  associationTypeId,
});
const input = (from: string, to: string, typeId = 279, category?: string) => ({
  from: { id: from },
  to: { id: to },
  types: [spec(typeId, category)],
});

async function portal(options: SandboxOptions = {}) {
  sandbox = await startSandbox(options);
  return {
    contacts: makeRecords(sandbox, "contacts", 3),
    companies: makeRecords(sandbox, "companies", 3),
  };
}

describe.each(ASSOCIATION_APIS)("association limits ($version)", (api) => {
  const partial = api.version === "2026-09" ? 200 : 207;

  it("refuses a link past a type's configured maxToObjectIds, per input, from either side", async () => {
    const { contacts, companies } = await portal({
      associations: {
        limits: [{ fromObjectType: "contacts", toObjectType: "0-2", typeId: 1405, maxToObjectIds: 1 }],
      },
    });
    const [contact, other] = contacts as [string, string];
    const answer = await call(sandbox, "POST", api.batch("contacts", "companies", "create"), {
      inputs: [
        input(contact, companies[0] as string, 1405, "USER_DEFINED"),
        input(contact, companies[1] as string, 1405, "USER_DEFINED"),
        input(contact, companies[2] as string, 279),
      ],
    });
    expect(answer.status).toBe(partial);
    expect(answer.body.errors).toHaveLength(1);
    expect(answer.body.errors?.[0]).toMatchObject({
      category: "VALIDATION_ERROR",
      context: { fromObjectId: [contact], toObjectId: [companies[1]] },
    });
    expect(String(answer.body.errors?.[0]?.message)).toContain("limit configured");
    // From the company side the inverse type (1406) carries the contact's label: the same limit applies.
    const inverse = await call(
      sandbox,
      "PUT",
      `${api.record("companies", companies[1] as string)}/contacts/${contact}`,
      [spec(1406, "USER_DEFINED")],
    );
    expect(inverse.status).toBe(400);
    const otherContact = await call(
      sandbox,
      "PUT",
      `${api.record("contacts", other)}/companies/${companies[1]}`,
      [spec(1405, "USER_DEFINED")],
    );
    expect(otherContact.status).toBe(201);
  });

  it("refuses a record linked to more records of one object than the per-record cap", async () => {
    const { contacts, companies } = await portal({ associations: { maxPerRecord: 2 } });
    const [contact] = contacts as [string];
    const path = api.batch("contacts", "companies", "associate/default");
    const answer = await call(sandbox, "POST", path, {
      inputs: companies.map((company) => ({ from: { id: contact }, to: { id: company } })),
    });
    expect(answer.status).toBe(200);
    expect(answer.body.numErrors).toBe(1);
    expect(String(answer.body.errors?.[0]?.message)).toContain("(2)");
    expect(sandbox.store.associations.linksOf("contacts", contact, "companies")).toHaveLength(2);
    // Relabelling a pair that is already linked adds no record, so the cap does not refuse it.
    const relabel = await call(
      sandbox,
      "PUT",
      `${api.record("contacts", contact)}/companies/${companies[0]}`,
      [spec(1)],
    );
    expect(relabel.status).toBe(201);
  });

  it("does not let a primary limit block moving the primary company", async () => {
    const { contacts, companies } = await portal({
      associations: {
        limits: [{ fromObjectType: "contacts", toObjectType: "companies", typeId: 1, maxToObjectIds: 1 }],
      },
    });
    const [contact] = contacts as [string];
    for (const company of companies) {
      const answer = await call(sandbox, "PUT", `${api.record("contacts", contact)}/companies/${company}`, [
        spec(1),
      ]);
      expect(answer.status).toBe(201);
    }
    const primaries = sandbox.store.associations
      .linksOf("contacts", contact, "companies")
      .filter((link) => link.types.some((type) => type.typeId === 1));
    expect(primaries.map((link) => link.toId)).toEqual([companies[2]]);
  });
});

describe.each(ASSOCIATION_APIS)("association scopes and tiers ($version)", (api) => {
  it("needs a read scope of both objects to read, naming the missing ones", async () => {
    const { contacts } = await portal({
      privateAppTokens: [tokenWithout("no-company-read", "crm.objects.companies.read")],
    });
    const answer = await call(
      sandbox,
      "POST",
      api.batch("contacts", "companies", "read"),
      { inputs: [{ id: contacts[0] }] },
      "no-company-read",
    );
    expect(answer.status).toBe(403);
    expect(answer.body.category).toBe("MISSING_SCOPES");
    const errors = answer.body.errors as Array<{ context: { requiredGranularScopes: string[] } }>;
    expect(errors[0]?.context.requiredGranularScopes).toEqual(["crm.objects.companies.read"]);
  });

  it("needs a write scope of both objects to write, and writes nothing without one", async () => {
    const { contacts, companies } = await portal({
      privateAppTokens: [
        tokenWithout("read-only", "crm.objects.contacts.write", "crm.objects.companies.write"),
      ],
    });
    const answer = await call(
      sandbox,
      "POST",
      api.batch("contacts", "companies", "create"),
      { inputs: [input(contacts[0] as string, companies[0] as string)] },
      "read-only",
    );
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body.errors)).toContain("crm.objects.contacts.write");
    expect(JSON.stringify(answer.body.errors)).toContain("crm.objects.companies.write");
    expect(sandbox.store.associations.linksOf("contacts", contacts[0] as string, "companies")).toEqual([]);
    const labels = await call(sandbox, "GET", api.labels("contacts", "companies"), undefined, "read-only");
    expect(labels.status).toBe(200);
  });

  it("serves custom objects' associations only on Enterprise portals", async () => {
    await portal({ tier: "professional" });
    const answer = await call(sandbox, "GET", api.labels("2-3465404", "contacts"));
    expect(answer.status).toBe(403);
    const standard = await call(sandbox, "GET", api.labels("contacts", "companies"));
    expect(standard.status).toBe(200);
  });

  it("links custom object records to contacts with the portal's type and hides links to archived records", async () => {
    await portal();
    const [car] = makeRecords(sandbox, "cars", 1) as [string];
    const [contact, other] = makeRecords(sandbox, "contacts", 2) as [string, string];
    const path = api.batch("2-3465404", "0-1", "create");
    const answer = await call(sandbox, "POST", path, {
      inputs: [input(car, contact, 1401, "USER_DEFINED"), input(car, other, 1401, "USER_DEFINED")],
    });
    expect(answer.status).toBe(api.version === "2026-09" ? 200 : 201);
    const contactState = sandbox.store.resolve("contacts");
    sandbox.store.archive(contactState!, sandbox.store.lookup(contactState!, other, undefined)!);
    expect(sandbox.store.associations.linksOf("cars", car, "contacts").map((link) => link.toId)).toEqual([
      contact,
    ]);
    const refused = await call(sandbox, "POST", path, { inputs: [input(car, other, 1401, "USER_DEFINED")] });
    expect(refused.status).toBe(400);
  });
});
