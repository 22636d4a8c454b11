import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { ASSOCIATION_APIS, call, makeRecords } from "./helpers.js";

let sandbox: Sandbox;
let contacts: string[];
let companies: string[];

beforeEach(async () => {
  sandbox = await startSandbox();
  contacts = makeRecords(sandbox, "contacts", 3);
  companies = makeRecords(sandbox, "companies", 3);
});

afterEach(async () => {
  await sandbox.close();
});

const HUBSPOT = "HUBSPOT_DEFINED";
const spec = (associationTypeId: number, associationCategory = HUBSPOT) => ({
  associationCategory,
  associationTypeId,
});
const input = (from: string, to: string, ...types: ReturnType<typeof spec>[]) => ({
  from: { id: from },
  to: { id: to },
  types,
});
const typeIdsOf = (fromType: string, fromId: string, toType: string) =>
  sandbox.store.associations.linksOf(fromType, fromId, toType).map((link) => ({
    toId: link.toId,
    typeIds: link.types.map((type) => type.typeId),
  }));

describe.each(ASSOCIATION_APIS)("association batch create ($version)", (api) => {
  const created = api.version === "2026-09" ? 200 : 201;
  const partial = api.version === "2026-09" ? 200 : 207;
  const create = (inputs: unknown[]) =>
    call(sandbox, "POST", api.batch("contacts", "companies", "create"), { inputs });

  it(`links with the labels given plus the unlabeled type, on both sides, and answers ${created}`, async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    const answer = await create([input(contact, company, spec(1405, "USER_DEFINED"))]);
    expect(answer.status).toBe(created);
    expect(answer.body.results).toEqual([
      {
        fromObjectTypeId: "0-1",
        fromObjectId: Number(contact),
        toObjectTypeId: "0-2",
        toObjectId: Number(company),
        labels: ["Employee"],
      },
    ]);
    expect(typeIdsOf("contacts", contact, "companies")).toEqual([{ toId: company, typeIds: [1405, 279] }]);
    expect(typeIdsOf("companies", company, "contacts")).toEqual([{ toId: contact, typeIds: [1406, 280] }]);
  });

  it("replaces a pair's labels with the ones a later write names", async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    await create([input(contact, company, spec(1), spec(1405, "USER_DEFINED"))]);
    expect(typeIdsOf("contacts", contact, "companies")[0]?.typeIds).toEqual([1, 1405, 279]);
    await create([input(contact, company, spec(1405, "USER_DEFINED"))]);
    expect(typeIdsOf("contacts", contact, "companies")[0]?.typeIds).toEqual([1405, 279]);
  });

  it(`writes the good inputs and names each bad one in a ${partial}`, async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    const answer = await create([
      input(contact, company, spec(279)),
      input("999999", company, spec(279)),
      input(contact, companies[1] as string, spec(3)),
      input(contact, companies[2] as string, spec(279, "USER_DEFINED")),
    ]);
    expect(answer.status).toBe(partial);
    expect(answer.body.numErrors).toBe(3);
    const [missing, wrongPair, wrongCategory] = answer.body.errors ?? [];
    expect(missing).toMatchObject({
      category: "VALIDATION_ERROR",
      message: "One or more associations are invalid",
      context: { INVALID_OBJECT_IDS: ["CONTACT=999999 is not valid"], objectId: ["999999"] },
    });
    expect(wrongPair).toMatchObject({
      subCategory: "crm.associations.INVALID_ASSOCIATION_TYPE",
      context: { type: ["3"], fromObjectType: ["contacts"], toObjectType: ["companies"] },
    });
    expect(wrongCategory?.subCategory).toBe("crm.associations.INVALID_ASSOCIATION_TYPE");
    expect(typeIdsOf("contacts", contact, "companies").map((link) => link.toId)).toEqual([company]);
  });

  it("answers 400 when every input fails, writing nothing", async () => {
    const answer = await create([input("999998", companies[0] as string, spec(279))]);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: "error", category: "VALIDATION_ERROR" });
    expect(answer.body.correlationId).toEqual(expect.any(String));
  });

  it("refuses more than 2,000 inputs and inputs without types", async () => {
    const many = Array.from({ length: 2001 }, () =>
      input(contacts[0] as string, companies[0] as string, spec(279)),
    );
    const tooMany = await create(many);
    expect(tooMany.status).toBe(400);
    expect(String(tooMany.body.message)).toContain("limit of 2000");
    const atLimit = await create(many.slice(1));
    expect(atLimit.status).toBe(created);
    const untyped = await create([{ from: { id: contacts[0] }, to: { id: companies[0] } }]);
    expect(untyped.status).toBe(400);
    expect(String(untyped.body.message)).toContain("Some required fields were not set");
  });

  it("moves a contact's primary company when another company is labelled primary", async () => {
    const [contact, first, second] = [contacts[0] as string, companies[0] as string, companies[1] as string];
    await create([input(contact, first, spec(1))]);
    await create([input(contact, second, spec(1))]);
    expect(typeIdsOf("contacts", contact, "companies")).toEqual([
      { toId: first, typeIds: [279] },
      { toId: second, typeIds: [1, 279] },
    ]);
    expect(typeIdsOf("companies", first, "contacts")).toEqual([{ toId: contact, typeIds: [280] }]);
  });

  it("moves the primary company from the company side too (type 2) and for deals (type 5)", async () => {
    const [contact, first, second] = [contacts[0] as string, companies[0] as string, companies[1] as string];
    await create([input(contact, first, spec(1))]);
    await call(sandbox, "POST", api.batch("companies", "contacts", "create"), {
      inputs: [input(second, contact, spec(2))],
    });
    expect(typeIdsOf("contacts", contact, "companies").find((link) => link.typeIds.includes(1))?.toId).toBe(
      second,
    );
    const [deal] = makeRecords(sandbox, "deals", 1) as [string];
    const path = api.batch("deals", "companies", "create");
    await call(sandbox, "POST", path, { inputs: [input(deal, first, spec(5))] });
    await call(sandbox, "POST", path, { inputs: [input(deal, second, spec(5))] });
    expect(typeIdsOf("deals", deal, "companies")).toEqual([
      { toId: first, typeIds: [341] },
      { toId: second, typeIds: [5, 341] },
    ]);
  });

  it("counts the inputs it receives, and per pair, so a test can see what was sent again", async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    await create([input(contact, company, spec(279)), input(contact, companies[1] as string, spec(279))]);
    await create([input(contact, company, spec(279))]);
    expect(sandbox.store.associations.received.batchCreate).toBe(3);
    expect(sandbox.store.associations.writesFor("contacts", contact, "companies", company)).toBe(2);
    expect(sandbox.store.associations.writesFor("companies", company, "contacts", contact)).toBe(2);
    expect(
      sandbox.store.associations.writesFor("contacts", contact, "companies", companies[1] as string),
    ).toBe(1);
  });
});

describe.each(ASSOCIATION_APIS)("association batch associate/default, read and archive ($version)", (api) => {
  const partialRead = api.version === "2026-09" ? 200 : 207;
  const path = (operation: string) => api.batch("contacts", "companies", operation);
  const link = (from: string, to: string, ...types: ReturnType<typeof spec>[]) =>
    call(sandbox, "POST", path("create"), {
      inputs: [input(from, to, ...(types.length ? types : [spec(279)]))],
    });

  it("links pairs with the unlabeled type, keeps labels a pair has, and answers both directions", async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    await link(contact, companies[1] as string, spec(1405, "USER_DEFINED"));
    const answer = await call(sandbox, "POST", path("associate/default"), {
      inputs: [
        { from: { id: contact }, to: { id: company } },
        { from: { id: contact }, to: { id: companies[1] } },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results?.slice(0, 2)).toEqual([
      {
        from: { id: contact },
        to: { id: company },
        associationSpec: { associationCategory: HUBSPOT, associationTypeId: 279 },
      },
      {
        from: { id: company },
        to: { id: contact },
        associationSpec: { associationCategory: HUBSPOT, associationTypeId: 280 },
      },
    ]);
    expect(typeIdsOf("contacts", contact, "companies")).toEqual([
      { toId: company, typeIds: [279] },
      { toId: companies[1], typeIds: [1405, 279] },
    ]);
    expect(sandbox.store.associations.received.batchDefault).toBe(2);
  });

  it("names missing records in the default links' errors and answers 400 when all are missing", async () => {
    const some = await call(sandbox, "POST", path("associate/default"), {
      inputs: [
        { from: { id: contacts[0] }, to: { id: companies[0] } },
        { from: { id: contacts[0] }, to: { id: "424242" } },
      ],
    });
    expect(some.status).toBe(200);
    expect(some.body.errors?.[0]?.context?.INVALID_OBJECT_IDS).toEqual(["COMPANY=424242 is not valid"]);
    const none = await call(sandbox, "POST", path("associate/default"), {
      inputs: [{ from: { id: "424242" }, to: { id: companies[0] } }],
    });
    expect(none.status).toBe(400);
  });

  it("reads each input's links with their types and answers 200 when all have some", async () => {
    await link(contacts[0] as string, companies[0] as string, spec(1), spec(1405, "USER_DEFINED"));
    const answer = await call(sandbox, "POST", path("read"), { inputs: [{ id: contacts[0] }] });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toEqual([
      {
        from: { id: contacts[0] },
        to: [
          {
            toObjectId: Number(companies[0]),
            associationTypes: [
              { category: HUBSPOT, typeId: 1, label: "Primary" },
              { category: "USER_DEFINED", typeId: 1405, label: "Employee" },
              { category: HUBSPOT, typeId: 279, label: null },
            ],
          },
        ],
      },
    ]);
  });

  it(`answers ${partialRead} with NO_ASSOCIATIONS_FOUND for records without links and bad ids`, async () => {
    await link(contacts[0] as string, companies[0] as string);
    const answer = await call(sandbox, "POST", path("read"), {
      inputs: [{ id: contacts[0] }, { id: contacts[1] }, { id: "not-an-id" }],
    });
    expect(answer.status).toBe(partialRead);
    expect(answer.body.results).toHaveLength(1);
    expect(answer.body.errors?.[0]).toEqual({
      status: "error",
      category: "OBJECT_NOT_FOUND",
      subCategory: "crm.associations.NO_ASSOCIATIONS_FOUND",
      message: `No company is associated with contact ${contacts[1]}.`,
      context: { fromObjectId: [contacts[1]], fromObjectType: ["contact"], toObjectType: ["company"] },
    });
    expect(answer.body.errors?.[1]?.subCategory).toBe("crm.associations.INVALID_IDENTIFIER");
  });

  it("refuses more than 1,000 read inputs", async () => {
    const inputs = Array.from({ length: 1001 }, () => ({ id: contacts[0] }));
    const answer = await call(sandbox, "POST", path("read"), { inputs });
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("limit of 1000");
  });

  it(`removes every type between the pairs on archive, answering ${api.version === "legacy" ? 204 : 200}`, async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    await link(contact, company, spec(1), spec(1405, "USER_DEFINED"));
    await link(contact, companies[1] as string);
    const answer = await call(sandbox, "POST", path("archive"), {
      inputs: [{ from: { id: contact }, to: [{ id: company }, { id: "777" }] }],
    });
    if (api.version === "legacy") expect(answer.status).toBe(204);
    else expect(answer.body).toMatchObject({ status: "COMPLETE", results: [] });
    expect(answer.status).toBe(api.version === "legacy" ? 204 : 200);
    expect(typeIdsOf("contacts", contact, "companies").map((one) => one.toId)).toEqual([companies[1]]);
    expect(typeIdsOf("companies", company, "contacts")).toEqual([]);
  });

  it("removes only the named labels on labels/archive, and everything when the unlabeled type is named", async () => {
    const [contact, company] = [contacts[0] as string, companies[0] as string];
    await link(contact, company, spec(1), spec(1405, "USER_DEFINED"));
    const labelsArchive = (...types: ReturnType<typeof spec>[]) =>
      call(sandbox, "POST", path("labels/archive"), { inputs: [input(contact, company, ...types)] });
    const first = await labelsArchive(spec(1405, "USER_DEFINED"));
    expect(first.status).toBe(api.version === "legacy" ? 204 : 200);
    expect(typeIdsOf("contacts", contact, "companies")[0]?.typeIds).toEqual([1, 279]);
    await labelsArchive(spec(279));
    expect(typeIdsOf("contacts", contact, "companies")).toEqual([]);
    expect(sandbox.store.associations.received.batchLabelsArchive).toBe(2);
  });
});

describe("association batch paging", () => {
  it("pages a batch read per input with `after`, and only the inputs that have more carry paging", async () => {
    const paged = await startSandbox({ associations: { readPageSize: 2 } });
    try {
      const [contact, other] = makeRecords(paged, "contacts", 2) as [string, string];
      const targets = makeRecords(paged, "companies", 5);
      const inputs = [
        ...targets.map((company) => input(contact, company, spec(279))),
        input(other, targets[0] as string, spec(279)),
      ];
      await call(paged, "POST", "/crm/v4/associations/contacts/companies/batch/create", { inputs });
      const seen: number[][] = [];
      let after: string | undefined;
      for (let page = 0; page < 5; page += 1) {
        const answer = await call(paged, "POST", "/crm/associations/2026-03/contacts/companies/batch/read", {
          inputs: [{ id: contact, ...(after ? { after } : {}) }, ...(page === 0 ? [{ id: other }] : [])],
        });
        const [mine, theirs] = (answer.body.results ?? []) as Array<{
          to: Array<{ toObjectId: number }>;
          paging?: { next: { after: string } };
        }>;
        seen.push((mine?.to ?? []).map((one) => one.toObjectId));
        if (page === 0) expect(theirs?.paging).toBeUndefined();
        after = mine?.paging?.next.after;
        if (!after) break;
      }
      const ids = targets.map(Number);
      expect(seen).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
    } finally {
      await paged.close();
    }
  });
});
