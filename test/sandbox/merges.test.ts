/**
 * Merges over HTTP: the survivor's new id and values, the old ids as aliases on single and batch reads and single
 * updates, refused by batch updates, archives and association and list writes, links and memberships moved, and
 * the `seed` option that starts a portal with merged records.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../support/sandbox.js";
import { batch, call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

const PRIMARY_COMPANY = [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: 1 }];

async function create(objectType: string, properties: Record<string, string>, associations: unknown[] = []) {
  const answer = await call(sandbox, "POST", `/crm/v3/objects/${objectType}`, { properties, associations });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return String(answer.body.id);
}

describe.each(VERSIONS)("merging at version %s", (version) => {
  const contacts = paths.objects(version, "contacts");
  const merge = (primaryObjectId: string, objectIdToMerge: string, objectType = "contacts") =>
    call(sandbox, "POST", `${paths.objects(version, objectType)}/merge`, {
      primaryObjectId,
      objectIdToMerge,
    });

  async function mergedPair() {
    const primary = await create("contacts", {
      email: "ada@example.com",
      firstname: "Ada",
      external_id: "X1",
    });
    const secondary = await create("contacts", {
      email: "augusta@example.com",
      firstname: "Augusta",
      lastname: "Lovelace",
      hs_additional_emails: "ada@work.example.com",
      external_id: "X2",
    });
    const answer = await merge(primary, secondary);
    expect(answer.status).toBe(200);
    return { primary, secondary, survivor: String(answer.body.id), answer };
  }

  it("gives the survivor a new id, the primary's values first, both old ids and both addresses", async () => {
    const { primary, secondary, survivor, answer } = await mergedPair();
    expect([primary, secondary]).not.toContain(survivor);
    expect(answer.body.properties).toMatchObject({
      hs_object_id: survivor,
      email: "ada@example.com",
      firstname: "Ada",
      lastname: "Lovelace",
      external_id: "X1",
      hs_merged_object_ids: `${primary};${secondary}`,
      hs_additional_emails: "augusta@example.com;ada@work.example.com",
    });
    expect(sandbox.store.listRecords("contacts").map((record) => record.id)).toEqual([survivor]);
    // The ledger counts what clients wrote: the two creates, not the merge's survivor.
    expect(sandbox.ledger.totals("contacts").creates).toBe(2);
    // The secondary's unique value is free again; its email is not: it is the survivor's now.
    expect(
      (await create("contacts", { email: "bob@example.com", external_id: "X2" })).length,
    ).toBeGreaterThan(0);
    expect(
      (await call(sandbox, "POST", contacts, { properties: { email: "augusta@example.com" } })).status,
    ).toBe(409);
  });

  it("answers the survivor for either old id on single and batch reads, and by the old address", async () => {
    const { primary, secondary, survivor } = await mergedPair();
    for (const id of [primary, secondary]) {
      const read = await call(sandbox, "GET", `${contacts}/${id}?properties=email`);
      expect(read.body).toMatchObject({ id: survivor, properties: { email: "ada@example.com" } });
    }
    const batchRead = await batch(sandbox, version, "contacts", "read", {
      inputs: [{ id: secondary }],
      properties: ["email"],
      propertiesWithHistory: [],
    });
    expect(batchRead.status).toBe(200);
    expect(batchRead.body.results?.map((result) => result.id)).toEqual([survivor]);
    expect(batchRead.body.errors).toBeUndefined();
    const byAddress = await call(sandbox, "GET", `${contacts}/augusta@example.com?idProperty=email`);
    expect(byAddress.body.id).toBe(survivor);
  });

  it("updates the survivor through an old id on PATCH, and refuses old ids in batch updates", async () => {
    const { primary, secondary, survivor } = await mergedPair();
    const patched = await call(sandbox, "PATCH", `${contacts}/${secondary}`, {
      properties: { jobtitle: "Countess" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.id).toBe(survivor);
    const updated = await batch(sandbox, version, "contacts", "update", {
      inputs: [{ id: primary, properties: { jobtitle: "Analyst" }, objectWriteTraceId: "old" }],
    });
    expect(updated.status).toBe(version === "2026-09" ? 200 : 207);
    expect(updated.body.errors?.[0]).toMatchObject({
      category: "OBJECT_NOT_FOUND",
      context: { ids: [primary] },
    });
    expect(sandbox.store.findRecord("contacts", "hs_object_id", survivor)?.properties.jobtitle).toBe(
      "Countess",
    );
  });

  it("refuses old ids in archives, archiving nothing of the request", async () => {
    const { primary, survivor } = await mergedPair();
    const other = await create("contacts", { email: "bob@example.com" });
    const archived = await batch(sandbox, version, "contacts", "archive", {
      inputs: [{ id: other }, { id: primary }],
    });
    expect(archived.status).toBe(400);
    expect(archived.body).toMatchObject({ category: "OBJECT_NOT_FOUND", context: { ids: [primary] } });
    expect((await call(sandbox, "DELETE", `${contacts}/${primary}`)).status).toBe(400);
    expect(
      sandbox.store
        .listRecords("contacts")
        .map((record) => record.id)
        .sort(),
    ).toEqual([survivor, other].sort());
    expect((await call(sandbox, "DELETE", `${contacts}/${survivor}`)).status).toBe(204);
  });

  it("moves links to the survivor, the primary's primary company winning, and refuses links by old ids", async () => {
    const [a, b] = [await create("companies", { name: "A" }), await create("companies", { name: "B" })];
    const primary = await create("contacts", { email: "ada@example.com" }, [
      { to: { id: a }, types: PRIMARY_COMPANY },
    ]);
    const secondary = await create("contacts", { email: "augusta@example.com" }, [
      { to: { id: b }, types: PRIMARY_COMPANY },
    ]);
    const survivor = String((await merge(primary, secondary)).body.id);
    const typesTo = (company: string) =>
      sandbox.store.associations
        .linksOf("contacts", survivor, "companies")
        .find((link) => link.toId === company)
        ?.types.map((type) => type.typeId);
    expect([typesTo(a), typesTo(b)]).toEqual([[1, 279], [279]]);
    expect(sandbox.store.associations.linksOf("companies", b, "contacts").map((link) => link.toId)).toEqual([
      survivor,
    ]);
    const byOldId = await call(
      sandbox,
      "PUT",
      `/crm/v4/objects/contacts/${primary}/associations/default/companies/${b}`,
    );
    expect(byOldId.status).toBe(400);
    expect(JSON.stringify(byOldId.body)).toContain(`CONTACT=${primary} is not valid`);
  });

  it("moves list memberships to the survivor, and reports old ids as missing from membership writes", async () => {
    const primary = await create("contacts", { email: "ada@example.com" });
    const secondary = await create("contacts", { email: "augusta@example.com" });
    const list = sandbox.store.lists.byName("Newsletter")?.listId ?? "";
    await call(sandbox, "PUT", `/crm/v3/lists/${list}/memberships/add`, [primary, secondary]);
    const survivor = String((await merge(primary, secondary)).body.id);
    expect(sandbox.store.lists.membersOf(list)).toEqual([survivor]);
    const added = await call(sandbox, "PUT", `/crm/v3/lists/${list}/memberships/add`, [secondary]);
    expect(added.body).toMatchObject({ recordsIdsAdded: [], recordIdsMissing: [secondary] });
  });

  it("follows an old id into a second merge and lists every id merged", async () => {
    const { primary, secondary, survivor } = await mergedPair();
    const third = await create("contacts", { email: "carol@example.com" });
    const again = await merge(third, primary);
    expect(again.status).toBe(200);
    const ids = String((again.body.properties as Record<string, string>).hs_merged_object_ids).split(";");
    expect(ids.sort()).toEqual([third, primary, secondary, survivor].sort());
    expect((await call(sandbox, "GET", `${contacts}/${secondary}`)).body.id).toBe(again.body.id);
  });

  it("refuses a record merged with itself (400), an id that leads nowhere (404) and objects it does not merge (501)", async () => {
    const { primary, survivor } = await mergedPair();
    expect((await merge(survivor, primary)).status).toBe(400);
    const missing = await merge(survivor, "424242");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ category: "OBJECT_NOT_FOUND", context: { ids: ["424242"] } });
    expect((await merge("1", "2", "products")).status).toBe(501);
    const [x, y] = [
      await create("tickets", { subject: "X", hs_pipeline: "0", hs_pipeline_stage: "1" }),
      await create("tickets", { subject: "Y", hs_pipeline: "0", hs_pipeline_stage: "2" }),
    ];
    expect((await merge(x, y, "tickets")).body.properties).toMatchObject({
      subject: "X",
      hs_pipeline_stage: "1",
    });
  });
});

describe("a portal seeded with merged records", () => {
  it("starts with the seeded records under their ids, and the merge made", async () => {
    await sandbox.close();
    sandbox = await startSandbox({
      seed: {
        records: [
          {
            objectType: "contacts",
            id: "501",
            properties: { email: "ada@example.com", hs_additional_emails: "ada@work.example.com" },
          },
          {
            objectType: "contacts",
            id: "502",
            properties: { email: "augusta@example.com", lastname: "Lovelace" },
          },
        ],
        merges: [{ objectType: "contacts", primaryObjectId: "501", objectIdToMerge: "502" }],
      },
    });
    const read = await call(
      sandbox,
      "GET",
      "/crm/v3/objects/contacts/502?properties=email,lastname,hs_merged_object_ids",
    );
    expect(read.body).toMatchObject({
      id: "1000001",
      properties: { email: "ada@example.com", lastname: "Lovelace", hs_merged_object_ids: "501;502" },
    });
    expect(
      (await call(sandbox, "GET", "/crm/v3/objects/contacts/ada@work.example.com?idProperty=email")).body.id,
    ).toBe("1000001");
    expect(sandbox.ledger.totals("contacts").creates).toBe(0);
  });

  it("refuses to start on a seed HubSpot would refuse, naming it", async () => {
    const bad = { records: [{ objectType: "contacts", properties: { email: "not an email" } }] };
    await expect(startSandbox({ seed: bad })).rejects.toThrow(/seed\.records\[0\]: .*INVALID_EMAIL/);
    const merge = { merges: [{ objectType: "contacts", primaryObjectId: "1", objectIdToMerge: "2" }] };
    await expect(startSandbox({ seed: merge })).rejects.toThrow(
      /seed\.merges\[0\]: Could not get some CONTACT objects/,
    );
  });
});
