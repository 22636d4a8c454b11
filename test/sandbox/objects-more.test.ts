/**
 * Tickets, line items, leads and the activities over HTTP: type ids and names, required properties, scopes,
 * built-in unique keys, creates linked in the same request (atomic per input), and HubSpot's association types
 * between them and contacts, companies and deals.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRIVATE_APP_TOKEN } from "../../src/sandbox/server.js";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { batch, call, paths, tokenWithout, upsert, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;
const LIMITED = "limited-token";

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

/** Restarts the sandbox with a token of its own beside the default one. */
async function withToken(token: { token: string; scopes: string[] }) {
  await sandbox.close();
  sandbox = await startSandbox({ privateAppTokens: [tokenWithout(DEFAULT_PRIVATE_APP_TOKEN), token] });
}

const AT = "2026-03-02T10:00:00.000Z";
/** Each object: its type id, a valid create, and the properties D-OBJ's table requires. */
const OBJECTS: Array<[string, string, Record<string, string>, string[]]> = [
  [
    "tickets",
    "0-5",
    { subject: "Printer on fire", hs_pipeline: "0", hs_pipeline_stage: "1" },
    ["subject", "hs_pipeline", "hs_pipeline_stage"],
  ],
  ["line_items", "0-8", { name: "Widget", price: "10", quantity: "2" }, []],
  ["notes", "0-46", { hs_timestamp: AT, hs_note_body: "Called back" }, ["hs_timestamp"]],
  [
    "calls",
    "0-48",
    { hs_timestamp: AT, hs_call_title: "Intro", hs_call_direction: "OUTBOUND" },
    ["hs_timestamp"],
  ],
  [
    "tasks",
    "0-27",
    { hs_timestamp: AT, hs_task_subject: "Follow up", hs_task_status: "NOT_STARTED" },
    ["hs_timestamp"],
  ],
  ["meetings", "0-47", { hs_timestamp: AT, hs_meeting_title: "Demo" }, ["hs_timestamp"]],
  [
    "emails",
    "0-49",
    { hs_timestamp: AT, hs_email_direction: "EMAIL", hs_email_subject: "Hi" },
    ["hs_timestamp", "hs_email_direction"],
  ],
];

async function contact(email: string): Promise<string> {
  const answer = await call(sandbox, "POST", "/crm/v3/objects/contacts", { properties: { email } });
  expect(answer.status).toBe(201);
  return String(answer.body.id);
}

describe.each(VERSIONS)("the other objects at version %s", (version) => {
  it.each(OBJECTS)(
    "creates %s (%s) with its required properties and refuses one without them",
    async (name, typeId, properties, required) => {
      const created = await call(sandbox, "POST", paths.objects(version, typeId), { properties });
      expect(created.status).toBe(201);
      const read = await call(
        sandbox,
        "GET",
        `${paths.objects(version, name)}/${String(created.body.id)}?properties=${Object.keys(properties).join(",")}`,
      );
      expect(read.body.properties).toMatchObject(properties);
      if (required.length === 0) return;
      const refused = await call(sandbox, "POST", paths.objects(version, name), { properties: {} });
      expect(refused.status).toBe(400);
      expect(refused.body.context).toMatchObject({ requiredProperties: required });
      expect((refused.body.errors as Array<{ code: string }>).map((item) => item.code)).toEqual(
        required.map(() => "REQUIRED_PROPERTY"),
      );
      expect(sandbox.store.listRecords(name)).toHaveLength(1);
    },
  );

  it("dates activities by hs_createdate and other records by createdate", async () => {
    const note = await call(sandbox, "POST", paths.objects(version, "notes"), {
      properties: { hs_timestamp: AT },
    });
    expect(Object.keys(note.body.properties as object)).toContain("hs_createdate");
    expect((note.body.properties as Record<string, string>).createdate).toBeUndefined();
    const ticket = await call(sandbox, "POST", paths.objects(version, "tickets"), {
      properties: OBJECTS[0]?.[2],
    });
    expect(Object.keys(ticket.body.properties as object)).toContain("createdate");
  });

  it("upserts tickets by hs_external_object_ids and line items by hs_external_id, their built-in unique keys", async () => {
    const ticket = (subject: string) => ({
      id: "zendesk-1",
      idProperty: "hs_external_object_ids",
      properties: { subject, hs_pipeline: "0", hs_pipeline_stage: "1" },
    });
    const first = await batch(sandbox, version, "tickets", "upsert", { inputs: [ticket("One")] });
    const second = await batch(sandbox, version, "tickets", "upsert", { inputs: [ticket("Two")] });
    expect([first.body.results?.[0]?.new, second.body.results?.[0]?.new]).toEqual([true, false]);
    expect(sandbox.store.listRecords("tickets").map((record) => record.properties.subject)).toEqual(["Two"]);
    const item = await batch(sandbox, version, "line_items", "upsert", {
      inputs: [{ id: "sku-9", idProperty: "hs_external_id", properties: { quantity: "3" } }],
    });
    expect(item.status).toBe(200);
    const unique = await call(sandbox, "GET", `${paths.properties(version, "line_items")}/hs_external_id`);
    expect(unique.body.hasUniqueValue).toBe(true);
    const notUnique = await batch(sandbox, version, "notes", "upsert", {
      inputs: [{ id: "x", idProperty: "hs_note_body", properties: {} }],
    });
    expect(notUnique.status).toBe(400);
    expect(String(notUnique.body.message)).toMatch(/non-unique 0-46 property hs_note_body/);
  });
});

describe("creates linked in the same request", () => {
  it.each(VERSIONS)(
    "creates notes linked to their contacts, and not the one whose contact does not exist (%s)",
    async (version) => {
      const [ada, bob] = [await contact("ada@example.com"), await contact("bob@example.com")];
      const note = (trace: string, to: string) => ({
        objectWriteTraceId: trace,
        properties: { hs_timestamp: AT, hs_note_body: trace },
        associations: [
          { to: { id: to }, types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 202 }] },
        ],
      });
      const answer = await batch(sandbox, version, "notes", "create", {
        inputs: [note("a", ada), note("ghost", "999999"), note("b", bob)],
      });
      expect(answer.status).toBe(version === "2026-09" ? 201 : 207);
      expect(answer.body.errors?.map((item) => item.context?.objectWriteTraceId?.[0])).toEqual(["ghost"]);
      expect(
        sandbox.store
          .listRecords("notes")
          .map((record) => record.properties.hs_note_body)
          .sort(),
      ).toEqual(["a", "b"]);
      for (const id of [ada, bob]) {
        const [link] = sandbox.store.associations.linksOf("contacts", id, "notes");
        expect(link?.types.map((type) => type.typeId)).toEqual([201]);
      }
    },
  );

  it("creates a lead only with a link to an existing contact, and moves its primary contact", async () => {
    const lead = (links: Array<[string, number]>) =>
      call(sandbox, "POST", "/crm/v3/objects/leads", {
        properties: { hs_lead_name: "Jane Doe", hs_lead_type: "NEW BUSINESS", hs_lead_label: "WARM" },
        associations: links.map(([id, typeId]) => ({
          to: { id },
          types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId }],
        })),
      });
    const unlinked = await lead([]);
    expect(unlinked.status).toBe(400);
    expect(String(unlinked.body.message)).toMatch(/must be associated with an existing contact/);
    const company = await call(sandbox, "POST", "/crm/v3/objects/companies", {
      properties: { name: "Acme" },
    });
    expect((await lead([[String(company.body.id), 610]])).status).toBe(400);
    expect(sandbox.store.listRecords("leads")).toHaveLength(0);
    const [ada, bob] = [await contact("ada@example.com"), await contact("bob@example.com")];
    const created = await lead([[ada, 578]]);
    expect(created.status).toBe(201);
    const id = String(created.body.id);
    const moved = await call(sandbox, "PUT", `/crm/v4/objects/0-136/${id}/associations/0-1/${bob}`, [
      { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 578 },
    ]);
    expect(moved.status).toBe(201);
    const types = (contactId: string) =>
      sandbox.store.associations
        .linksOf("leads", id, "contacts")
        .find((link) => link.toId === contactId)
        ?.types.map((type) => type.typeId);
    expect([types(ada), types(bob)]).toEqual([[608], [578, 608]]);
  });

  it("refuses an upsert that would create a lead, since it cannot carry the link a lead needs", async () => {
    const property = {
      name: "lead_key",
      label: "Lead key",
      type: "string",
      fieldType: "text",
      groupName: "leadinformation",
      hasUniqueValue: true,
    };
    expect((await call(sandbox, "POST", "/crm/v3/properties/leads", property)).status).toBe(201);
    const answer = await upsert(sandbox, "leads", [
      { id: "L1", idProperty: "lead_key", properties: { hs_lead_name: "Jane" } },
    ]);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(/must be associated/);
    expect(sandbox.store.listRecords("leads")).toHaveLength(0);
  });
});

describe("association types of the other objects", () => {
  it.each([
    ["notes", "contacts", 202],
    ["0-46", "0-2", 190],
    ["0-48", "0-3", 206],
    ["0-27", "tickets", 230],
    ["0-47", "0-1", 200],
    ["0-49", "0-3", 210],
    ["tickets", "contacts", 16],
    ["deals", "tickets", 27],
    ["deals", "0-8", 19],
    ["0-8", "deals", 20],
    ["0-136", "0-1", 608],
    ["0-136", "0-3", 1037],
  ])("lists HubSpot's unlabeled type from %s to %s: %i", async (from, to, typeId) => {
    const answer = await call(sandbox, "GET", `/crm/v4/associations/${from}/${to}/labels`);
    expect(answer.status).toBe(200);
    expect(answer.body.results).toContainEqual({ category: "HUBSPOT_DEFINED", typeId, label: null });
  });

  it("lists the primary types: ticket → primary company 26, lead → primary contact 578 and primary deal 582", async () => {
    const labels = async (from: string, to: string) =>
      (await call(sandbox, "GET", `/crm/v4/associations/${from}/${to}/labels`)).body.results;
    expect(await labels("tickets", "companies")).toContainEqual({
      category: "HUBSPOT_DEFINED",
      typeId: 26,
      label: "Primary",
    });
    expect(await labels("companies", "tickets")).toContainEqual({
      category: "HUBSPOT_DEFINED",
      typeId: 25,
      label: "Primary",
    });
    expect(await labels("0-136", "0-1")).toContainEqual({
      category: "HUBSPOT_DEFINED",
      typeId: 578,
      label: "Primary",
    });
    expect(await labels("0-3", "0-136")).toContainEqual({
      category: "HUBSPOT_DEFINED",
      typeId: 583,
      label: "Primary",
    });
  });

  it("takes names in association paths only for the objects HubSpot documents (tickets, notes), type ids for the rest", async () => {
    expect((await call(sandbox, "GET", "/crm/v4/associations/calls/contacts/labels")).status).toBe(400);
    expect((await call(sandbox, "GET", "/crm/v4/associations/0-48/contacts/labels")).status).toBe(200);
  });
});

describe("properties of the other objects", () => {
  it.each([
    ["tickets", "ticketinformation"],
    ["line_items", "lineiteminformation"],
    ["leads", "leadinformation"],
    ["notes", "noteinformation"],
    ["0-49", "emailinformation"],
  ])("creates a unique property on %s in its default group %s, and upserts by it", async (name, group) => {
    const property = {
      name: "source_key",
      label: "Source key",
      type: "string",
      fieldType: "text",
      groupName: group,
      hasUniqueValue: true,
    };
    const created = await call(sandbox, "POST", `/crm/v3/properties/${name}`, property);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ hasUniqueValue: true, groupName: group });
    expect((await call(sandbox, "POST", `/crm/v3/properties/${name}`, property)).status).toBe(409);
    if (name === "leads") return;
    const required = OBJECTS.find(([candidate, typeId]) => candidate === name || typeId === name)?.[2] ?? {};
    const upserted = await upsert(sandbox, name, [
      { id: "k1", idProperty: "source_key", properties: required },
    ]);
    expect(upserted.status, JSON.stringify(upserted.body)).toBe(200);
  });

  it.each([
    ["tickets", "ticketinformation", "tickets"],
    ["notes", "noteinformation", "crm.schemas.contacts.write"],
  ])("refuses a property create on %s (group %s) without the scope %s", async (name, group, scope) => {
    await withToken(tokenWithout(LIMITED, scope));
    const property = { name: "colour", label: "Colour", type: "string", fieldType: "text", groupName: group };
    const answer = await call(sandbox, "POST", `/crm/v3/properties/${name}`, property, LIMITED);
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body.errors)).toContain(scope);
  });
});

describe("scopes of the other objects", () => {
  it.each([
    ["tickets", { subject: "S", hs_pipeline: "0", hs_pipeline_stage: "1" }, "tickets"],
    ["leads", { hs_lead_name: "L" }, "crm.objects.leads.write"],
    ["notes", { hs_timestamp: AT }, "crm.objects.contacts.write"],
    ["line_items", { name: "W" }, "crm.objects.line_items.write"],
  ])("refuses a %s write without its scope with 403 naming it", async (name, properties, scope) => {
    await withToken(tokenWithout(LIMITED, scope, ...(name === "line_items" ? ["e-commerce"] : [])));
    const answer = await call(sandbox, "POST", `/crm/v3/objects/${name}`, { properties }, LIMITED);
    expect(answer.status).toBe(403);
    expect(answer.body.category).toBe("MISSING_SCOPES");
    expect(JSON.stringify(answer.body.errors)).toContain(scope);
  });
});
