import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { batch, call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

/** Contact → company, unlabeled (HubSpot-defined type 279). */
const TO_COMPANY = [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 }];

describe.each(VERSIONS)("reads at version %s", (version) => {
  const contacts = paths.objects(version, "contacts");
  const companies = paths.objects(version, "companies");
  const create = async (base: string, body: unknown) => {
    const answer = await call(sandbox, "POST", base, body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return String(answer.body.id);
  };
  const ada = { email: "ada@example.com", firstname: "Ada", lastname: "Lovelace", jobtitle: "Analyst" };

  it("reads every property of a repeated properties parameter, as HubSpot's SDK sends it", async () => {
    const id = await create(contacts, { properties: ada });
    const read = await call(
      sandbox,
      "GET",
      `${contacts}/${id}?properties=email&properties=firstname&properties=lastname`,
    );
    expect(read.body.properties).toMatchObject({ email: ada.email, firstname: "Ada", lastname: "Lovelace" });
    const page = await call(sandbox, "GET", `${contacts}?properties=jobtitle&properties=lastname,firstname`);
    expect(page.body.results?.[0]?.properties).toMatchObject({
      jobtitle: "Analyst",
      lastname: "Lovelace",
      firstname: "Ada",
    });
  });

  it("answers propertiesWithHistory with every value written, newest first", async () => {
    const id = await create(contacts, { properties: { email: "ada@example.com", firstname: "Ada" } });
    await call(sandbox, "PATCH", `${contacts}/${id}`, { properties: { firstname: "Augusta" } });
    const read = await call(sandbox, "GET", `${contacts}/${id}?propertiesWithHistory=firstname,email`);
    const history = read.body.propertiesWithHistory as Record<
      string,
      Array<{ value: string; sourceType: string }>
    >;
    expect(history.firstname?.map((entry) => entry.value)).toEqual(["Augusta", "Ada"]);
    expect(history.email?.map((entry) => entry.value)).toEqual(["ada@example.com"]);
    expect(history.firstname?.[0]).toMatchObject({ sourceType: "API", timestamp: expect.any(String) });
    const batchRead = await batch(sandbox, version, "contacts", "read", {
      inputs: [{ id }],
      properties: [],
      propertiesWithHistory: ["firstname"],
    });
    const first = batchRead.body.results?.[0] as { propertiesWithHistory?: Record<string, unknown[]> };
    expect(first.propertiesWithHistory?.firstname).toHaveLength(2);
  });

  it("caps a batch read that asks for histories at 50 inputs, as HubSpot does", async () => {
    const inputs = Array.from({ length: 51 }, (_, index) => ({ id: String(index + 1) }));
    const withHistory = await batch(sandbox, version, "contacts", "read", {
      inputs,
      properties: [],
      propertiesWithHistory: ["email"],
    });
    expect(withHistory.status).toBe(400);
    expect(withHistory.body.message).toContain("property histories is 50");
    const without = await batch(sandbox, version, "contacts", "read", {
      inputs,
      properties: [],
      propertiesWithHistory: [],
    });
    expect(without.status).not.toBe(400);
  });

  it("creates a record already linked through associations, visible from both records", async () => {
    const company = await create(companies, { properties: { name: "Acme" } });
    const contact = await create(contacts, {
      properties: { email: "ada@example.com" },
      associations: [{ to: { id: company }, types: TO_COMPANY }],
    });
    expect(
      sandbox.store.associations.linksOf("contacts", contact, "companies").map((link) => link.toId),
    ).toEqual([company]);
    const read = await call(sandbox, "GET", `${contacts}/${contact}?associations=companies`);
    expect(read.body.associations).toEqual({
      companies: { results: [{ id: company, type: "contact_to_company_unlabeled" }] },
    });
    const fromCompany = await call(sandbox, "GET", `${companies}?associations=contacts`);
    expect(fromCompany.body.results?.[0]?.associations).toEqual({
      contacts: { results: [{ id: contact, type: "company_to_contact_unlabeled" }] },
    });
  });

  it("refuses a create whose association names a missing record or a type of another pair, creating nothing", async () => {
    const company = await create(companies, { properties: { name: "Acme" } });
    const missing = await call(sandbox, "POST", contacts, {
      properties: { email: "ada@example.com" },
      associations: [{ to: { id: "999" }, types: TO_COMPANY }],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("One or more associations are invalid");
    const dealType = await call(sandbox, "POST", contacts, {
      properties: { email: "ada@example.com" },
      associations: [
        { to: { id: company }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 341 }] },
      ],
    });
    expect(dealType.status).toBe(400);
    expect(dealType.body.message).toContain("341 is not a valid association type");
    expect(sandbox.store.listRecords("contacts")).toHaveLength(0);
  });

  it("links each input of a batch create, and names the input whose association is invalid", async () => {
    const company = await create(companies, { properties: { name: "Acme" } });
    const answer = await batch(sandbox, version, "contacts", "create", {
      inputs: [
        {
          properties: { email: "a@example.com" },
          associations: [{ to: { id: company }, types: TO_COMPANY }],
          objectWriteTraceId: "a",
        },
        {
          properties: { email: "b@example.com" },
          associations: [{ to: { id: "404" }, types: TO_COMPANY }],
          objectWriteTraceId: "b",
        },
      ],
    });
    expect(answer.status).toBe(version === "2026-09" ? 201 : 207);
    expect(answer.body.errors?.[0]?.context).toMatchObject({ objectWriteTraceId: ["b"] });
    const created = sandbox.store.findRecord("contacts", "email", "a@example.com");
    expect(sandbox.store.associations.linksOf("contacts", created?.id ?? "", "companies")).toHaveLength(1);
    expect(sandbox.store.findRecord("contacts", "email", "b@example.com")).toBeUndefined();
  });

  it("answers 501 naming an object HubSpot has and the sandbox does not serve", async () => {
    for (const path of [paths.objects(version, "quotes"), `${paths.objects(version, "0-53")}/1`]) {
      const answer = await call(sandbox, "GET", path);
      expect(answer.status).toBe(501);
      expect(answer.body.message).toMatch(/does not serve the object (quotes|0-53)/);
    }
    const id = await create(contacts, { properties: ada });
    const linked = await call(sandbox, "GET", `${contacts}/${id}?associations=quotes`);
    expect(linked.status).toBe(501);
    expect((await call(sandbox, "GET", paths.objects(version, "frobs"))).status).toBe(400);
  });

  it("keeps what a property create was given: description, display order, options' order, and when", async () => {
    const before = Date.now();
    const created = await call(sandbox, "POST", paths.properties(version, "contacts"), {
      name: "favourite_colour",
      label: "Favourite colour",
      type: "enumeration",
      fieldType: "select",
      groupName: "contactinformation",
      description: "What they like best",
      displayOrder: 3,
      options: [
        { label: "Red", value: "red", displayOrder: 2, hidden: false, description: "warm" },
        { label: "Blue", value: "blue", displayOrder: 1, hidden: true },
      ],
    });
    expect(created.status).toBe(201);
    const read = await call(sandbox, "GET", `${paths.properties(version, "contacts")}/favourite_colour`);
    expect(read.body).toMatchObject({
      description: "What they like best",
      displayOrder: 3,
      options: [
        { label: "Red", value: "red", displayOrder: 2, hidden: false, description: "warm" },
        { label: "Blue", value: "blue", displayOrder: 1, hidden: true },
      ],
    });
    expect(Date.parse(String(read.body.createdAt))).toBeGreaterThanOrEqual(before - 1000);
  });
});
