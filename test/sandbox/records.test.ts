import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, paths, VERSIONS } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox();
});
afterEach(async () => {
  await sandbox.close();
});

describe.each(VERSIONS)("single-record endpoints at version %s", (version) => {
  const contacts = paths.objects(version, "contacts");
  const create = async (properties: Record<string, string>) => {
    const answer = await call(sandbox, "POST", contacts, { properties });
    expect(answer.status).toBe(201);
    return String(answer.body.id);
  };

  it("creates with 201 and reads back by id with HubSpot's default properties", async () => {
    const id = await create({ email: "ada@example.com", firstname: "Ada", jobtitle: "Analyst" });
    const read = await call(sandbox, "GET", `${contacts}/${id}`);
    expect(read.status).toBe(200);
    expect(Object.keys(read.body.properties as object).sort()).toEqual(
      ["createdate", "email", "firstname", "hs_lastmodifieddate", "hs_object_id", "lastmodifieddate"].sort(),
    );
  });

  it("reads only the asked properties plus the ones HubSpot always adds, leaving out those without a value", async () => {
    const id = await create({ email: "ada@example.com", jobtitle: "Analyst" });
    const read = await call(sandbox, "GET", `${contacts}/${id}?properties=jobtitle,phone`);
    expect(read.body.properties).toMatchObject({ jobtitle: "Analyst", hs_object_id: id });
    expect(read.body.properties).not.toHaveProperty("phone");
    expect(read.body.properties).not.toHaveProperty("email");
  });

  it("reads and updates by a unique idProperty", async () => {
    await create({ email: "ada@example.com" });
    const read = await call(sandbox, "GET", `${contacts}/ADA@example.com?idProperty=email`);
    expect(read.status).toBe(200);
    const patched = await call(sandbox, "PATCH", `${contacts}/ada@example.com?idProperty=email`, {
      properties: { firstname: "Augusta" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.properties).toMatchObject({ firstname: "Augusta", email: "ada@example.com" });
  });

  it("refuses an update without properties and one of a record that does not exist", async () => {
    const id = await create({ email: "ada@example.com" });
    const empty = await call(sandbox, "PATCH", `${contacts}/${id}`, { properties: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.message).toBe("No properties found to update, please provide at least one.");
    const missing = await call(sandbox, "PATCH", `${contacts}/999`, { properties: { firstname: "X" } });
    expect(missing.status).toBe(404);
  });

  it("archives with 204, after which the record reads only with archived=true", async () => {
    const id = await create({ email: "ada@example.com" });
    expect((await call(sandbox, "DELETE", `${contacts}/${id}`)).status).toBe(204);
    expect((await call(sandbox, "GET", `${contacts}/${id}`)).status).toBe(404);
    const archived = await call(sandbox, "GET", `${contacts}/${id}?archived=true`);
    expect(archived.body).toMatchObject({ id, archived: true });
  });

  it("lists records in pages with paging.next.after, at most 100 a page", async () => {
    for (let i = 0; i < 5; i += 1) await create({ email: `p${i}@example.com` });
    const first = await call(sandbox, "GET", `${contacts}?limit=2&properties=email`);
    expect(first.body.results?.map((record) => (record.properties as Record<string, string>).email)).toEqual([
      "p0@example.com",
      "p1@example.com",
    ]);
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const second = await call(sandbox, "GET", `${contacts}?limit=3&after=${after}&properties=email`);
    expect(second.body.results).toHaveLength(3);
    expect(second.body.paging).toBeUndefined();
    expect((await call(sandbox, "GET", `${contacts}?limit=101`)).status).toBe(400);
  });
});

describe.each(VERSIONS)("property definitions at version %s", (version) => {
  const contactProperties = paths.properties(version, "contacts");
  const egg = {
    name: "favorite_food",
    label: "Favorite food",
    type: "string",
    fieldType: "text",
    groupName: "contactinformation",
  };

  it("creates a property with 201, reads it back by name and lets records use it", async () => {
    const created = await call(sandbox, "POST", contactProperties, egg);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "favorite_food",
      type: "string",
      groupName: "contactinformation",
    });
    expect((await call(sandbox, "GET", `${contactProperties}/favorite_food`)).body.label).toBe(
      "Favorite food",
    );
    const contact = await call(sandbox, "POST", paths.objects(version, "contacts"), {
      properties: { favorite_food: "pizza" },
    });
    expect(contact.status).toBe(201);
  });

  it.each([
    [
      "no groupName",
      { ...egg, groupName: undefined },
      400,
      /Some required fields were not set: \[groupName\]/,
    ],
    ["a fieldType its type cannot take", { ...egg, fieldType: "checkbox" }, 400, /not valid for type string/],
    [
      "an enumeration without options",
      { ...egg, type: "enumeration", fieldType: "select" },
      400,
      /options are required/,
    ],
    ["a name with capitals", { ...egg, name: "FavoriteFood" }, 400, /Property name FavoriteFood is invalid/],
    ["a group that does not exist", { ...egg, groupName: "nope" }, 400, /Property group nope does not exist/],
    ["a name that exists", { ...egg, name: "email" }, 409, /already exists/],
  ])("refuses a property with %s", async (_case, body, status, message) => {
    const answer = await call(sandbox, "POST", contactProperties, body);
    expect(answer.status).toBe(status);
    expect(String(answer.body.message)).toMatch(message);
    if (status === 409) expect(answer.body.category).toBe("OBJECT_ALREADY_EXISTS");
  });

  it("creates property groups with 201 and refuses a second of the same name with 409", async () => {
    const group = { name: "mygroup", label: "My group" };
    const created = await call(sandbox, "POST", `${contactProperties}/groups`, group);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...group, displayOrder: -1, archived: false });
    expect((await call(sandbox, "POST", `${contactProperties}/groups`, group)).status).toBe(409);
    const listed = await call(sandbox, "GET", `${contactProperties}/groups`);
    expect(listed.body.results?.map((entry) => entry.name)).toEqual(["contactinformation", "mygroup"]);
    // Counted apart, so a test can tell a client that reads the groups from one that creates them.
    expect([sandbox.stats.byRoute.get("group-create"), sandbox.stats.byRoute.get("groups")]).toEqual([2, 1]);
  });

  it("needs the schema write scope to create a property", async () => {
    const answer = await call(sandbox, "POST", contactProperties, egg, "sandbox-read-only-token");
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body.errors)).toContain("crm.schemas.contacts.write");
  });

  it("reads a custom object's schema by objectTypeId or fully qualified name, not by bare name", async () => {
    const schemas = paths.schemas(version);
    expect((await call(sandbox, "GET", `${schemas}/2-3465404`)).body.name).toBe("cars");
    expect(
      (await call(sandbox, "GET", `${schemas}/p${sandbox.portalId}_cars`)).body.requiredProperties,
    ).toEqual(["car_id"]);
    expect((await call(sandbox, "GET", `${schemas}/cars`)).status).toBe(404);
  });
});
