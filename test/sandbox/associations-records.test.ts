import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { ASSOCIATION_APIS, call, makeRecords } from "./helpers.js";

let sandbox: Sandbox;
let contact: string;
let companies: string[];

beforeEach(async () => {
  sandbox = await startSandbox();
  [contact] = makeRecords(sandbox, "contacts", 1) as [string];
  companies = makeRecords(sandbox, "companies", 4);
});

afterEach(async () => {
  await sandbox.close();
});

const typeIds = (fromId: string) =>
  sandbox.store.associations.linksOf("contacts", fromId, "companies").map((link) => ({
    toId: link.toId,
    typeIds: link.types.map((type) => type.typeId),
  }));

describe.each(ASSOCIATION_APIS)("one record's associations ($version)", (api) => {
  const pairPath = (company: string) => `${api.record("contacts", contact)}/companies/${company}`;

  it("sets a pair's labels with PUT and answers 201 with the labels between them", async () => {
    const company = companies[0] as string;
    await call(sandbox, "PUT", pairPath(company), [
      { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 },
    ]);
    const answer = await call(sandbox, "PUT", pairPath(company), [
      { associationCategory: "USER_DEFINED", associationTypeId: 1405 },
    ]);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      fromObjectTypeId: "0-1",
      fromObjectId: Number(contact),
      toObjectTypeId: "0-2",
      toObjectId: Number(company),
      labels: ["Employee"],
    });
    expect(typeIds(contact)).toEqual([{ toId: company, typeIds: [1405, 279] }]);
    expect(sandbox.store.associations.received.put).toBe(2);
  });

  it("refuses a PUT without a body, with bare objects, or for a record that does not exist", async () => {
    const noBody = await call(sandbox, "PUT", pairPath(companies[0] as string));
    expect(noBody.status).toBe(400);
    expect(noBody.body.message).toBe("Invalid JSON input: a request body was expected, but none found");
    const bare = await call(sandbox, "PUT", pairPath(companies[0] as string), [{}]);
    expect(String(bare.body.message)).toContain("[associationCategory, associationTypeId]");
    const missing = await call(sandbox, "PUT", pairPath("31337"), [
      { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 },
    ]);
    expect(missing.status).toBe(400);
    expect(missing.body.context).toMatchObject({ INVALID_OBJECT_IDS: ["COMPANY=31337 is not valid"] });
    expect(typeIds(contact)).toEqual([]);
  });

  it("links a pair with the default type via PUT …/default and answers 200 in the batch shape", async () => {
    const company = companies[1] as string;
    const answer = await call(
      sandbox,
      "PUT",
      `${api.record("contacts", contact)}/default/companies/${company}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: "COMPLETE",
      results: [
        { from: { id: contact }, to: { id: company }, associationSpec: { associationTypeId: 279 } },
        { from: { id: company }, to: { id: contact }, associationSpec: { associationTypeId: 280 } },
      ],
    });
    expect(typeIds(contact)).toEqual([{ toId: company, typeIds: [279] }]);
  });

  it("deletes every type between two records with 204", async () => {
    const company = companies[0] as string;
    await call(sandbox, "PUT", pairPath(company), [
      { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 },
    ]);
    const answer = await call(sandbox, "DELETE", pairPath(company));
    expect(answer.status).toBe(204);
    expect(typeIds(contact)).toEqual([]);
    expect(sandbox.store.associations.linksOf("companies", company, "contacts")).toEqual([]);
  });

  it("lists a record's links in pages of `limit` with an opaque `after`, ascending by id", async () => {
    for (const company of companies) {
      await call(sandbox, "PUT", pairPath(company), [
        { associationCategory: "HUBSPOT_DEFINED", associationTypeId: 279 },
      ]);
    }
    const first = await call(sandbox, "GET", `${api.record("contacts", contact)}/companies?limit=3`);
    expect(first.status).toBe(200);
    const ids = (answer: typeof first) => (answer.body.results ?? []).map((result) => result.toObjectId);
    expect(ids(first)).toEqual(companies.slice(0, 3).map(Number));
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const second = await call(
      sandbox,
      "GET",
      `${api.record("contacts", contact)}/companies?limit=3&after=${after}`,
    );
    expect(ids(second)).toEqual([Number(companies[3])]);
    expect(second.body.paging).toBeUndefined();
  });

  it("refuses a page larger than 500 and a cursor it never issued", async () => {
    const tooBig = await call(sandbox, "GET", `${api.record("contacts", contact)}/companies?limit=501`);
    expect(tooBig.status).toBe(400);
    const badCursor = await call(sandbox, "GET", `${api.record("contacts", contact)}/companies?after=xyz`);
    expect(badCursor.status).toBe(400);
    const atMost = await call(sandbox, "GET", `${api.record("contacts", contact)}/companies?limit=500`);
    expect(atMost.body).toEqual({ results: [] });
  });
});

describe("association routing", () => {
  it("leaves a dated record path without /associations to the CRM routes", async () => {
    const answer = await call(sandbox, "GET", `/crm/objects/2026-03/contacts/${contact}`);
    expect(answer.body.id).toBe(contact);
  });

  it.each([
    ["POST", "/crm/v4/associations/usage/high-usage-report/7"],
    ["GET", "/crm/associations/2026-09/definitions/configurations/all"],
    ["GET", "/crm/associations/v4/definitions/configurations/0-1/0-2"],
    ["POST", "/crm/associations/v4/contacts/companies/batch/create"],
    ["POST", "/crm/associations/2025-09/contacts/companies/batch/create"],
    ["GET", "/crm/v4/associations/contacts/companies/batch/read"],
    ["GET", "/crm/v4/objects/contacts/1/associations/companies/2"],
    ["DELETE", "/crm/v4/associations/contacts/companies/labels"],
  ])("answers %s %s with 501: the sandbox does not implement it", async (method, path) => {
    const answer = await call(
      sandbox,
      method,
      path,
      method === "GET" || method === "DELETE" ? undefined : {},
    );
    expect(answer.status).toBe(501);
    expect(answer.body).toMatchObject({ status: "error", category: "NOT_IMPLEMENTED" });
    expect(String(answer.body.message)).toContain(path);
  });

  it("names an unserved API version in its 501", async () => {
    const answer = await call(sandbox, "GET", "/crm/associations/2025-09/contacts/companies/labels");
    expect(String(answer.body.message)).toContain("API version 2025-09");
  });

  it("refuses object names HubSpot does not take in association paths", async () => {
    for (const name of ["products", "cars", "p12345678_cars"]) {
      const answer = await call(sandbox, "GET", `/crm/v4/associations/${name}/contacts/labels`);
      expect(answer.status).toBe(400);
      expect(answer.body.message).toBe(`Unable to infer object type from: ${name}`);
    }
    const singular = await call(sandbox, "GET", "/crm/v4/associations/deal/company/labels");
    expect(singular.status).toBe(200);
  });

  it.each(ASSOCIATION_APIS)(
    "answers 501 naming an object HubSpot has and the sandbox does not serve ($version)",
    async (api) => {
      const requests: Array<[string, string, unknown]> = [
        ["GET", `${api.record("contacts", contact)}/quotes`, undefined],
        ["GET", `${api.record("contacts", contact)}/0-14`, undefined],
        ["POST", api.batch("contacts", "quotes", "read"), { inputs: [{ id: contact }] }],
        ["POST", api.batch("invoices", "contacts", "create"), { inputs: [] }],
        ["GET", api.labels("contacts", "invoices"), undefined],
      ];
      if (api.version === "legacy") {
        requests.push([
          "PUT",
          `/crm/v4/objects/contacts/${contact}/associations/default/quotes/5`,
          undefined,
        ]);
      }
      for (const [method, path, body] of requests) {
        const answer = await call(sandbox, method, path, body);
        expect([path, answer.status]).toEqual([path, 501]);
        expect(answer.body.message).toMatch(/^The sandbox does not serve the object (quotes|invoices|0-14);/);
      }
    },
  );

  it("refuses a default link between objects that have no association type", async () => {
    const [product] = makeRecords(sandbox, "products", 1) as [string];
    const answer = await call(sandbox, "PUT", `/crm/v4/objects/0-7/${product}/associations/default/0-3/1`);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain(
      "No association type is defined between products and deals",
    );
  });
});
