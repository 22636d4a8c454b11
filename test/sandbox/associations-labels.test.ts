import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { ASSOCIATION_APIS, call, makeRecords } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});

afterEach(async () => {
  await sandbox.close();
});

type Label = { category: string; typeId: number; label: string | null };
const labelsOf = (answer: { body: { results?: unknown[] } }) => (answer.body.results ?? []) as Label[];

describe("association labels on the legacy schema path", () => {
  it("serves /crm/associations/v4/…/labels as well as /crm/v4/associations/…/labels", async () => {
    const schemaPath = await call(sandbox, "GET", "/crm/associations/v4/contacts/companies/labels");
    const guidePath = await call(sandbox, "GET", "/crm/v4/associations/contacts/companies/labels");
    expect(schemaPath.status).toBe(200);
    expect(schemaPath.body.results).toEqual(guidePath.body.results);
  });
});

describe.each(ASSOCIATION_APIS)("association labels ($version)", (api) => {
  it("lists the seeded contact → company types: Primary, the Employee label, and the unlabeled type", async () => {
    const answer = await call(sandbox, "GET", api.labels("contacts", "companies"));
    expect(answer.status).toBe(200);
    expect(labelsOf(answer)).toEqual([
      { category: "HUBSPOT_DEFINED", typeId: 1, label: "Primary" },
      { category: "USER_DEFINED", typeId: 1405, label: "Employee" },
      { category: "HUBSPOT_DEFINED", typeId: 279, label: null },
    ]);
  });

  it("shows the other direction of a pair with its own type ids and the inverse label", async () => {
    const answer = await call(sandbox, "GET", api.labels("company", "contact"));
    expect(labelsOf(answer)).toEqual([
      { category: "HUBSPOT_DEFINED", typeId: 2, label: "Primary" },
      { category: "USER_DEFINED", typeId: 1406, label: "Manager" },
      { category: "HUBSPOT_DEFINED", typeId: 280, label: null },
    ]);
    const deals = labelsOf(await call(sandbox, "GET", api.labels("deals", "contacts")));
    expect(deals).toEqual([
      { category: "USER_DEFINED", typeId: 1407, label: "Decision maker" },
      { category: "HUBSPOT_DEFINED", typeId: 3, label: null },
    ]);
  });

  it("names custom objects by type id only, with the portal's own unlabeled type", async () => {
    const cars = await call(sandbox, "GET", api.labels("2-3465404", "0-1"));
    expect(labelsOf(cars)).toEqual([{ category: "USER_DEFINED", typeId: 1401, label: null }]);
    const byName = await call(sandbox, "GET", api.labels("cars", "contacts"));
    expect(byName.status).toBe(400);
    expect(byName.body.message).toBe("Unable to infer object type from: cars");
  });

  it("creates a paired label with one type id per direction and answers 200", async () => {
    const answer = await call(sandbox, "POST", api.labels("contacts", "deals"), {
      name: "champion_sponsor",
      label: "Champion",
      inverseLabel: "Sponsored deal",
    });
    expect(answer.status).toBe(200);
    const created = labelsOf(answer);
    expect(created.map((type) => type.label).sort()).toEqual(["Champion", "Sponsored deal"]);
    const forward = labelsOf(await call(sandbox, "GET", api.labels("contacts", "deals")));
    const backward = labelsOf(await call(sandbox, "GET", api.labels("deals", "contacts")));
    const champion = forward.find((type) => type.label === "Champion");
    const sponsored = backward.find((type) => type.label === "Sponsored deal");
    expect(champion?.category).toBe("USER_DEFINED");
    expect(sponsored).toBeDefined();
    expect(champion?.typeId).not.toBe(sponsored?.typeId);
    expect(created.map((type) => type.typeId).sort()).toEqual([champion?.typeId, sponsored?.typeId].sort());
  });

  it("creates a single label on a same-object pair as one symmetric type", async () => {
    const answer = await call(sandbox, "POST", api.labels("contacts", "contacts"), {
      name: "colleague",
      label: "Colleague",
    });
    expect(labelsOf(answer)).toHaveLength(1);
    const types = labelsOf(await call(sandbox, "GET", api.labels("contacts", "contacts")));
    expect(types.map((type) => type.label)).toEqual(["Colleague", null]);
  });

  it.each([
    ["a hyphen in the name", { name: "bad-name", label: "Bad" }, /may not contain hyphens/],
    ["a name starting with a digit", { name: "1st", label: "First" }, /begin with a number/],
    ["no name", { label: "Nameless" }, /Some required fields were not set: \[name\]/],
    ["a name the pair already has", { name: "employee_manager", label: "Again" }, /already exists/],
  ])("refuses a label with %s", async (_case, body, message) => {
    const answer = await call(sandbox, "POST", api.labels("contacts", "companies"), body);
    expect(answer.status).toBe(400);
    expect(answer.body.category).toBe("VALIDATION_ERROR");
    expect(String(answer.body.message)).toMatch(message);
  });

  it("allows 10 user labels per object pair, counting labels made from either side", async () => {
    // The pair already has "employee_manager"; nine more reach the limit, four of them made from the company side.
    for (let i = 0; i < 9; i += 1) {
      const [from, to] = i < 5 ? ["contacts", "companies"] : ["companies", "contacts"];
      const answer = await call(sandbox, "POST", api.labels(from, to), {
        name: `role_${i}`,
        label: `Role ${i}`,
      });
      expect(answer.status).toBe(200);
    }
    const eleventh = await call(sandbox, "POST", api.labels("companies", "contacts"), {
      name: "one_too_many",
      label: "One too many",
    });
    expect(eleventh.status).toBe(400);
    expect(String(eleventh.body.message)).toContain("10 association labels");
    const other = await call(sandbox, "POST", api.labels("deals", "companies"), {
      name: "buyer",
      label: "Buyer",
    });
    expect(other.status).toBe(200);
  });

  it("renames a user label with 204 and keeps its type id", async () => {
    const answer = await call(sandbox, "PUT", api.labels("contacts", "companies"), {
      associationTypeId: 1405,
      label: "Staff member",
    });
    expect(answer.status).toBe(204);
    const types = labelsOf(await call(sandbox, "GET", api.labels("contacts", "companies")));
    expect(types).toContainEqual({ category: "USER_DEFINED", typeId: 1405, label: "Staff member" });
    const inverse = labelsOf(await call(sandbox, "GET", api.labels("companies", "contacts")));
    expect(inverse).toContainEqual({ category: "USER_DEFINED", typeId: 1406, label: "Manager" });
  });

  it("refuses to rename a HubSpot-defined type", async () => {
    const answer = await call(sandbox, "PUT", api.labels("contacts", "companies"), {
      associationTypeId: 1,
      label: "Main",
    });
    expect(answer.status).toBe(400);
  });

  it("deletes an unused user label in both directions with 204", async () => {
    const answer = await call(sandbox, "DELETE", `${api.labels("deals", "contacts")}/1407`);
    expect(answer.status).toBe(204);
    const deals = labelsOf(await call(sandbox, "GET", api.labels("deals", "contacts")));
    const contacts = labelsOf(await call(sandbox, "GET", api.labels("contacts", "deals")));
    expect([...deals, ...contacts].map((type) => type.label)).toEqual([null, null]);
  });

  it("refuses to delete a label in use or a HubSpot-defined type", async () => {
    const [contact] = makeRecords(sandbox, "contacts", 1);
    const [company] = makeRecords(sandbox, "companies", 1);
    const link = await call(
      sandbox,
      "PUT",
      `${api.record("contacts", contact as string)}/companies/${company}`,
      [{ associationCategory: "USER_DEFINED", associationTypeId: 1405 }],
    );
    expect(link.status).toBe(201);
    const inUse = await call(sandbox, "DELETE", `${api.labels("contacts", "companies")}/1405`);
    expect(inUse.status).toBe(400);
    expect(String(inUse.body.message)).toContain("in use");
    const defined = await call(sandbox, "DELETE", `${api.labels("contacts", "companies")}/279`);
    expect(defined.status).toBe(400);
    const types = labelsOf(await call(sandbox, "GET", api.labels("contacts", "companies")));
    expect(types.map((type) => type.typeId)).toEqual([1, 1405, 279]);
  });
});
