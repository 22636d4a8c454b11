import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Client } from "@hubspot/api-client";
import { AssociationSpecAssociationCategoryEnum as Category } from "@hubspot/api-client/lib/codegen/crm/objects/models/AssociationSpec.js";
import type { Sandbox } from "../support/sandbox.js";
import { propertiesById, startWithClient } from "./helpers.js";

let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  ({ sandbox, client } = await startWithClient());
});
afterEach(async () => {
  await sandbox.close();
});

const TO_COMPANY = [{ associationCategory: Category.HubspotDefined, associationTypeId: 279 }];

describe("CRM objects through @hubspot/api-client", () => {
  it("creates, reads with several properties and their history, updates and archives a contact", async () => {
    const created = await client.crm.contacts.basicApi.create({
      properties: { email: "ada@example.com", firstname: "Ada", lastname: "Lovelace" },
      associations: [],
    });
    await client.crm.contacts.basicApi.update(created.id, { properties: { firstname: "Augusta" } });
    const read = await client.crm.contacts.basicApi.getById(
      created.id,
      ["email", "firstname", "lastname"],
      ["firstname"],
    );
    expect(read.properties).toMatchObject({
      email: "ada@example.com",
      firstname: "Augusta",
      lastname: "Lovelace",
    });
    expect(read.propertiesWithHistory?.firstname?.map((entry) => entry.value)).toEqual(["Augusta", "Ada"]);
    const byEmail = await client.crm.contacts.basicApi.getById(
      "ADA@example.com",
      ["lastname"],
      undefined,
      undefined,
      false,
      "email",
    );
    expect(byEmail.id).toBe(created.id);
    await client.crm.contacts.basicApi.archive(created.id);
    const archived = await client.crm.contacts.basicApi.getById(
      created.id,
      undefined,
      undefined,
      undefined,
      true,
    );
    expect(archived.archived).toBe(true);
  });

  it("reads a deal with every asked property, not only the first", async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: "Big", dealstage: "qualifiedtobuy", pipeline: "default", amount: "1200" },
      associations: [],
    });
    const read = await client.crm.deals.basicApi.getById(deal.id, ["dealname", "amount", "dealstage"]);
    expect(read.properties).toMatchObject({ dealname: "Big", amount: "1200", dealstage: "qualifiedtobuy" });
  });

  it("creates a contact already linked to a company, and reads the link back from both sides and in pages", async () => {
    const company = await client.crm.companies.basicApi.create({
      properties: { name: "Acme" },
      associations: [],
    });
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: "ada@example.com" },
      associations: [{ to: { id: company.id }, types: TO_COMPANY }],
    });
    const read = await client.crm.contacts.basicApi.getById(contact.id, undefined, undefined, ["companies"]);
    expect(read.associations?.companies?.results.map((link) => link.id)).toEqual([company.id]);
    const page = await client.crm.companies.basicApi.getPage(10, undefined, ["name"], undefined, [
      "contacts",
    ]);
    expect(page.results[0]?.associations?.contacts?.results.map((link) => link.id)).toEqual([contact.id]);
  });

  it("writes in batches (create with links, upsert, update, read, archive) and reads back what it wrote", async () => {
    const company = await client.crm.companies.basicApi.create({
      properties: { name: "Acme" },
      associations: [],
    });
    const created = await client.crm.contacts.batchApi.create({
      inputs: [
        {
          properties: { email: "a@example.com", firstname: "A" },
          associations: [{ to: { id: company.id }, types: TO_COMPANY }],
        },
        { properties: { email: "b@example.com", firstname: "B" }, associations: [] },
      ],
    });
    expect(created.results).toHaveLength(2);
    const upserted = await client.crm.contacts.batchApi.upsert({
      inputs: [
        { id: "a@example.com", idProperty: "email", properties: { lastname: "Ay" } },
        { id: "c@example.com", idProperty: "email", properties: { firstname: "C" } },
      ],
    });
    expect(upserted.results.map((result) => result._new).sort()).toEqual([false, true]);
    // Batch answers come in any order (HubSpot's do): find each record by its email.
    const idOf = (email: string) =>
      created.results.find((result) => result.properties.email === email)?.id ?? "";
    const ids = [idOf("a@example.com"), idOf("b@example.com")];
    await client.crm.contacts.batchApi.update({
      inputs: ids.map((id) => ({ id, properties: { jobtitle: "Tester" } })),
    });
    const read = await client.crm.contacts.batchApi.read({
      inputs: ids.map((id) => ({ id })),
      properties: ["email", "firstname", "lastname", "jobtitle"],
      propertiesWithHistory: [],
    });
    const byId = propertiesById(read.results);
    expect(byId[ids[0] as string]).toMatchObject({
      email: "a@example.com",
      firstname: "A",
      lastname: "Ay",
      jobtitle: "Tester",
    });
    expect(byId[ids[1] as string]).toMatchObject({
      email: "b@example.com",
      firstname: "B",
      jobtitle: "Tester",
    });
    expect(sandbox.store.associations.linksOf("contacts", ids[0] as string, "companies")).toHaveLength(1);
    await client.crm.contacts.batchApi.archive({ inputs: [{ id: ids[1] as string }] });
    expect(
      sandbox.store
        .listRecords("contacts")
        .map((record) => record.properties.email)
        .sort(),
    ).toEqual(["a@example.com", "c@example.com"]);
  });

  it("lists a custom object's records page by page through the generic objects API", async () => {
    for (const carId of ["V1", "V2", "V3"]) {
      await client.crm.objects.basicApi.create("cars", {
        properties: { car_id: carId, make: "Volvo" },
        associations: [],
      });
    }
    const first = await client.crm.objects.basicApi.getPage("cars", 2, undefined, ["car_id", "make"]);
    const second = await client.crm.objects.basicApi.getPage("cars", 2, first.paging?.next?.after, [
      "car_id",
    ]);
    expect([...first.results, ...second.results].map((record) => record.properties.car_id)).toEqual([
      "V1",
      "V2",
      "V3",
    ]);
    expect(first.results[0]?.properties.make).toBe("Volvo");
  });

  it("searches with filters, sorts, properties and paging, matching an email in any case", async () => {
    for (const [email, revenue] of [
      ["ada@hubspot.com", "9"],
      ["bob@example.com", "10"],
      ["cy@hubspot.com", "100"],
    ]) {
      await client.crm.contacts.basicApi.create({
        properties: { email: email as string, annualrevenue: revenue as string },
        associations: [],
      });
    }
    const search = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "annualrevenue", operator: "GTE" as never, value: "10" }] }],
      sorts: [{ propertyName: "annualrevenue", direction: "DESCENDING" } as never],
      properties: ["email", "annualrevenue"],
      limit: 1,
      after: "0",
    });
    expect(search.total).toBe(2);
    expect(search.results.map((result) => result.properties.email)).toEqual(["cy@hubspot.com"]);
    const next = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [{ filters: [{ propertyName: "annualrevenue", operator: "GTE" as never, value: "10" }] }],
      sorts: [{ propertyName: "annualrevenue", direction: "DESCENDING" } as never],
      properties: ["email"],
      limit: 1,
      after: search.paging?.next?.after ?? "",
    });
    expect(next.results.map((result) => result.properties.email)).toEqual(["bob@example.com"]);
    const byEmail = await client.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: "email", operator: "EQ" as never, value: "ADA@HUBSPOT.COM" }] },
      ],
      properties: ["email"],
      sorts: [],
      limit: 10,
      after: "0",
    });
    expect(byEmail.results.map((result) => result.properties.email)).toEqual(["ada@hubspot.com"]);
  });
});
