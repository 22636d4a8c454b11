import type { Client } from "@hubspot/api-client";
import { AssociationSpecAssociationCategoryEnum as Category } from "@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../support/sandbox.js";
import { startWithClient } from "./helpers.js";

let sandbox: Sandbox;
let client: Client;
let contact: string;
let companies: string[];

beforeEach(async () => {
  ({ sandbox, client } = await startWithClient());
  contact = (
    await client.crm.contacts.basicApi.create({ properties: { email: "ada@example.com" }, associations: [] })
  ).id;
  companies = [];
  for (const name of ["Acme", "Globex"]) {
    companies.push(
      (await client.crm.companies.basicApi.create({ properties: { name }, associations: [] })).id,
    );
  }
});
afterEach(async () => {
  await sandbox.close();
});

const labelsOf = (toId: string) =>
  sandbox.store.associations.linksOf("contacts", contact, "companies").find((link) => link.toId === toId)
    ?.types;

describe("associations v4 through @hubspot/api-client", () => {
  it("creates, renames and deletes a label, and lists the pair's types", async () => {
    const created = await client.crm.associations.v4.schema.definitionsApi.create("contacts", "companies", {
      name: "advisor",
      label: "Advisor",
      inverseLabel: "Advised",
    });
    const typeId = created.results.find((type) => type.label === "Advisor")?.typeId ?? 0;
    await client.crm.associations.v4.schema.definitionsApi.update("contacts", "companies", {
      associationTypeId: typeId,
      label: "Board advisor",
    });
    const all = await client.crm.associations.v4.schema.definitionsApi.getAll("contacts", "companies");
    expect(all.results.map((type) => type.label)).toContain("Board advisor");
    await client.crm.associations.v4.schema.definitionsApi.remove("contacts", "companies", typeId);
    const after = await client.crm.associations.v4.schema.definitionsApi.getAll("contacts", "companies");
    expect(after.results.map((type) => type.typeId)).not.toContain(typeId);
  });

  it("links in batches, default and labelled, reads the links, and removes a label then the links", async () => {
    const [acme, globex] = companies as [string, string];
    await client.crm.associations.v4.batchApi.createDefault("contacts", "companies", {
      inputs: [{ _from: { id: contact }, to: { id: acme } }],
    });
    await client.crm.associations.v4.batchApi.create("contacts", "companies", {
      inputs: [
        {
          _from: { id: contact },
          to: { id: globex },
          types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 1 }],
        },
      ],
    });
    const read = await client.crm.associations.v4.batchApi.getPage("contacts", "companies", {
      inputs: [{ id: contact }],
    });
    const linked = read.results[0]?.to.map((link) => String(link.toObjectId)).sort();
    expect(linked).toEqual([acme, globex].sort());
    expect(
      labelsOf(globex)
        ?.map((type) => type.typeId)
        .sort(),
    ).toEqual([1, 279]);
    await client.crm.associations.v4.batchApi.archiveLabels("contacts", "companies", {
      inputs: [
        {
          _from: { id: contact },
          to: { id: globex },
          types: [{ associationCategory: Category.HubspotDefined, associationTypeId: 1 }],
        },
      ],
    });
    expect(labelsOf(globex)?.map((type) => type.typeId)).toEqual([279]);
    await client.crm.associations.v4.batchApi.archive("contacts", "companies", {
      inputs: [{ _from: { id: contact }, to: [{ id: acme }, { id: globex }] }],
    });
    expect(sandbox.store.associations.linksOf("contacts", contact, "companies")).toEqual([]);
  });

  it("links one record to another, labelled and by default, pages its links and unlinks", async () => {
    const [acme, globex] = companies as [string, string];
    const labelled = await client.crm.associations.v4.basicApi.create(
      "contacts",
      contact,
      "companies",
      acme,
      [{ associationCategory: Category.HubspotDefined, associationTypeId: 1 }],
    );
    expect(labelled.labels).toEqual(["Primary"]);
    await client.crm.associations.v4.basicApi.createDefault("contacts", contact, "companies", globex);
    const page = await client.crm.associations.v4.basicApi.getPage(
      "contacts",
      contact,
      "companies",
      undefined,
      1,
    );
    expect(page.results).toHaveLength(1);
    const rest = await client.crm.associations.v4.basicApi.getPage(
      "contacts",
      contact,
      "companies",
      page.paging?.next?.after,
      1,
    );
    expect([...page.results, ...rest.results].map((link) => String(link.toObjectId)).sort()).toEqual(
      [acme, globex].sort(),
    );
    await client.crm.associations.v4.basicApi.archive("contacts", contact, "companies", acme);
    expect(
      sandbox.store.associations.linksOf("contacts", contact, "companies").map((link) => link.toId),
    ).toEqual([globex]);
  });
});
