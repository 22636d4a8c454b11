import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_PRIVATE_APP_TOKEN, type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, LIST_APIS, makeRecords, tokenWithout } from "./helpers.js";

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = await startSandbox({
    privateAppTokens: [
      tokenWithout(DEFAULT_PRIVATE_APP_TOKEN),
      tokenWithout("no-lists-write", "crm.lists.write"),
      tokenWithout("no-lists-read", "crm.lists.read"),
    ],
  });
});

afterEach(async () => {
  await sandbox.close();
});

type List = Record<string, unknown> & { listId: string; name: string };
const listOf = (answer: { body: Record<string, unknown> }) => answer.body.list as List;

describe.each(LIST_APIS)("list definitions ($version)", ({ base }) => {
  const create = (body: unknown, token?: string) => call(sandbox, "POST", base, body, token);

  it("starts with the seeded lists: two MANUAL, a DYNAMIC and a SNAPSHOT", async () => {
    const answer = await call(sandbox, "GET", `${base}?listIds=1&listIds=2&listIds=3&listIds=4`);
    expect(answer.status).toBe(200);
    const lists = answer.body.lists as List[];
    expect(lists.map((list) => [list.listId, list.name, list.objectTypeId, list.processingType])).toEqual([
      ["1", "Newsletter", "0-1", "MANUAL"],
      ["2", "Active users", "0-1", "DYNAMIC"],
      ["3", "Webinar attendees 2025", "0-1", "SNAPSHOT"],
      ["4", "Target accounts", "0-2", "MANUAL"],
    ]);
  });

  it("creates a list with 200 and a string listId, version 1 and status COMPLETE", async () => {
    const answer = await create({ name: "Trial signups", objectTypeId: "0-1", processingType: "MANUAL" });
    expect(answer.status).toBe(200);
    expect(listOf(answer)).toMatchObject({
      listId: "5",
      listVersion: 1,
      name: "Trial signups",
      objectTypeId: "0-1",
      processingType: "MANUAL",
      processingStatus: "COMPLETE",
      size: 0,
    });
    expect(sandbox.store.lists.byName("trial SIGNUPS")?.listId).toBe("5");
  });

  it("refuses a name the portal already has, in any case, with ILS.DUPLICATE_LIST_NAMES", async () => {
    const answer = await create({ name: "NEWSLETTER", objectTypeId: "0-2", processingType: "MANUAL" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      category: "VALIDATION_ERROR",
      subCategory: "ILS.DUPLICATE_LIST_NAMES",
    });
  });

  it.each([
    [
      "no processingType",
      { name: "A", objectTypeId: "0-1" },
      /Some required fields were not set: \[processingType\]/,
    ],
    [
      "an unknown processingType",
      { name: "A", objectTypeId: "0-1", processingType: "STATIC" },
      /not a processing type/,
    ],
    [
      "an object the portal cannot list",
      { name: "A", objectTypeId: "0-7", processingType: "MANUAL" },
      /0-7 provided/,
    ],
    [
      "an object name instead of its id",
      { name: "A", objectTypeId: "contacts", processingType: "MANUAL" },
      /not valid/,
    ],
  ])("refuses a list with %s", async (_case, body, message) => {
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toMatch(message);
  });

  it("answers an unlistable object with HubSpot's INVALID_OBJECT_TYPE_FOR_LIST body", async () => {
    const answer = await create({ name: "Products", objectTypeId: "0-7", processingType: "MANUAL" });
    expect(answer.body).toMatchObject({
      message: "The objectTypeId 0-7 provided for the list is not valid for this portal.",
      category: "VALIDATION_ERROR",
      subCategory: "ListError.INVALID_OBJECT_TYPE_FOR_LIST",
    });
  });

  it("gets a list by id, and by object and name in any case, and answers 404 for one that does not exist", async () => {
    const byId = await call(sandbox, "GET", `${base}/4`);
    expect(listOf(byId).name).toBe("Target accounts");
    const byName = await call(sandbox, "GET", `${base}/object-type-id/0-1/name/active%20USERS`);
    expect(listOf(byName).listId).toBe("2");
    const otherObject = await call(sandbox, "GET", `${base}/object-type-id/0-2/name/Active%20users`);
    expect(otherObject.status).toBe(404);
    expect((await call(sandbox, "GET", `${base}/99`)).status).toBe(404);
  });

  it("refuses a filterBranch with a 501, since the sandbox does not evaluate list filters", async () => {
    const filterBranch = { filterBranchType: "OR", filterBranches: [], filters: [] };
    const created = await call(sandbox, "POST", base, {
      name: "Filtered",
      objectTypeId: "0-1",
      processingType: "DYNAMIC",
      filterBranch,
    });
    expect(created.status).toBe(501);
    expect(created.body.message).toContain("field filterBranch");
    expect(sandbox.store.lists.byName("Filtered")).toBeUndefined();
  });

  it("deletes with 204, then restores with 204 and the list is back", async () => {
    expect((await call(sandbox, "DELETE", `${base}/1`)).status).toBe(204);
    expect((await call(sandbox, "GET", `${base}/1`)).status).toBe(404);
    expect(sandbox.store.lists.byName("Newsletter")).toBeUndefined();
    expect((await call(sandbox, "PUT", `${base}/1/restore`)).status).toBe(204);
    expect((await call(sandbox, "GET", `${base}/1`)).status).toBe(200);
    const again = await call(sandbox, "PUT", `${base}/1/restore`);
    expect(again.status).toBe(400);
    expect(again.body.message).toBe("List 1 is not deleted");
  });

  it("cannot restore a list deleted more than 90 days ago, nor one whose name was taken meanwhile", async () => {
    await call(sandbox, "DELETE", `${base}/1`);
    await create({ name: "Newsletter", objectTypeId: "0-1", processingType: "MANUAL" });
    const taken = await call(sandbox, "PUT", `${base}/1/restore`);
    expect(taken.body.subCategory).toBe("ILS.DUPLICATE_LIST_NAMES");
    await call(sandbox, "DELETE", `${base}/4`);
    (sandbox.store.lists.byId("4") as { deletedAt?: number }).deletedAt = Date.now() - 91 * 86_400_000;
    expect((await call(sandbox, "PUT", `${base}/4/restore`)).status).toBe(404);
  });

  it("needs crm.lists.read to read, crm.lists.write to create, and both for other writes", async () => {
    const noRead = await call(sandbox, "GET", `${base}/1`, undefined, "no-lists-read");
    expect(noRead.status).toBe(403);
    expect(JSON.stringify(noRead.body.errors)).toContain("crm.lists.read");
    const createWithoutRead = await create(
      { name: "X", objectTypeId: "0-1", processingType: "MANUAL" },
      "no-lists-read",
    );
    expect(createWithoutRead.status).toBe(200);
    const createWithoutWrite = await create(
      { name: "Y", objectTypeId: "0-1", processingType: "MANUAL" },
      "no-lists-write",
    );
    expect(createWithoutWrite.status).toBe(403);
    const deleteWithoutRead = await call(sandbox, "DELETE", `${base}/1`, undefined, "no-lists-read");
    expect(deleteWithoutRead.status).toBe(403);
    expect(deleteWithoutRead.body.category).toBe("MISSING_SCOPES");
    const named = (
      deleteWithoutRead.body.errors as Array<{ context: { requiredGranularScopes: string[] } }>
    )[0];
    expect(named?.context.requiredGranularScopes).toEqual(["crm.lists.read", "crm.lists.write"]);
    expect(sandbox.store.lists.byName("Newsletter")).toBeDefined();
  });
});

describe.each(LIST_APIS)("list search ($version)", ({ base }) => {
  const search = (body: unknown) => call(sandbox, "POST", `${base}/search`, body);

  it("finds lists by a part of their name in any case, with their size as a string", async () => {
    const [contact] = makeRecords(sandbox, "contacts", 1) as [string];
    await call(sandbox, "PUT", `${base}/1/memberships/add`, [contact]);
    const answer = await search({ query: "LETTER", offset: 0, additionalProperties: [] });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ offset: 1, hasMore: false, total: 1 });
    const [hit] = answer.body.lists as Array<List & { additionalProperties: Record<string, string> }>;
    expect(hit?.name).toBe("Newsletter");
    expect(hit?.additionalProperties.hs_list_size).toBe("1");
    expect(hit?.additionalProperties.hs_last_record_added_at).toMatch(/^\d+$/);
  });

  it("filters by processing type and object, and pages with offset and count", async () => {
    const manual = await search({ processingTypes: ["MANUAL"], objectTypeId: "0-1" });
    expect((manual.body.lists as List[]).map((list) => list.name)).toEqual(["Newsletter"]);
    const first = await search({ count: 3, offset: 0 });
    expect(first.body).toMatchObject({ offset: 3, hasMore: true, total: 4 });
    const second = await search({ count: 3, offset: 3 });
    expect(second.body).toMatchObject({ offset: 4, hasMore: false, total: 4 });
    expect((second.body.lists as List[]).map((list) => list.listId)).toEqual(["4"]);
  });

  it("filters nothing out with empty listIds and processingTypes, as HubSpot documents, and by listIds when given", async () => {
    const all = await search({
      query: "",
      offset: 0,
      listIds: [],
      processingTypes: [],
      additionalProperties: [],
    });
    expect(all.body.total).toBe(4);
    const two = await search({ listIds: ["2", "4"], processingTypes: [] });
    expect((two.body.lists as List[]).map((list) => list.listId)).toEqual(["2", "4"]);
  });

  it("refuses a count above 500 and an unknown processing type", async () => {
    expect((await search({ count: 501 })).status).toBe(400);
    expect((await search({ count: 500 })).status).toBe(200);
    const unknown = await search({ processingTypes: ["STATIC"] });
    expect(unknown.body.subCategory).toBe("INVALID_PROCESSING_TYPE");
  });

  it("leaves deleted lists out", async () => {
    await call(sandbox, "DELETE", `${base}/1`);
    const answer = await search({ query: "" });
    expect((answer.body.lists as List[]).map((list) => list.listId)).toEqual(["2", "3", "4"]);
  });
});

describe("lists routing", () => {
  it.each([
    ["GET", "/crm/v3/lists/folders"],
    ["GET", "/crm/v3/lists/idmapping?legacyListId=1"],
    ["GET", "/crm/lists/2026-09/records/0-1/5/memberships"],
    ["POST", "/crm/lists/2026-09/all"],
    ["PUT", "/crm/v3/lists/1/memberships/add-from/4"],
    ["PUT", "/crm/v3/lists/1/update-list-name?listName=x"],
    ["GET", "/crm/lists/2025-09/1"],
  ])("answers %s %s with 501: the sandbox does not implement it", async (method, path) => {
    const answer = await call(sandbox, method, path, method === "GET" ? undefined : {});
    expect(answer.status).toBe(501);
    expect(answer.body.category).toBe("NOT_IMPLEMENTED");
  });
});
