import type { Client } from "@hubspot/api-client";
import { AssociationSpecAssociationCategoryEnum as Category } from "@hubspot/api-client/lib/codegen/crm/objects/models/AssociationSpec.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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

const link = (id: string, associationTypeId: number) => ({
  to: { id },
  types: [{ associationCategory: Category.HubspotDefined, associationTypeId }],
});
const AT = "2026-03-02T10:00:00.000Z";

describe("tickets, line items, leads and activities through @hubspot/api-client", () => {
  it("creates and reads a ticket, and upserts it by its external id", async () => {
    const properties = { subject: "Printer on fire", hs_pipeline: "0", hs_pipeline_stage: "1" };
    const created = await client.crm.tickets.basicApi.create({ properties, associations: [] });
    const read = await client.crm.tickets.basicApi.getById(created.id, ["subject", "hs_pipeline_stage"]);
    expect(read.properties).toMatchObject({ subject: "Printer on fire", hs_pipeline_stage: "1" });
    const upsert = (subject: string) =>
      client.crm.tickets.batchApi.upsert({
        inputs: [
          { id: "zd-7", idProperty: "hs_external_object_ids", properties: { ...properties, subject } },
        ],
      });
    await upsert("First");
    const second = await upsert("Second");
    expect(second.results.map((result) => [result._new, result.properties.subject])).toEqual([
      [false, "Second"],
    ]);
  });

  it("creates line items linked to a deal, and notes, calls, tasks, meetings and emails linked to a contact", async () => {
    const deal = await client.crm.deals.basicApi.create({
      properties: { dealname: "Big", pipeline: "default", dealstage: "qualifiedtobuy" },
      associations: [],
    });
    const items = await client.crm.lineItems.batchApi.create({
      inputs: [
        { properties: { name: "Widget", quantity: "2", price: "10" }, associations: [link(deal.id, 20)] },
      ],
    });
    expect(sandbox.store.associations.linksOf("deals", deal.id, "line_items").map((l) => l.toId)).toEqual(
      items.results.map((item) => item.id),
    );
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: "ada@example.com" },
      associations: [],
    });
    const note = await client.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: AT, hs_note_body: "Called back" },
      associations: [link(contact.id, 202)],
    });
    const read = await client.crm.objects.notes.basicApi.getById(note.id, ["hs_note_body"], undefined, [
      "contacts",
    ]);
    expect(read.associations?.contacts?.results.map((result) => result.id)).toEqual([contact.id]);
    await client.crm.objects.calls.basicApi.create({
      properties: { hs_timestamp: AT },
      associations: [link(contact.id, 194)],
    });
    await client.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: AT },
      associations: [link(contact.id, 204)],
    });
    await client.crm.objects.meetings.basicApi.create({
      properties: { hs_timestamp: AT },
      associations: [link(contact.id, 200)],
    });
    await client.crm.objects.emails.basicApi.create({
      properties: { hs_timestamp: AT, hs_email_direction: "EMAIL" },
      associations: [link(contact.id, 198)],
    });
    for (const activity of ["notes", "calls", "tasks", "meetings", "emails"]) {
      expect(sandbox.store.associations.linksOf("contacts", contact.id, activity), activity).toHaveLength(1);
    }
  });

  it("creates a lead linked to its primary contact, and refuses one without a contact", async () => {
    const contact = await client.crm.contacts.basicApi.create({
      properties: { email: "ada@example.com" },
      associations: [],
    });
    const lead = await client.crm.objects.leads.basicApi.create({
      properties: { hs_lead_name: "Ada Lovelace", hs_lead_type: "NEW BUSINESS" },
      associations: [link(contact.id, 578)],
    });
    expect(sandbox.store.associations.linksOf("leads", lead.id, "contacts").map((l) => l.toId)).toEqual([
      contact.id,
    ]);
    const refused = await client.crm.objects.leads.basicApi
      .create({ properties: { hs_lead_name: "Nobody" }, associations: [] })
      .then(
        () => undefined,
        (error: { code?: number }) => error.code,
      );
    expect(refused).toBe(400);
    expect(sandbox.store.listRecords("leads")).toHaveLength(1);
  });
});

describe("merges and pipelines through @hubspot/api-client", () => {
  it("merges two contacts into a new one that both old ids read as", async () => {
    const [ada, augusta] = await Promise.all(
      ["ada@example.com", "augusta@example.com"].map((email) =>
        client.crm.contacts.basicApi.create({ properties: { email }, associations: [] }),
      ),
    );
    const merged = await client.crm.contacts.basicApi.merge({
      primaryObjectId: ada?.id ?? "",
      objectIdToMerge: augusta?.id ?? "",
    });
    expect([ada?.id, augusta?.id]).not.toContain(merged.id);
    const read = await client.crm.contacts.batchApi.read({
      inputs: [{ id: augusta?.id ?? "" }],
      properties: ["email", "hs_merged_object_ids"],
      propertiesWithHistory: [],
    });
    expect(propertiesById(read.results)).toEqual({
      [merged.id]: expect.objectContaining({
        email: "ada@example.com",
        hs_merged_object_ids: `${ada?.id};${augusta?.id}`,
      }),
    });
  });

  it("reads deal and ticket pipelines and their stages", async () => {
    const deals = await client.crm.pipelines.pipelinesApi.getAll("deals");
    expect(deals.results.map((pipeline) => pipeline.label)).toEqual(["Sales Pipeline"]);
    const tickets = await client.crm.pipelines.pipelinesApi.getById("tickets", "0");
    expect(tickets.stages.map((stage) => stage.id)).toEqual(["1", "2", "3", "4"]);
    const stages = await client.crm.pipelines.pipelineStagesApi.getAll("deals", "default");
    expect(stages.results[5]?.label).toBe("Closed Won");
    const stage = await client.crm.pipelines.pipelineStagesApi.getById("tickets", "0", "4");
    expect(stage.metadata).toMatchObject({ ticketState: "CLOSED" });
  });
});
